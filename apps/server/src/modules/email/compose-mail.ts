import type { TLocale } from "@switchboard/contracts";
import type Mail from "nodemailer/lib/mailer/index.js";
import { directionOf, isLocale, type TTranslate, translator } from "../../lib/i18n.ts";
import { subjectWithToken } from "./threading.ts";

/**
 * Outgoing mail as pure functions (issue: email channel): an agent's reply and the automatic
 * acknowledgement become nodemailer message options; the outbound job loads the rows and sends them.
 * Every customer-facing word comes from the `email.*` messages in the ticket's locale.
 */

export type TMailbox = { address: string; name: string };

export type TMailBrand = {
  name: string;
  /** The brand's default locale, used when the ticket's is not one we know. */
  locale: TLocale;
  /** The domain of our Message-IDs, e.g. the support address's domain. */
  domain: string;
  /** The brand's default support address. */
  from: TMailbox;
  /** Plain text, may be empty. */
  signature: string;
  /** IANA zone for dates in quoted history; UTC when not given. */
  timeZone?: string;
};

export type TMailTicket = {
  number: number;
  subject: string;
  statusUrl: string | null;
  /** The customer's language. */
  locale: TLocale;
};

export type TMailRecipients = { to: TMailbox[]; cc: TMailbox[] };

export type TReplyMessage = {
  id: string;
  bodyText: string;
  /** Already sanitised staff HTML, or null to render bodyText. */
  bodyHtml: string | null;
  authorName: string;
  createdAt: Date;
};

export type TQuotedMessage = { authorName: string; createdAt: Date; bodyText: string; fromCustomer: boolean };

export type TOutgoingAttachment = { filename: string; contentType: string; path: string };

export type TReplyInput = {
  brand: TMailBrand;
  ticket: TMailTicket;
  recipients: TMailRecipients;
  message: TReplyMessage;
  /** Earlier public messages, newest first. */
  history: TQuotedMessage[];
  /** Message-IDs (bare) of the thread's earlier emails, oldest first; the last is the one answered. */
  threadMessageIds: string[];
  attachments: TOutgoingAttachment[];
};

export type TAcknowledgementInput = {
  brand: TMailBrand;
  ticket: TMailTicket;
  recipients: TMailRecipients;
  /** Stable for this acknowledgement (e.g. the ticket's id), so a retried send keeps its Message-ID. */
  id: string;
  /** The customer's Message-ID (bare), or null when the request did not come by email. */
  inReplyTo: string | null;
};

export type TMessageIdKind = "reply" | "ack" | "notification";

/** References keep the first id and the newest ones, at most this many in all. */
export const MAX_REFERENCES = 20;
/** At most this many earlier messages are quoted below a reply. */
export const MAX_QUOTED = 20;

/** Deterministic bare Message-ID, so a retried send produces the same one and clients dedupe. */
export function messageIdFor(kind: TMessageIdKind, id: string, domain: string): string {
  const local = id.trim().replace(/[^A-Za-z0-9._-]/g, "-");
  const host = domain
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, "-");
  return `sb-${kind}-${local}@${host}`;
}

