import { z } from "zod";
import { ZEmail, ZId } from "./common.ts";

export const IMAP_AUTH_KINDS = ["password", "oauth2"] as const;
export const IMAP_AFTER_IMPORT = ["seen", "move"] as const;

const ZHost = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^\s/@]+$/, { message: "A host name or IP address, without a scheme or path" });
const ZPort = z.number().int().min(1).max(65535);
const ZFolder = z.string().trim().min(1).max(255);
const ZUsername = z.string().trim().min(1).max(320);
/** The password, or the OAuth2 access token (XOAUTH2/OAUTHBEARER). */
const ZSecret = z.string().min(1).max(10_000);

/** An IMAP mailbox a brand's mail is read from; the password or token is never returned. */
export const ZImapMailbox = z.object({
  id: ZId,
  brandId: ZId,
  /** The brand's support address its mail counts as sent to. */
  address: z.string(),
  host: z.string(),
  port: z.number().int(),
  /** TLS from the first byte (993); otherwise STARTTLS, required unless the host is loopback. */
  secure: z.boolean(),
  username: z.string(),
  authKind: z.enum(IMAP_AUTH_KINDS),
  /** Never returned; true when one is stored. */
  hasSecret: z.boolean(),
  folder: z.string(),
  /** What happens to a message once stored: flagged \Seen, or moved to `moveTo`. */
  afterImport: z.enum(IMAP_AFTER_IMPORT),
  moveTo: z.string().nullable(),
  enabled: z.boolean(),
  /** The last problem reading it (login refused, server unreachable, a message that failed to store). */
  lastError: z.string().nullable(),
  /** When a server process last had it open and working. */
  lastCheckedAt: z.iso.datetime().nullable(),
  /** A server process holds it and watches it now. */
  watched: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TImapMailbox = z.infer<typeof ZImapMailbox>;

const moveNeedsFolder = (m: { afterImport?: string; moveTo?: string | null; folder?: string }) =>
  m.afterImport !== "move" || (typeof m.moveTo === "string" && m.moveTo !== (m.folder ?? "INBOX"));
const MOVE_MESSAGE = 'afterImport "move" needs a moveTo folder other than the one read';

export const ZCreateImapMailbox = z
  .strictObject({
    address: ZEmail,
    host: ZHost,
    port: ZPort.default(993),
    secure: z.boolean().default(true),
    username: ZUsername,
    authKind: z.enum(IMAP_AUTH_KINDS).default("password"),
    secret: ZSecret,
    folder: ZFolder.default("INBOX"),
    afterImport: z.enum(IMAP_AFTER_IMPORT).default("seen"),
    moveTo: ZFolder.nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .refine(moveNeedsFolder, { message: MOVE_MESSAGE, path: ["moveTo"] });
export type TCreateImapMailbox = z.infer<typeof ZCreateImapMailbox>;

/** Omitted fields stay; omit `secret` to keep the stored one. */
export const ZUpdateImapMailbox = z.strictObject({
  address: ZEmail.optional(),
  host: ZHost.optional(),
  port: ZPort.optional(),
  secure: z.boolean().optional(),
  username: ZUsername.optional(),
  authKind: z.enum(IMAP_AUTH_KINDS).optional(),
  secret: ZSecret.optional(),
  folder: ZFolder.optional(),
  afterImport: z.enum(IMAP_AFTER_IMPORT).optional(),
  moveTo: ZFolder.nullable().optional(),
  enabled: z.boolean().optional(),
});
export type TUpdateImapMailbox = z.infer<typeof ZUpdateImapMailbox>;

/** A successful connection test: the login worked and the folder (and moveTo) exist. */
export const ZImapMailboxTestResult = z.object({
  ok: z.literal(true),
  /** Messages in the folder now. */
  messages: z.number().int(),
  uidNext: z.number().int(),
  /** The server offers IDLE: new mail arrives within seconds rather than at the next poll. */
  idle: z.boolean(),
});
export type TImapMailboxTestResult = z.infer<typeof ZImapMailboxTestResult>;
