import sanitizeHtml from "sanitize-html";

/**
 * HTML written by staff or sent through the API (a reply, a note, a ticket's first message), kept to
 * formatting, links and images: no scripts, handlers, styles or frames. It is shown to colleagues in
 * the app and mailed to customers, so it is cleaned when it arrives, not only when shown.
 */
const STAFF_HTML: sanitizeHtml.IOptions = {
  allowedTags: [
    ...["p", "br", "div", "span", "strong", "b", "em", "i", "u", "s", "del", "code", "pre", "blockquote"],
    ...[
      "ul",
      "ol",
      "li",
      "a",
      "img",
      "h1",
      "h2",
      "h3",
      "h4",
      "hr",
      "table",
      "thead",
      "tbody",
      "tr",
      "th",
      "td",
    ],
  ],
  allowedAttributes: {
    a: ["href", "title", "target", "rel"],
    img: ["src", "alt", "title", "width", "height"],
    // A mention of a colleague, as the app's editor writes it.
    span: ["data-type", "data-id", "data-label", "class"],
    "*": ["dir"],
  },
  allowedClasses: { span: ["sb-mention"] },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: ["http", "https", "cid"] },
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { target: "_blank", rel: "noopener noreferrer nofollow" }),
  },
};

export const sanitizeStaffHtml = (html: string): string => sanitizeHtml(html, STAFF_HTML);
