import {
  ZBrandMailSettings,
  ZIdParams,
  ZInboundEmail,
  ZInboundEmailListQuery,
  ZUpdateBrandMailSettings,
} from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../http/auth-hook.ts";
import { badRequest } from "../../lib/app-error.ts";
import type { TEmailService } from "./email.service.ts";

const RAW_TYPES = ["message/rfc822", "application/octet-stream", "text/plain"];

export function emailRoutes(email: TEmailService, opts: { maxMessageBytes: number }) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["email"];
    // Raw MIME for the webhook; only inside this plugin, so JSON routes elsewhere stay JSON-only.
    app.addContentTypeParser(
      RAW_TYPES,
      { parseAs: "buffer", bodyLimit: opts.maxMessageBytes },
      (_req, body, done) => done(null, body),
    );

    r.post(
      "/inbound-emails",
      {
        schema: {
          tags,
          summary:
            "Inbound webhook: the raw MIME message as the body (Content-Type: message/rfc822), for mail providers that push mail (admins' API tokens)",
          querystring: z.strictObject({ recipient: z.email().max(320).optional() }),
          response: { 202: z.object({ id: z.string().nullable(), duplicate: z.boolean() }) },
        },
      },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
          throw badRequest(
            "empty_message",
            "Send the raw message as the body with Content-Type: message/rfc822",
          );
        }
        const result = await email.acceptWebhook(actorOf(req), req.body, req.query.recipient ?? null);
        return reply.status(202).send(result);
      },
    );
    r.get(
      "/inbound-emails",
      {
        schema: {
          tags,
          summary: "Stored inbound mail, newest first; filter by state to see the quarantine (admins)",
          querystring: ZInboundEmailListQuery,
          response: { 200: z.object({ items: z.array(ZInboundEmail), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => email.listInbound(actorOf(req), req.query),
    );
    r.get(
      "/inbound-emails/:id",
      {
        schema: {
          tags,
          summary: "One stored inbound mail: its state, outcome and error",
          params: ZIdParams,
          response: { 200: ZInboundEmail },
        },
      },
      async (req) => email.getInbound(actorOf(req), req.params.id),
    );
    r.get(
      "/inbound-emails/:id/raw",
      {
        schema: {
          tags,
          summary: "The raw message exactly as it was received (.eml)",
          params: ZIdParams,
        },
      },
      async (req, reply) => {
        const raw = await email.rawInbound(actorOf(req), req.params.id);
        return reply
          .header("content-type", "message/rfc822")
          .header("content-disposition", `attachment; filename="${req.params.id}.eml"`)
          .send(raw);
      },
    );
    r.post(
      "/inbound-emails/:id/reprocess",
      {
        schema: {
          tags,
          summary: "Process a quarantined or ignored mail again (admins)",
          params: ZIdParams,
          response: { 200: ZInboundEmail },
        },
      },
      async (req) => email.reprocess(actorOf(req), req.params.id),
    );
    r.get(
      "/brands/:id/mail-settings",
      {
        schema: {
          tags,
          summary: "The brand's outgoing mail server, signature and acknowledgement (admins)",
          params: ZIdParams,
          response: { 200: ZBrandMailSettings },
        },
      },
      async (req) => email.getMailSettings(actorOf(req), req.params.id),
    );
    r.patch(
      "/brands/:id/mail-settings",
      {
        schema: {
          tags,
          summary: "Change the brand's outgoing mail server, signature or acknowledgement (admins)",
          params: ZIdParams,
          body: ZUpdateBrandMailSettings,
          response: { 200: ZBrandMailSettings },
        },
      },
      async (req) => email.updateMailSettings(actorOf(req), req.params.id, req.body),
    );
  };
}
