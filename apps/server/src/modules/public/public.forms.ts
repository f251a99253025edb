import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import { AppError } from "../../lib/app-error.ts";
import type { TMessageKey } from "../../lib/i18n.ts";
import type { TAttachmentsService, TStoredFile } from "../attachments/index.ts";

export type TFields = Record<string, string>;

/** A browser form post (answered with pages and redirects) rather than an API call (JSON). */
export function isFormPost(req: FastifyRequest): boolean {
  const type = req.headers["content-type"] ?? "";
  const form = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type);
  return form && !/application\/json/i.test(req.headers.accept ?? "");
}

/**
 * The fields and files of a JSON, urlencoded or multipart request. Files are written to the
 * attachment store as they arrive; `beforeFiles` runs on the fields that came before the first file
 * (the form puts its file input last) and may refuse the request or drop the files.
 */
export async function readSubmission(
  req: FastifyRequest,
  attachments: TAttachmentsService,
  opts: { maxFiles: number; beforeFiles: (fields: TFields) => Promise<"keep" | "drop"> },
): Promise<{ fields: unknown; files: TStoredFile[] }> {
  if (!req.isMultipart()) return { fields: req.body ?? {}, files: [] };
  const fields: TFields = {};
  const files: TStoredFile[] = [];
  let decision: "keep" | "drop" | undefined;
  for await (const part of req.parts({ limits: { files: opts.maxFiles } })) {
    if (part.type === "field") {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    // A file input left empty still sends a part without a name.
    if (!part.filename) {
      part.file.resume();
      continue;
    }
    decision ??= await opts.beforeFiles(fields);
    if (decision === "drop") part.file.resume();
    else files.push(await attachments.saveFile({ filename: part.filename, content: part.file }));
  }
  return { fields, files };
}

/** Zod issues as `{ field, message }` for JSON and as a message key per field for pages. */
export function fieldErrors(error: z.ZodError): {
  details: { field: string; message: string; in: "body" }[];
  keys: Record<string, TMessageKey>;
} {
  const details: { field: string; message: string; in: "body" }[] = [];
  const keys: Record<string, TMessageKey> = {};
  for (const issue of error.issues) {
    const names =
      issue.code === "unrecognized_keys" ? issue.keys : [issue.path.map(String).join(".") || "body"];
    for (const field of names) {
      details.push({ field, message: issue.message, in: "body" });
      keys[field] ??=
        issue.code === "too_big"
          ? "error.tooLong"
          : issue.code === "too_small" || (issue.code === "invalid_type" && issue.input === undefined)
            ? "error.required"
            : field === "email"
              ? "error.email"
              : "error.invalid";
    }
  }
  return { details, keys };
}

export class FormInvalid extends AppError {
  constructor(
    readonly fieldKeys: Record<string, TMessageKey>,
    details: { field: string; message: string; in: "body" }[],
  ) {
    const first = details[0];
    super("validation_failed", first ? `${first.field}: ${first.message}` : "Invalid request", 400, details);
  }
}

export function parseForm<T extends z.ZodType>(schema: T, fields: unknown): z.infer<T> {
  const parsed = schema.safeParse(fields);
  if (parsed.success) return parsed.data;
  const { details, keys } = fieldErrors(parsed.error);
  throw new FormInvalid(keys, details);
}

/** Form values to show again after an error (never the honeypot). */
export const echoValues = (fields: unknown): Record<string, string> => {
  if (!fields || typeof fields !== "object") return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (typeof v === "string" && k !== "website") out[k] = v;
  return out;
};