export function composeReply(input: TReplyInput): Mail.Options {
  const { brand, ticket, message } = input;
  const locale = localeOf(input);
  const t = translator(locale);
  const subject = subjectWithToken(ticket.number, oneLine(ticket.subject));
  const quoted = input.history.slice(0, MAX_QUOTED).map((entry) => ({
    attribution: attribution(t, entry, locale, brand),
    body: normalizeNewlines(entry.bodyText).trimEnd(),
  }));
  const footer = t("email.replyAbove", { number: String(ticket.number) });

  const text = [
    normalizeNewlines(message.bodyText).trimEnd(),
    signatureText(brand.signature),
    footer,
    ...quoted.map((q) => `${q.attribution}\n${quoteText(q.body)}`),
  ]
    .filter((part) => part !== "")
    .join("\n\n");

  const dir = directionOf(locale);
  const bodyHtml = message.bodyHtml ?? textToHtml(normalizeNewlines(message.bodyText).trimEnd());
  const historyHtml =
    quoted.length === 0
      ? ""
      : `<div class="gmail_quote" style="margin-top:16px;"><blockquote class="gmail_quote" style="${quoteStyle(dir)}">${quoted
          .map(
            (q) =>
              `<div style="color:#59636e;font-size:13px;margin:8px 0 4px;">${escapeHtml(q.attribution)}</div><div dir="auto">${textToHtml(q.body)}</div>`,
          )
          .join("\n")}</blockquote></div>`;
  const html = htmlDocument(locale, subject, [
    `<div>${bodyHtml}</div>`,
    signatureHtml(brand.signature),
    `<p style="color:#8c959f;font-size:12px;margin:16px 0 0;">${escapeHtml(footer)}</p>`,
    historyHtml,
  ]);

  const thread = threadHeaders(input.threadMessageIds);
  return {
    from: {
      name: oneLine(t("email.replyFrom", { agent: oneLine(message.authorName), brand: brand.name })),
      address: brand.from.address,
    },
    replyTo: { name: oneLine(brand.name), address: brand.from.address },
    to: mailboxes(input.recipients.to),
    cc: mailboxes(input.recipients.cc),
    subject,
    messageId: `<${messageIdFor("reply", message.id, brand.domain)}>`,
    date: message.createdAt,
    ...thread,
    headers: { "X-Switchboard-Ticket": String(ticket.number) },
    text,
    html,
    attachments: input.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      path: a.path,
    })),
  };
}

/** The automatic "we received your request" mail (RFC 3834: Auto-Submitted, no Precedence). */
export function composeAcknowledgement(input: TAcknowledgementInput): Mail.Options {
  const { brand, ticket } = input;
  const locale = localeOf(input);
  const t = translator(locale);
  const subject = subjectWithToken(ticket.number, oneLine(ticket.subject));
  const number = String(ticket.number);
  const statusUrl = ticket.statusUrl && /^https?:\/\//i.test(ticket.statusUrl) ? ticket.statusUrl : null;
  const received = t("email.ack.received", { brand: brand.name, number });
  const replyToAdd = t("email.ack.replyToAdd");
  const signoff = `${t("email.signoff")}\n${t("thread.team", { brand: brand.name })}`;
  const automatic = t("email.ack.automatic");

  const text = [
    t("email.greeting"),
    received,
    replyToAdd,
    statusUrl ? `${t("email.ack.followStatus")}\n${statusUrl}` : "",
    signoff,
    signatureText(brand.signature),
    automatic,
  ]
    .filter((part) => part !== "")
    .join("\n\n");

  const paragraph = (content: string) => `<p style="margin:0 0 12px;">${content}</p>`;
  const html = htmlDocument(locale, subject, [
    paragraph(escapeHtml(t("email.greeting"))),
    paragraph(escapeHtml(received)),
    paragraph(escapeHtml(replyToAdd)),
    statusUrl
      ? paragraph(
          `${escapeHtml(t("email.ack.followStatus"))}<br><a href="${escapeHtml(statusUrl)}" style="color:#0969da;font-weight:bold;">${escapeHtml(t("email.ack.statusLink"))}</a>`,
        )
      : "",
    paragraph(textToHtml(signoff)),
    signatureHtml(brand.signature),
    `<p style="color:#8c959f;font-size:12px;margin:16px 0 0;">${escapeHtml(automatic)}</p>`,
  ]);

  const inReplyTo = input.inReplyTo ? bareId(input.inReplyTo) : "";
  return {
    from: { name: oneLine(brand.name), address: brand.from.address },
    replyTo: { name: oneLine(brand.name), address: brand.from.address },
    to: mailboxes(input.recipients.to),
    cc: mailboxes(input.recipients.cc),
    subject,
    messageId: `<${messageIdFor("ack", input.id, brand.domain)}>`,
    ...(inReplyTo ? threadHeaders([inReplyTo]) : {}),
    headers: {
      "Auto-Submitted": "auto-replied",
      "X-Auto-Response-Suppress": "All",
      "X-Switchboard-Ticket": number,
    },
    text,
    html,
  };
}

