/**
 * Bounces: which of our mails could not be delivered, to whom and why. Standard delivery status
 * notifications (RFC 3464: multipart/report with a message/delivery-status part) are read field by
 * field; the plain-text bounces older MTAs still send (qmail, old Exim and Sendmail, Exchange's
 * "Undeliverable:") are recognised by their sender and wording and read as well as their text allows.
 * An out-of-office answer is never a bounce: it comes from a person's address and says no such thing.
 */

export type TBounceReport = {
  /** 5.x.x or a failed action: the address will not take mail. A delay (4.x.x) is not permanent. */
  permanent: boolean;
  recipients: string[];
  /** The enhanced status code, e.g. "5.1.1". */
  status: string | null;
  diagnostic: string | null;
  /** The Message-ID of our mail that bounced: bare, lowercase, without angle brackets. */
  originalMessageId: string | null;
};

export type TBounceInput = {
  raw: Buffer;
  /** The top-level Content-Type is multipart/report; report-type=delivery-status. */
  isReport: boolean;
  fromAddress: string | null;
  fromName: string;
  /** Our addresses the bounce was sent to; never one of the recipients that failed. */
  toAddresses: string[];
  subject: string;
  text: string;
  /** Attachments as mailparser kept them: message/rfc822 and text/rfc822-headers parts. */
  attachments: Array<{ contentType: string; content: Buffer }>;
};

// ---------------------------------------------------------------------------------------------
// A small MIME reader, enough to find the report's parts (mailparser folds the delivery-status part
// into the text and keeps no structure). It never throws: broken MIME just yields fewer parts.

type TPart = { type: string; params: Record<string, string>; headers: string; body: Buffer; parts: TPart[] };

const MAX_DEPTH = 8;

function splitHead(raw: Buffer): { head: string; body: Buffer } {
  const crlf = raw.indexOf("\r\n\r\n");
  const lf = raw.indexOf("\n\n");
  const [at, gap] = crlf >= 0 && (lf < 0 || crlf <= lf) ? [crlf, 4] : lf >= 0 ? [lf, 2] : [raw.length, 0];
  return { head: raw.subarray(0, at).toString("latin1"), body: raw.subarray(Math.min(raw.length, at + gap)) };
}

const unfold = (head: string) => head.replace(/\r?\n[ \t]+/g, " ");

function headerValue(head: string, name: string): string | null {
  const re = new RegExp(`^${name}[ \\t]*:[ \\t]*(.*)$`, "im");
  return re.exec(unfold(head))?.[1]?.trim() ?? null;
}

function contentType(head: string): { type: string; params: Record<string, string> } {
  const value = headerValue(head, "content-type") ?? "text/plain";
  const [type = "text/plain", ...rest] = value.split(";");
  const params: Record<string, string> = {};
  for (const m of rest.join(";").matchAll(/([\w*-]+)\s*=\s*(?:"([^"]*)"|([^;\s]*))/g)) {
    if (m[1]) params[m[1].toLowerCase()] = m[2] ?? m[3] ?? "";
  }
  return { type: type.trim().toLowerCase(), params };
}

function decodeBody(head: string, body: Buffer): Buffer {
  const encoding = headerValue(head, "content-transfer-encoding")?.toLowerCase();
  if (encoding === "base64")
    return Buffer.from(body.toString("latin1").replace(/[^A-Za-z0-9+/]/g, ""), "base64");
  if (encoding === "quoted-printable") {
    const text = body
      .toString("latin1")
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(text, "latin1");
  }
  return body;
}

function readPart(raw: Buffer, depth = 0): TPart {
  const { head, body } = splitHead(raw);
  const { type, params } = contentType(head);
  const part: TPart = { type, params, headers: head, body: decodeBody(head, body), parts: [] };
  if (depth >= MAX_DEPTH) return part;
  if (type.startsWith("multipart/") && params.boundary) {
    const delimiter = `--${params.boundary}`;
    const chunks: Buffer[] = [];
    let current: string[] | null = null;
    for (const line of body.toString("latin1").split(/\r?\n/)) {
      const trimmed = line.trimEnd();
      if (trimmed === delimiter || trimmed === `${delimiter}--`) {
        if (current) chunks.push(Buffer.from(current.join("\r\n"), "latin1"));
        current = trimmed === delimiter ? [] : null;
        if (!current) break;
        continue;
      }
      current?.push(line);
    }
    // A missing closing delimiter still closes the last part.
    if (current) chunks.push(Buffer.from(current.join("\r\n"), "latin1"));
    part.parts = chunks.map((chunk) => readPart(chunk, depth + 1));
  } else if (type === "message/rfc822" || type === "message/global") {
    part.parts = [readPart(part.body, depth + 1)];
  }
  return part;
}

