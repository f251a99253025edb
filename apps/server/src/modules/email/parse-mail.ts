import type { TLocale } from "@switchboard/contracts";
import { type AddressObject, simpleParser } from "mailparser";
import sanitizeHtml from "sanitize-html";
import { bounceReport, type TBounceReport } from "./bounce-report.ts";
import { detectLanguage } from "./detect-language.ts";
import { automatedReason, headerLookup, type TAutomatedReason } from "./loop-detection.ts";
import {
  QUOTED_ATTRIBUTE,
  quotedRole,
  splitQuotedText,
  withoutQuotedHtml,
  wrapQuotedStarts,
} from "./quoted-history.ts";
import { referencedMessageIds } from "./threading.ts";

export type TMailAddress = { address: string; name: string };
export type TMailAttachment = {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
  /** For inline images referenced as cid: in the HTML. */
  contentId: string | null;
  inline: boolean;
};
export type TParsedMail = {
  messageId: string | null;
  from: TMailAddress | null;
  replyTo: TMailAddress | null;
  to: TMailAddress[];
  cc: TMailAddress[];
  subject: string;
  date: Date | null;
  /** In-Reply-To, then References from the newest. */
  references: string[];
  /** The whole text, quoted history included; derived from the HTML for HTML-only mail. */
  text: string;
  /** What the sender wrote now: the text without the quoted history and its "On … wrote:" line. */
  newText: string;
  /** The quoted history (from its attribution or Outlook header on), or null when there is none. */
  quotedText: string | null;
  /**
   * Sanitised; remote images are kept as data-remote-src and not loaded. The quoted history's
   * container is kept and marked data-sb-quoted="true" so the staff app can collapse it.
   */
  html: string | null;
  /** The sanitised HTML without the quoted containers (see quoted-history.ts). */
  newHtml: string | null;
  automated: TAutomatedReason | null;
  /** A delivery status notification (bounce), standard or one of the older plain-text kinds. */
  isBounce: boolean;
  /** What the bounce says; non-null exactly when isBounce. */
  bounce: TBounceReport | null;
  /** The language the sender wrote in, among ours; null when too short or unsure. */
  language: TLocale | null;
  attachments: TMailAttachment[];
};

const addresses = (value: AddressObject | AddressObject[] | undefined): TMailAddress[] =>
  (Array.isArray(value) ? value : value ? [value] : [])
    .flatMap((group) => group.value)
    .flatMap((a) => (a.group ? a.group : [a]))
    .filter((a) => a.address)
    .map((a) => ({ address: (a.address ?? "").toLowerCase(), name: a.name ?? "" }));

const bareId = (id: string | undefined) => id?.trim().replace(/^<|>$/g, "").toLowerCase() || null;

// A CSS value without url(), expression() and the like, which load or run something.
const SAFE_CSS = [/^(?![\s\S]*(?:url|expression|image-set|element|var|attr)\s*\()[^<>;{}\\]*$/i];
// Properties that format text and boxes inside the message; position, z-index, display and the
// like, which let a message cover or hide the staff app around it, are dropped.
const SAFE_STYLE_PROPERTIES = [
  "color",
  "background-color",
  "font",
  "font-family",
  "font-size",
  "font-style",
  "font-weight",
  "text-align",
  "text-decoration",
  "text-indent",
  "text-transform",
  "line-height",
  "letter-spacing",
  "white-space",
  "word-wrap",
  "overflow-wrap",
  "vertical-align",
  "direction",
  "unicode-bidi",
  "list-style-type",
  "width",
  "max-width",
  "min-width",
  "height",
  "border-collapse",
  "border-spacing",
  ...["", "-top", "-right", "-bottom", "-left"].flatMap((side) => [
    `margin${side}`,
    `padding${side}`,
    `border${side}`,
    `border${side}-color`,
    `border${side}-style`,
    `border${side}-width`,
  ]),
];

// Formatting a support agent needs to read mail; no scripts, styles that escape the message, forms or frames.
const SANITIZE: sanitizeHtml.IOptions = {
  allowedStyles: { "*": Object.fromEntries(SAFE_STYLE_PROPERTIES.map((p) => [p, SAFE_CSS])) },
  allowedTags: sanitizeHtml.defaults.allowedTags.concat(["img", "span", "font", "center"]),
  allowedAttributes: {
    "*": ["style", "dir", "lang", "align", "title"],
    a: ["href", "name", "target", "rel"],
    img: ["src", "alt", "width", "height", "data-remote-src"],
    font: ["color", "face", "size"],
    td: ["colspan", "rowspan", "valign", "width"],
    th: ["colspan", "rowspan", "valign", "width"],
    blockquote: [QUOTED_ATTRIBUTE],
    div: [QUOTED_ATTRIBUTE],
    table: ["width", "cellpadding", "cellspacing", "border"],
  },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: ["cid", "data"] },
  allowProtocolRelative: false,
  // Deeper tags are dropped (their text stays): keeps hostile nesting from exhausting the stack.
  nestingLimit: 200,
  transformTags: {
    // Remote images reveal to the sender that the mail was read; staff load them on request. Only
    // cid: and data:image sources stay; relative and protocol-relative ones would load from our
    // own origin or a remote one, so they go.
    img: (tagName, attribs) => {
      const { src = "", "data-remote-src": _theirs, ...rest } = attribs;
      const source = src.trim();
      if (/^(?:cid:|data:image\/)/i.test(source)) return { tagName, attribs: { ...rest, src: source } };
      if (/^https?:/i.test(source)) return { tagName, attribs: { ...rest, "data-remote-src": source } };
      if (source.startsWith("//"))
        return { tagName, attribs: { ...rest, "data-remote-src": `https:${source}` } };
      return { tagName, attribs: rest };
    },
    a: sanitizeHtml.simpleTransform("a", { target: "_blank", rel: "noopener noreferrer nofollow" }),
    // The quoted history is marked from the raw classes and ids (which sanitising drops); a mark
    // the sender wrote themselves is not kept.
    "*": (tagName, attribs) => {
      const { [QUOTED_ATTRIBUTE]: _theirs, ...rest } = attribs;
      const role = quotedRole(tagName, attribs);
      return {
        tagName,
        attribs: role ? { ...rest, [QUOTED_ATTRIBUTE]: role === "start" ? "start" : "true" } : rest,
      };
    },
  },
};