// --- helpers -------------------------------------------------------------------------------------

const localeOf = (input: { brand: TMailBrand; ticket: TMailTicket }): TLocale =>
  isLocale(input.ticket.locale) ? input.ticket.locale : input.brand.locale;

const bareId = (id: string): string => id.trim().replace(/^<+|>+$/g, "");

/** In-Reply-To is the last id; References the first and the newest, MAX_REFERENCES in all. */
function threadHeaders(ids: readonly string[]): Pick<Mail.Options, "inReplyTo" | "references"> {
  const clean = ids.map(bareId).filter((id) => id !== "" && !/[\s<>]/.test(id));
  const last = clean.at(-1);
  if (!last) return {};
  const [first = last, ...rest] = [...new Set(clean)];
  const kept =
    rest.length < MAX_REFERENCES ? [first, ...rest] : [first, ...rest.slice(-(MAX_REFERENCES - 1))];
  return { inReplyTo: `<${last}>`, references: kept.map((id) => `<${id}>`) };
}

// Control characters (CR and LF among them) and line separators, which must never reach a header.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL_RE = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** Header text on one line, without control characters. */
const oneLine = (text: string): string => text.replace(CONTROL_RE, " ").replace(/\s+/g, " ").trim();

const mailboxes = (list: readonly TMailbox[]) =>
  list.map((m) => ({ name: oneLine(m.name), address: m.address.trim() }));

const normalizeNewlines = (text: string): string => text.replace(/\r\n?/g, "\n");

function attribution(t: TTranslate, entry: TQuotedMessage, locale: TLocale, brand: TMailBrand): string {
  const date = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: brand.timeZone ?? "UTC",
  }).format(entry.createdAt);
  const name = oneLine(entry.authorName);
  if (name) return t("email.wrote", { date, name });
  return entry.fromCustomer
    ? t("email.youWrote", { date })
    : t("email.wrote", { date, name: t("thread.team", { brand: brand.name }) });
}

/** Quoted text: "> " before each line, ">" alone on empty lines and before already quoted ones. */
const quoteText = (text: string): string =>
  text
    .split("\n")
    .map((line) => (line === "" ? ">" : line.startsWith(">") ? `>${line}` : `> ${line}`))
    .join("\n");

const signatureText = (signature: string): string => {
  const s = normalizeNewlines(signature).trim();
  return s ? `-- \n${s}` : "";
};

const signatureHtml = (signature: string): string => {
  const s = normalizeNewlines(signature).trim();
  return s ? `<div style="color:#59636e;margin-top:16px;">-- <br>${textToHtml(s)}</div>` : "";
};

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const textToHtml = (text: string): string => escapeHtml(text).replace(/\n/g, "<br>\n");

const quoteStyle = (dir: "rtl" | "ltr"): string =>
  dir === "rtl"
    ? "margin:0 0.8ex 0 0;border-right:2px solid #d0d7de;padding-right:1ex;color:#3d444d;"
    : "margin:0 0 0 0.8ex;border-left:2px solid #d0d7de;padding-left:1ex;color:#3d444d;";

/** A small document mail clients render alike: inline styles only, direction on html and the body container. */
function htmlDocument(locale: TLocale, title: string, parts: string[]): string {
  const dir = directionOf(locale);
  return [
    "<!DOCTYPE html>",
    `<html lang="${locale}" dir="${dir}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:0;background-color:#ffffff;">',
    `<div dir="${dir}" lang="${locale}" style="font-family:-apple-system,'Segoe UI',Tahoma,Arial,sans-serif;font-size:14px;line-height:1.5;color:#1f2328;text-align:${dir === "rtl" ? "right" : "left"};max-width:640px;padding:16px;">`,
    ...parts.filter((part) => part !== ""),
    "</div>",
    "</body>",
    "</html>",
  ].join("\n");
}
