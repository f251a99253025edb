/**
 * What a stored file may be called and how a browser may be told to show it. The type a client
 * declares is never trusted: the stored type is sniffed from the bytes, and types a browser would
 * run (HTML, SVG, XML, scripts) are only ever offered as downloads.
 */
const MAX_FILENAME = 255;
// Path separators, C0/C1 controls, and bidi overrides that disguise an extension ("gpj.exe").
const UNSAFE_CHARS = /[/\\\p{Cc}\u202a-\u202e\u2066-\u2069\u200e\u200f]/gu;

export function sanitizeFilename(name: string | undefined): string {
  const cleaned = (name ?? "").normalize("NFC").replace(UNSAFE_CHARS, "").trim();
  const usable = cleaned === "" || cleaned === "." || cleaned === ".." ? "file" : cleaned;
  const chars = Array.from(usable);
  if (chars.length <= MAX_FILENAME) return usable;
  const dot = usable.lastIndexOf(".");
  const ext = dot > 0 ? Array.from(usable.slice(dot)) : [];
  const keepExt = ext.length > 0 && ext.length <= 16 ? ext : [];
  return chars.slice(0, MAX_FILENAME - keepExt.length).join("") + keepExt.join("");
}

const INLINE_TYPES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
  "application/pdf",
  "text/plain",
]);
const isMedia = (type: string) => /^(audio|video)\/[\w.+-]+$/.test(type);
const isRisky = (type: string) =>
  /html|xml|svg|javascript|ecmascript|x-sh\b/.test(type) ||
  (type.startsWith("text/") && type !== "text/plain" && type !== "text/csv");

export type TServing = { contentType: string; disposition: "inline" | "attachment" };

/** How to serve a stored type: risky types become opaque downloads, safe ones may show inline. */
export function servingFor(storedType: string): TServing {
  const type = storedType.toLowerCase();
  if (isRisky(type)) return { contentType: "application/octet-stream", disposition: "attachment" };
  if (type === "text/plain") return { contentType: "text/plain; charset=utf-8", disposition: "inline" };
  if (INLINE_TYPES.has(type) || isMedia(type)) return { contentType: type, disposition: "inline" };
  return { contentType: type, disposition: "attachment" };
}

/** `Content-Disposition` with an ASCII fallback and the exact name per RFC 5987/6266. */
export function contentDisposition(disposition: "inline" | "attachment", filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%;]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const HTML_STARTS = [
  "<!doctype html",
  "<html",
  "<head",
  "<body",
  "<script",
  "<iframe",
  "<style",
  "<title",
  "<table",
  "<div",
  "<font",
  "<br",
  "<p>",
  "<p ",
  "<a ",
  "<b>",
  "<h1",
  "<!--",
];

/**
 * The type of bytes that `file-type` does not recognise (it knows binary formats, not text):
 * HTML and SVG the way a browser would sniff them, other text as text/plain, the rest opaque.
 */
export function sniffTextType(head: Buffer): string {
  if (head.length === 0) return "application/octet-stream";
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, Math.min(head.length, 4096)));
  } catch {
    // A multi-byte character cut at the end of the sample is not a reason to call it binary.
    text = new TextDecoder("utf-8").decode(head.subarray(0, Math.min(head.length, 4096)));
    if ((text.slice(0, -1).match(/\ufffd/g) ?? []).length > 0) return "application/octet-stream";
  }
  if (text.includes("\u0000")) return "application/octet-stream";
  const start = text
    .replace(/^\ufeff/, "")
    .trimStart()
    .toLowerCase();
  if (start.startsWith("<svg") || (start.startsWith("<?xml") && start.includes("<svg")))
    return "image/svg+xml";
  if (start.startsWith("<?xml")) return "application/xml";
  if (HTML_STARTS.some((tag) => start.startsWith(tag))) return "text/html";
  return "text/plain";
}