/** Sanitised mail HTML with its quoted history marked data-sb-quoted="true". */
export const sanitizeMailHtml = (html: string): string => wrapQuotedStarts(sanitizeHtml(html, SANITIZE));

const utf8 = new TextDecoder("utf-8", { fatal: true });
const isUtf8 = (bytes: Uint8Array) => {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/**
 * Headers should be ASCII, but some clients send raw 8-bit bytes. UTF-8 ones mailparser reads; others
 * (latin2, windows-1251, …) it turns into U+FFFD. Such lines are decoded here with the charset the
 * message declares for its text (the sender's client used the same one), or windows-1252.
 */
function repairRawHeaders(raw: Buffer): Buffer {
  const crlf = raw.indexOf("\r\n\r\n");
  const lf = raw.indexOf("\n\n");
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf >= 0 ? lf : raw.length;
  const head = raw.subarray(0, end);
  if (!head.some((b) => b >= 0x80) || isUtf8(head)) return raw;
  const declared = /charset\s*=\s*"?([\w.:-]+)/gi;
  let decoder = new TextDecoder("windows-1252");
  for (const m of raw
    .subarray(0, 64 * 1024)
    .toString("latin1")
    .matchAll(declared)) {
    const label = (m[1] ?? "").toLowerCase();
    if (["utf-8", "utf8", "us-ascii"].includes(label)) continue;
    try {
      decoder = new TextDecoder(label);
      break;
    } catch {
      // Not a charset this runtime knows; try the next one.
    }
  }
  const lines: Buffer[] = [];
  let from = 0;
  while (from <= head.length) {
    const next = head.indexOf(0x0a, from);
    const stop = next < 0 ? head.length : next + 1;
    const line = head.subarray(from, stop);
    lines.push(
      line.some((b) => b >= 0x80) && !isUtf8(line) ? Buffer.from(decoder.decode(line), "utf8") : line,
    );
    if (next < 0) break;
    from = stop;
  }
  return Buffer.concat([...lines, raw.subarray(end)]);
}

// Parts mailparser keeps without a file name get one a person (and their mail program) can open.
const DEFAULT_NAMES: Record<string, string> = {
  "message/rfc822": "forwarded-message.eml",
  "message/global": "forwarded-message.eml",
  "text/calendar": "invite.ics",
  "application/ics": "invite.ics",
  "application/ms-tnef": "winmail.dat",
  "text/rfc822-headers": "original-headers.txt",
  "message/delivery-status": "delivery-status.txt",
};

function attachmentName(filename: string | undefined, contentType: string): string {
  const fallback = DEFAULT_NAMES[contentType.toLowerCase()] ?? "attachment";
  if (!filename?.trim()) return fallback;
  const isMessage =
    contentType.toLowerCase() === "message/rfc822" || contentType.toLowerCase() === "message/global";
  return isMessage && !/\.eml$/i.test(filename) ? `${filename}.eml` : filename;
}

/** Parses a raw RFC 5322 message: legacy charsets and RFC 2047 words decoded, HTML sanitised. */
export async function parseMail(input: Buffer): Promise<TParsedMail> {
  const raw = repairRawHeaders(input);
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const header = headerLookup(
    Object.fromEntries(
      [...mail.headerLines].map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).trim()]),
    ),
  );
  const contentType = mail.headers.get("content-type") as
    | { value?: string; params?: Record<string, string> }
    | undefined;
  const isReport =
    contentType?.value?.toLowerCase() === "multipart/report" &&
    contentType.params?.["report-type"]?.toLowerCase() === "delivery-status";
  const html = typeof mail.html === "string" && mail.html.trim() ? sanitizeMailHtml(mail.html) : null;
  const from = addresses(mail.from)[0] ?? null;
  const to = addresses(mail.to);
  const subject = mail.subject ?? "";
  const text = mail.text ?? (html ? sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }) : "");
  const { newText, quotedText } = splitQuotedText(text);
  const attachments = mail.attachments.map((a) => ({
    filename: attachmentName(a.filename, String(a.contentType || "application/octet-stream")),
    contentType: String(a.contentType || "application/octet-stream"),
    size: a.size,
    content: a.content,
    contentId: bareId(a.contentId),
    inline: a.contentDisposition === "inline" || Boolean(a.related),
  }));
  const bounce = bounceReport({
    raw,
    isReport,
    fromAddress: from?.address ?? null,
    fromName: from?.name ?? "",
    toAddresses: to.map((a) => a.address),
    subject,
    text,
    attachments,
  });
  return {
    messageId: bareId(mail.messageId),
    from,
    replyTo: addresses(mail.replyTo)[0] ?? null,
    to,
    cc: addresses(mail.cc),
    subject,
    date: mail.date ?? null,
    references: referencedMessageIds({
      inReplyTo: header("in-reply-to"),
      references: header("references"),
    }),
    text,
    newText,
    quotedText,
    html,
    newHtml: html === null ? null : withoutQuotedHtml(html),
    automated: automatedReason(header),
    isBounce: bounce !== null,
    bounce,
    language: detectLanguage(newText) ?? detectLanguage(`${subject}\n${text}`),
    attachments,
  };
}
