import { z } from "zod";
import { ZEmail, ZLine, ZLocale } from "./common.ts";

/** Forms send "" for a field left empty; optional fields treat that as absent. */
const blankAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const ZOptionalText = (max: number) => z.preprocess(blankAsUndefined, z.string().trim().max(max).optional());

/** A request from the public contact form (JSON, urlencoded or multipart with `attachments`). */
export const ZPublicRequest = z.strictObject({
  name: ZLine(200),
  email: ZEmail,
  subject: ZLine(300),
  message: z.string().trim().min(1).max(20_000),
  /** A category key, as offered by the form. */
  category: ZOptionalText(100),
  orderNumber: ZOptionalText(100),
  /** Honeypot: people leave it empty; a filled one is answered as accepted and dropped. */
  website: z.string().max(2000).optional(),
  /** The language the customer used the form in. */
  locale: z.preprocess(blankAsUndefined, ZLocale.optional()),
});
export type TPublicRequest = z.infer<typeof ZPublicRequest>;

export const ZPublicRequestCreated = z.object({
  ticketNumber: z.number().int(),
  displayNumber: z.string(),
  /** The customer's status page; whoever has it can read and answer the request. */
  statusUrl: z.string(),
});
export type TPublicRequestCreated = z.infer<typeof ZPublicRequestCreated>;

/** A customer's reply from the status page. */
export const ZPublicReply = z.strictObject({
  body: z.string().trim().min(1).max(20_000),
  locale: z.preprocess(blankAsUndefined, ZLocale.optional()),
});
export type TPublicReply = z.infer<typeof ZPublicReply>;
