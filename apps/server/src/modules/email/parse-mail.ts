import { type AddressObject, simpleParser } from "mailparser";
import sanitizeHtml from "sanitize-html";
import { automatedReason, headerLookup, type TAutomatedReason } from "./loop-detection.ts";
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
  text: string;
  /** Sanitised; remote images are kept as data-remote-src and not loaded. */
  html: string | null;
  automated: TAutomatedReason | null;
  /** A delivery status notification (bounce). */
  isBounce: boolean;
  attachments: TMailAttachment[];
};

const addresses = (value: AddressObject | AddressObject[] | undefined): TMailAddress[] =>
  (Array.isArray(value) ? value : value ? [value] : [])
    .flatMap((group) => group.value)
    .flatMap((a) => (a.group ? a.group : [a]))
    .filter((a) => a.address)
    .map((a) => ({ address: (a.address ?? "").toLowerCase(), name: a.name ?? "" }));

const bareId = (id: string | undefined) => id?.trim().replace(/^<|>$/g, "").toLowerCase() || null;

// Formatting a support agent needs to read mail; no scripts, styles that escape the message, forms or frames.
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: sanitizeHtml.defaults.allowedTags.concat(["img", "span", "font", "center"]),
  allowedAttributes: {
    "*": ["style", "dir", "lang", "align", "title"],
    a: ["href", "name", "target", "rel"],
    img: ["src", "alt", "width", "height", "data-remote-src"],
    font: ["color", "face", "size"],
    td: ["colspan", "rowspan", "valign", "width"],
    th: ["colspan", "rowspan", "valign", "width"],
    table: ["width", "cellpadding", "cellspacing", "border"],
  },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: ["cid", "data"] },
  transformTags: {
    // Remote images reveal to the sender that the mail was read; staff load them on request.
    img: (tagName, attribs) => {
      const src = attribs.src ?? "";
      if (/^https?:/i.test(src)) {
        const { src: _remote, ...rest } = attribs;
        return { tagName, attribs: { ...rest, "data-remote-src": src } };
      }
      return { tagName, attribs };
    },
    a: sanitizeHtml.simpleTransform("a", { target: "_blank", rel: "noopener noreferrer nofollow" }),
  },
};

export const sanitizeMailHtml = (html: string): string => sanitizeHtml(html, SANITIZE);

/** Parses a raw RFC 5322 message: legacy charsets and RFC 2047 words decoded, HTML sanitised. */
export async function parseMail(raw: Buffer): Promise<TParsedMail> {
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
    contentType?.value === "multipart/report" && contentType.params?.["report-type"] === "delivery-status";
  const html = typeof mail.html === "string" && mail.html.trim() ? sanitizeMailHtml(mail.html) : null;
  return {
    messageId: bareId(mail.messageId),
    from: addresses(mail.from)[0] ?? null,
    replyTo: addresses(mail.replyTo)[0] ?? null,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject: mail.subject ?? "",
    date: mail.date ?? null,
    references: referencedMessageIds({
      inReplyTo: header("in-reply-to"),
      references: header("references"),
    }),
    text: mail.text ?? (html ? sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }) : ""),
    html,
    automated: automatedReason(header),
    isBounce: isReport,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename ?? "attachment",
      contentType: a.contentType,
      size: a.size,
      content: a.content,
      contentId: bareId(a.contentId),
      inline: a.contentDisposition === "inline" || Boolean(a.related),
    })),
  };
}
