import DOMPurify from "dompurify";

/**
 * HTML from email and from colleagues, made safe to show inside the app: no scripts, handlers,
 * forms, frames or styles that escape the message. Links open in a new tab without access to this
 * one. Remote images stay held back (the server keeps their address in data-remote-src) unless the
 * agent asks for them, so a sender cannot learn when a message was read.
 */
const purifier = DOMPurify();

purifier.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer nofollow");
  }
});

export function safeHtml(html: string, opts: { showRemoteImages?: boolean } = {}): string {
  const clean = purifier.sanitize(html, {
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "object", "embed"],
    FORBID_ATTR: ["style", "srcset"],
    ALLOW_DATA_ATTR: true,
  });
  if (!opts.showRemoteImages) return clean;
  const doc = new DOMParser().parseFromString(clean, "text/html");
  for (const img of doc.querySelectorAll("img[data-remote-src]")) {
    const src = img.getAttribute("data-remote-src") ?? "";
    if (/^https?:\/\//i.test(src)) img.setAttribute("src", src);
  }
  return doc.body.innerHTML;
}

export const hasRemoteImages = (html: string) => html.includes("data-remote-src");
