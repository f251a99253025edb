import type { Readable } from "node:stream";
import { ZAttachmentList, ZIdParams } from "@switchboard/contracts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { TAttachmentRow } from "../../db/schema.ts";
import { actorOf } from "../../http/auth-hook.ts";
import { AppError } from "../../lib/app-error.ts";
import type { TAttachmentsService, TIncomingFile } from "./attachments.service.ts";
import { contentDisposition, servingFor } from "./file-safety.ts";

/** The files of a multipart request, one at a time (each must be read before the next arrives). */
export async function* multipartFiles(req: FastifyRequest): AsyncGenerator<TIncomingFile> {
  if (!req.isMultipart()) {
    throw new AppError("unsupported_media_type", "Send the files as multipart/form-data", 415);
  }
  for await (const part of req.files()) yield { filename: part.filename, content: part.file };
}

type TDownload = {
  attachment: Pick<TAttachmentRow, "filename" | "content_type">;
  stream: Readable;
  size: number;
};

/** Sends a stored file with headers that keep browsers from running it. */
export function sendAttachment(reply: FastifyReply, { attachment, stream, size }: TDownload) {
  const serving = servingFor(attachment.content_type);
  return reply
    .header("content-type", serving.contentType)
    .header("content-length", size)
    .header("content-disposition", contentDisposition(serving.disposition, attachment.filename))
    .header("cache-control", "private, max-age=300")
    .header("x-content-type-options", "nosniff")
    .header("content-security-policy", "default-src 'none'; sandbox")
    .header("cross-origin-resource-policy", "same-origin")
    .send(stream);
}

export function attachmentsRoutes(attachments: TAttachmentsService) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["attachments"];
    r.post(
      "/tickets/:id/attachments",
      {
        schema: {
          tags,
          summary: "Upload files to a ticket (multipart/form-data, one or more files)",
          description:
            "The files wait on the ticket until a reply or note names them in attachmentIds. The stored type is sniffed from the content.",
          consumes: ["multipart/form-data"],
          params: ZIdParams,
          response: { 201: ZAttachmentList },
        },
      },
      async (req, reply) => {
        const items = await attachments.uploadToTicket(actorOf(req), req.params.id, multipartFiles(req));
        return reply.status(201).send({ items });
      },
    );
    r.get(
      "/attachments/:id",
      { schema: { tags, summary: "Download an attachment", params: ZIdParams } },
      async (req, reply) =>
        sendAttachment(reply, await attachments.openForActor(actorOf(req), req.params.id)),
    );
  };
}