function* walk(part: TPart): Generator<TPart> {
  yield part;
  for (const child of part.parts) yield* walk(child);
}

// ---------------------------------------------------------------------------------------------

const bareId = (value: string | null | undefined) => {
  const id = value?.match(/<([^<>\s]+)>/)?.[1] ?? value?.trim().split(/\s+/)[0];
  return id ? id.toLowerCase() : null;
};

const messageIdIn = (text: string) =>
  bareId(/^message-id[ \t]*:[ \t]*(?:\r?\n[ \t]+)?(\S.*)$/im.exec(text)?.[1]);

const STATUS = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/;

type TRecipientStatus = {
  recipient: string;
  action: string | null;
  status: string | null;
  diagnostic: string | null;
};

function deliveryStatusFields(text: string): TRecipientStatus[] {
  const groups = unfold(text.replace(/\r\n?/g, "\n"))
    .split(/\n\s*\n/)
    .map((group) => {
      const fields = new Map<string, string>();
      for (const line of group.split("\n")) {
        const m = /^([\w-]+)[ \t]*:[ \t]*(.*)$/.exec(line.trim());
        if (m?.[1] && !fields.has(m[1].toLowerCase())) fields.set(m[1].toLowerCase(), (m[2] ?? "").trim());
      }
      return fields;
    });
  const typed = (value: string | undefined) => (value ? value.replace(/^[\w-]+\s*;\s*/, "").trim() : null);
  return groups
    .filter((f) => f.has("final-recipient") || f.has("original-recipient"))
    .map((f) => ({
      recipient: (typed(f.get("final-recipient") ?? f.get("original-recipient")) ?? "")
        .replace(/^<|>$/g, "")
        .toLowerCase(),
      action: f.get("action")?.toLowerCase() ?? null,
      status: STATUS.exec(f.get("status") ?? "")?.[0] ?? null,
      diagnostic: typed(f.get("diagnostic-code")),
    }));
}

function fromDeliveryStatus(root: TPart): TBounceReport | null {
  const parts = [...walk(root)];
  const dsn = parts.find(
    (p) => p.type === "message/delivery-status" || p.type === "message/global-delivery-status",
  );
  if (!dsn) return null;
  const all = deliveryStatusFields(dsn.body.toString("utf8"));
  const failing = all.filter((r) => !["delivered", "relayed", "expanded"].includes(r.action ?? ""));
  const relevant = failing.length ? failing : all;
  const first = relevant.find((r) => r.action === "failed") ?? relevant[0];
  const permanent = relevant.some((r) => r.action === "failed" || r.status?.startsWith("5."));
  const original = parts.find((p) =>
    ["text/rfc822-headers", "message/rfc822", "message/global", "message/global-headers"].includes(p.type),
  );
  return {
    permanent,
    recipients: [...new Set(relevant.map((r) => r.recipient).filter(Boolean))],
    status: first?.status ?? null,
    diagnostic: first?.diagnostic ?? null,
    originalMessageId:
      (original ? messageIdIn(original.body.toString("latin1")) : null) ??
      // Gmail names it among the per-message fields.
      bareId(/^x-original-message-id[ \t]*:[ \t]*(.+)$/im.exec(dsn.body.toString("latin1"))?.[1]),
  };
}

// ---------------------------------------------------------------------------------------------
// Plain-text bounces

const DAEMON_ADDRESS =
  /^(?:mailer-daemon|mailer_daemon|mailerdaemon|mail-daemon|postmaster|microsoftexchange[0-9a-f]*)@/i;
const DAEMON_NAME = /mail delivery (?:system|subsystem)|mailer.?daemon|postmaster|microsoft outlook/i;
const BOUNCE_SUBJECT =
  /^(?:undelivered mail returned to sender|mail delivery failed|delivery status notification \((?:failure|delay)\)|undeliverable\b|undelivered mail|returned mail\b|failure notice|delivery failure|mail delivery failure|warning: message \S+ delayed|delayed mail|message delivery failure|delivery has failed)/i;
