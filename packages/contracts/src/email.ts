import { z } from "zod";
import { ZEmail, ZId } from "./common.ts";

export const ZSupportAddress = z.object({
  id: ZId,
  brandId: ZId,
  address: z.string(),
  displayName: z.string(),
  isDefault: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TSupportAddress = z.infer<typeof ZSupportAddress>;

const ZDisplayName = z.string().trim().max(200);

export const ZCreateSupportAddress = z.strictObject({
  address: ZEmail,
  displayName: ZDisplayName.default(""),
  isDefault: z.boolean().default(false),
});
export type TCreateSupportAddress = z.infer<typeof ZCreateSupportAddress>;

export const ZUpdateSupportAddress = z.strictObject({
  displayName: ZDisplayName.optional(),
  isDefault: z.literal(true).optional(),
});
export type TUpdateSupportAddress = z.infer<typeof ZUpdateSupportAddress>;

/** Which threading rule put an inbound email where it is (shown to staff). */
export const THREAD_RULES = [
  "references",
  "subject_token",
  "new_ticket",
  "follow_up",
  "not_a_participant",
] as const;
export type TThreadRule = (typeof THREAD_RULES)[number];
export const OUTBOUND_STATES = ["queued", "sending", "sent", "failed"] as const;

/** The email side of a message: its Message-ID, how it was threaded, the raw mail, delivery. */
export const ZMessageEmail = z.object({
  messageId: z.string().nullable(),
  threadRule: z.enum(THREAD_RULES).nullable(),
  /** The stored raw message (GET /api/v1/inbound-emails/{id}/raw), for inbound mail. */
  inboundEmailId: ZId.nullable(),
  /** The history quoted below the new text of an inbound email (shown collapsed). */
  quotedText: z.string().nullable(),
  /** For a reply we send: where its delivery stands. */
  delivery: z
    .object({
      state: z.enum(OUTBOUND_STATES),
      error: z.string().nullable(),
      sentAt: z.iso.datetime().nullable(),
    })
    .nullable(),
});
export type TMessageEmail = z.infer<typeof ZMessageEmail>;

export const INBOUND_STATES = ["received", "processed", "ignored", "quarantined"] as const;
export const INBOUND_SOURCES = ["smtp", "imap", "webhook"] as const;

/** A stored inbound email, as admins see it (the raw bytes are a separate download). */
export const ZInboundEmail = z.object({
  id: ZId,
  brandId: ZId.nullable(),
  source: z.enum(INBOUND_SOURCES),
  from: z.string().nullable(),
  recipients: z.array(z.string()),
  subject: z.string(),
  messageId: z.string().nullable(),
  sizeBytes: z.number().int(),
  state: z.enum(INBOUND_STATES),
  outcome: z.string().nullable(),
  ticketId: ZId.nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  receivedAt: z.iso.datetime(),
  processedAt: z.iso.datetime().nullable(),
});
export type TInboundEmail = z.infer<typeof ZInboundEmail>;

export const ZInboundEmailListQuery = z.strictObject({
  state: z.enum(INBOUND_STATES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type TInboundEmailListQuery = z.infer<typeof ZInboundEmailListQuery>;

/** A brand's outgoing mail: its own SMTP server (else the install's relay), signature, acknowledgement. */
export const ZBrandMailSettings = z.object({
  smtp: z
    .object({
      host: z.string(),
      port: z.number().int(),
      secure: z.boolean(),
      username: z.string().nullable(),
      /** Never returned; true when one is stored. */
      hasPassword: z.boolean(),
    })
    .nullable(),
  signature: z.string(),
  sendAcknowledgement: z.boolean(),
});
export type TBrandMailSettings = z.infer<typeof ZBrandMailSettings>;

export const ZUpdateBrandMailSettings = z.strictObject({
  smtp: z
    .strictObject({
      host: z.string().trim().min(1).max(255),
      port: z.number().int().min(1).max(65535),
      secure: z.boolean().default(false),
      username: z.string().max(320).nullable().default(null),
      /** Omit to keep the stored password. */
      password: z.string().max(1000).nullable().optional(),
    })
    .nullable()
    .optional(),
  signature: z.string().max(5000).optional(),
  sendAcknowledgement: z.boolean().optional(),
});
export type TUpdateBrandMailSettings = z.infer<typeof ZUpdateBrandMailSettings>;
