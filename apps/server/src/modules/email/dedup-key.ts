import { createHash } from "node:crypto";

// Headers that each hop adds or rewrites: the same mail delivered twice differs only in these.
const TRACE_HEADERS = new Set([
  "received",
  "return-path",
  "delivered-to",
  "x-original-to",
  "x-received",
  "received-spf",
  "authentication-results",
  "arc-seal",
  "arc-message-signature",
  "arc-authentication-results",
  "x-spam-status",
  "x-spam-score",
  "x-spam-flag",
  "x-virus-scanned",
]);

/** The raw message's header block and body; a message without a blank line is all header. */
function splitMessage(raw: Buffer): { header: string; body: Buffer } {
  const crlf = raw.indexOf("\r\n\r\n");
  const lf = raw.indexOf("\n\n");
  const [at, gap] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : lf >= 0 ? [lf, 2] : [raw.length, 0];
  return { header: raw.subarray(0, at).toString("latin1"), body: raw.subarray(at + gap) };
}

/** SHA-256 of the message without trace headers and with line endings made uniform. */
export function contentHash(raw: Buffer): string {
  const { header, body } = splitMessage(raw);
  const fields = header
    .replace(/\r\n/g, "\n")
    .split(/\n(?![ \t])/)
    .filter((field) => !TRACE_HEADERS.has(field.slice(0, field.indexOf(":")).trim().toLowerCase()));
  return createHash("sha256")
    .update(fields.join("\n"))
    .update("\n\n")
    .update(body.toString("latin1").replace(/\r\n/g, "\n").replace(/\s+$/, ""))
    .digest("hex");
}

/** The key under which a mail is stored once: its Message-ID (when it has one) and its content. */
export const inboundDedupKey = (raw: Buffer, messageId: string | null): string =>
  `${messageId ?? ""}|${contentHash(raw)}`;

/** The Message-ID header of a raw message, bare and lowercase, read without parsing the whole mail. */
export function rawMessageId(raw: Buffer): string | null {
  const { header } = splitMessage(raw.subarray(0, 256 * 1024));
  const match = /^message-id:[ \t]*(?:\r?\n[ \t]+)?<?([^<>\s]+)>?/im.exec(header);
  return match?.[1]?.toLowerCase() ?? null;
}