const BOUNCE_BODY =
  /this is the qmail-send program|this message was created automatically by mail delivery software|the following addresses had permanent fatal errors|could not be delivered to one or more|i'm sorry to have to inform you that your message could not|delivery to the following recipients? failed|your message (?:couldn't|could not|did not|wasn't|was not) (?:be )?deliver|did not reach some or all of the intended recipients|message could not be delivered/i;
const COPY_MARKER =
  /^[ \t]*-*[ \t]*(?:below this line is a copy of the message|this is a copy of the message|original message follows|unsent message follows|original message headers?|message headers? follows?)/im;
const DELAY =
  /\b(?:delayed|has not yet been delivered|will (?:continue|keep) (?:trying|to try)|will retry|temporar(?:y|ily)|not been delivered yet)\b/i;
const PERMANENT = /\bpermanent (?:fatal )?errors?\b|\bgiving up\b|\bgiven up\b|\bcould not be delivered\b/i;
const SMTP_REPLY = /\b([45])\d\d[ -]/;

function looksLikeTextBounce(input: TBounceInput): boolean {
  const daemon = DAEMON_ADDRESS.test(input.fromAddress ?? "") || DAEMON_NAME.test(input.fromName);
  const subject = BOUNCE_SUBJECT.test(input.subject.trim());
  const body = BOUNCE_BODY.test(input.text.slice(0, 20000));
  return (daemon && (subject || body)) || (subject && body);
}

// Bounce reports are short; a bounce with a huge text is read only this far.
const MAX_TEXT = 100_000;

/**
 * Addresses in a text, found from each "@" outwards (a single regular expression over long runs of
 * address characters without "@" would backtrack quadratically).
 */
function addressesIn(text: string): string[] {
  const found: string[] = [];
  const local = /[\w.!#$%&'*+/=?^`{|}~-]/;
  const domain = /[\w.-]/;
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && local.test(text[start - 1] ?? "")) start--;
    let end = at + 1;
    while (end < text.length && end - at < 255 && domain.test(text[end] ?? "")) end++;
    const address = text.slice(start, end).replace(/^\.+|\.+$/g, "");
    if (/^[^@]+@[\w-]+(?:\.[\w-]+)+$/.test(address)) found.push(address.toLowerCase());
  }
  return found;
}

function fromText(input: TBounceInput): TBounceReport {
  const text = input.text.slice(0, MAX_TEXT);
  const marker = COPY_MARKER.exec(text);
  const report = marker ? text.slice(0, marker.index) : text;
  const copy = marker ? text.slice(marker.index) : "";
  const own = new Set([input.fromAddress?.toLowerCase(), ...input.toAddresses.map((a) => a.toLowerCase())]);
  const recipients = [...new Set(addressesIn(report).filter((a) => !own.has(a) && !DAEMON_ADDRESS.test(a)))];
  const status = STATUS.exec(report)?.[0] ?? null;
  const diagnosticLine = report
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => SMTP_REPLY.test(l) || STATUS.test(l));
  const smtpClass = diagnosticLine ? SMTP_REPLY.exec(diagnosticLine)?.[1] : undefined;
  const permanent = status
    ? status.startsWith("5.")
    : smtpClass
      ? smtpClass === "5"
      : PERMANENT.test(report) || !DELAY.test(`${input.subject}\n${report}`);
  const originalSources = [
    copy,
    ...input.attachments
      .filter((a) => /^(message\/rfc822|text\/rfc822-headers|message\/global)/.test(a.contentType))
      .map((a) => a.content.toString("latin1")),
    text,
  ];
  let originalMessageId: string | null = null;
  for (const source of originalSources) {
    originalMessageId = source ? messageIdIn(source) : null;
    if (originalMessageId) break;
  }
  return {
    permanent,
    recipients,
    status,
    diagnostic: diagnosticLine?.replace(/^(?:remote host said|diagnostic-code)\s*:\s*/i, "") ?? null,
    originalMessageId,
  };
}

/** The bounce this mail reports, or null when it is not a bounce. */
export function bounceReport(input: TBounceInput): TBounceReport | null {
  if (input.isReport) {
    const dsn = fromDeliveryStatus(readPart(input.raw));
    if (dsn) {
      if (!dsn.originalMessageId) dsn.originalMessageId = fromText(input).originalMessageId;
      return dsn;
    }
    return fromText(input);
  }
  return looksLikeTextBounce(input) ? fromText(input) : null;
}
