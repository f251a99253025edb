/**
 * The quoted history of a reply: what the sender wrote now, apart from what they quoted.
 *
 * Text: the history starts at an attribution line ("On … wrote:" and its forms in Romanian, Polish,
 * Bulgarian, Persian and the mail clients' own languages), at an Outlook "-----Original Message-----"
 * separator or "From: … Sent: …" header block, or at a trailing block of ">" lines. Everything from
 * there on is history, attribution included. When nothing would be left of the new text (a forward
 * without a comment, or a mail that only quotes), the mail is not split: it is all new text.
 *
 * HTML: the history is marked, not cut out. `html` keeps everything with the quoted container marked
 * `data-sb-quoted="true"` and `newHtml` is the same HTML without the marked containers. A mark rather
 * than two strings because the quoted part of HTML is often not at the end (Outlook nests it inside
 * its section divs, Gmail inside its signature wrapper): the staff app collapses the marked element
 * in place, the full mail stays what was received, and the mark survives storage as it is.
 */

const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

// The words that end an attribution line: "wrote:" in our languages and the mail clients' others.
const WROTE =
  /(?:wrote|a scris|napisał\(a\)|napisał|napisała|pisze|написа|написал\(а\)|написал|написала|نوشت|نوشته است|schrieb|a écrit|escribió|ha scritto|skrev|schreef|escreveu)\s*[:：]$/iu;
// How attribution lines start when a client wraps them over several lines.
const OPENER = /^(?:on|în|in|la|pe|w dniu|dnia|на|در|am|le|el|il|op|den|em)\b|^\S{1,6}\.?,\s*[\d۰-۹]/iu;
// mail.ru and Yandex: "Понедельник, 5 января 2026, 10:00 +03:00 от Иван <ivan@mail.ru>:".
const ADDRESS_ATTRIBUTION = /<[^<>\s@]+@[^<>\s]+>\s*:$/u;

const ORIGINAL_MESSAGE =
  /^-{2,}\s*(?:original message|mesaj original|mesajul original|wiadomość oryginalna|oryginalna wiadomość|оригинално съобщение|оригинално писмо|исходное сообщение|پیام اصلی|ursprüngliche nachricht|message d'origine)\s*-{2,}$/iu;
const UNDERSCORES = /^_{20,}$/;
const FORWARD_MARKER =
  /^(?:-{2,}\s*(?:forwarded message|mesaj redirecționat|wiadomość przekazana|препратено съобщение|پیام هدایت‌شده|weitergeleitete nachricht)\s*-*|begin forwarded message:|start of forwarded message)$/iu;

// Outlook's header block of the quoted mail, in the languages its users have.
const HEADER_FROM = /^\*?(?:from|de la|de|od|от|از|von|van)\s*:\*?\s*\S/iu;
const HEADER_SENT =
  /^\*?(?:sent|date|trimis|data|wysłano|wysłane|data wysłania|изпратено|дата|ارسال شده|ارسال|تاریخ|gesendet|datum|envoyé)\s*:/iu;

const clean = (line: string) => line.replace(BIDI, "").trim();

const isAttribution = (joined: string) =>
  joined.length <= 400 &&
  (WROTE.test(joined) || (ADDRESS_ATTRIBUTION.test(joined) && /[\d۰-۹]/u.test(joined))) &&
  (OPENER.test(joined) || /[\d۰-۹@<]/u.test(joined));

/** The index of the line where the attribution that starts at line i ends, or -1. */
function attributionEnd(lines: string[], i: number): number {
  const first = clean(lines[i] ?? "");
  if (!first) return -1;
  if (isAttribution(first)) return i;
  // Gmail wraps a long attribution over two or three lines; only when it starts like one.
  if (!OPENER.test(first)) return -1;
  let joined = first;
  for (let j = i + 1; j < Math.min(lines.length, i + 3); j++) {
    const next = clean(lines[j] ?? "");
    if (!next) return -1;
    joined = `${joined} ${next}`;
    if (isAttribution(joined)) return j;
  }
  return -1;
}

const previousNonBlank = (lines: string[], i: number) => {
  for (let j = i - 1; j >= 0; j--) if (clean(lines[j] ?? "")) return j;
  return -1;
};

function isOutlookHeaderBlock(lines: string[], i: number): boolean {
  if (!HEADER_FROM.test(clean(lines[i] ?? ""))) return false;
  const before = previousNonBlank(lines, i);
  // A forwarded message's header block is the forwarded content, not history.
  if (before >= 0 && FORWARD_MARKER.test(clean(lines[before] ?? ""))) return false;
  for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
    if (HEADER_SENT.test(clean(lines[j] ?? ""))) return true;
  }
  return false;
}

/** Where the quoted history starts, or -1. */
function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = clean(lines[i] ?? "");
    if (!line) continue;
    if (ORIGINAL_MESSAGE.test(line)) return i;
    if (UNDERSCORES.test(line)) {
      const next = lines.findIndex((l, j) => j > i && clean(l));
      if (next > 0 && isOutlookHeaderBlock(lines, next)) return i;
    }
    if (isOutlookHeaderBlock(lines, i)) return i;
    const end = attributionEnd(lines, i);
    if (end >= 0) {
      // A line that merely ends in "wrote:" counts when quoted lines follow or it names an address.
      const next = lines.findIndex((l, j) => j > end && clean(l));
      const named = /@/.test(lines.slice(i, end + 1).join(" "));
      if (named || (next > 0 && clean(lines[next] ?? "").startsWith(">"))) return i;
    }
  }
  // A trailing block of ">" lines, with the attribution line before it if it has one.
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = clean(lines[i] ?? "");
    if (!line) continue;
    if (!line.startsWith(">")) break;
    start = i;
  }
  if (start < 0) return -1;
  const before = previousNonBlank(lines, start);
  if (before >= 0 && WROTE.test(clean(lines[before] ?? ""))) return before;
  return start;
}

export type TQuotedSplit = { newText: string; quotedText: string | null };

/** Splits plain text into what the sender wrote now and the history they quoted. */
export function splitQuotedText(text: string): TQuotedSplit {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const start = historyStart(lines);
  if (start < 0) return { newText: text.trim(), quotedText: null };
  const newText = lines.slice(0, start).join("\n").trim();
  const quotedText = lines.slice(start).join("\n").trim();
  if (!newText || !quotedText) return { newText: text.trim(), quotedText: null };
  return { newText, quotedText };
}

// ---------------------------------------------------------------------------------------------
// HTML

export const QUOTED_ATTRIBUTE = "data-sb-quoted";

/**
 * How a raw (unsanitised) element takes part in the quoted history: "container" holds the history
 * (Gmail, Yahoo, Thunderbird's attribution, Apple and Thunderbird's cite blockquote), "start" begins
 * it and everything after it in its parent belongs to it (Outlook's reply header).
 */
export function quotedRole(tagName: string, attribs: Record<string, string>): "container" | "start" | null {
  const classes = ` ${(attribs.class ?? "").toLowerCase()} `;
  const id = (attribs.id ?? "").toLowerCase();
  // Yahoo prefixes its classes in replies ("ydp5a1b2c3dyahoo_quoted").
  if (
    / (?:gmail_quote|gmail_quote_container|\S*yahoo_quoted|moz-cite-prefix|protonmail_quote) /.test(classes)
  ) {
    return "container";
  }
  if (tagName === "blockquote" && (attribs.type ?? "").toLowerCase() === "cite") return "container";
  if (id.startsWith("divrplyfwdmsg") || / outlookmessageheader /.test(classes)) return "start";
  const style = (attribs.style ?? "").toLowerCase().replace(/\s+/g, " ");
  if (tagName === "div" && /border-top: ?solid/.test(style) && /padding: ?3\.0pt 0/.test(style))
    return "start";
  return null;
}

// A small tree over sanitised HTML: sanitize-html writes balanced tags and escapes < and > inside
// text and attribute values, so a tag regex is enough here (and only here).
type TNode = { tag: string | null; open: string; children: TNode[]; parent: TNode | null };

const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

function parseTree(html: string): TNode {
  const root: TNode = { tag: "#root", open: "", children: [], parent: null };
  let current = root;
  const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>/g;
  let last = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    if (m.index > last) current.children.push(textNode(html.slice(last, m.index), current));
    last = m.index + m[0].length;
    const name = (m[2] ?? "").toLowerCase();
    if (m[1]) {
      let open: TNode | null = current;
      while (open && open.tag !== name) open = open.parent;
      if (open?.parent) current = open.parent;
      continue;
    }
    const node: TNode = { tag: name, open: m[0], children: [], parent: current };
    current.children.push(node);
    if (!VOID.has(name) && !m[0].endsWith("/>")) current = node;
  }
  if (last < html.length) current.children.push(textNode(html.slice(last), current));
  return root;
}

const textNode = (text: string, parent: TNode): TNode => ({ tag: null, open: text, children: [], parent });

const serialize = (node: TNode): string =>
  node.tag === null
    ? node.open
    : node.tag === "#root"
      ? node.children.map(serialize).join("")
      : VOID.has(node.tag) || node.open.endsWith("/>")
        ? node.open
        : `${node.open}${node.children.map(serialize).join("")}</${node.tag}>`;

const isBlank = (node: TNode) => node.tag === null && !node.open.replace(/&nbsp;/g, " ").trim();
const ROLE = new RegExp(`\\s${QUOTED_ATTRIBUTE}="([a-z]+)"`);
const roleOf = (node: TNode) => (node.tag === null ? null : (ROLE.exec(node.open)?.[1] ?? null));

function findNode(node: TNode, test: (n: TNode) => boolean): TNode | null {
  for (const child of node.children) {
    if (test(child)) return child;
    const found = findNode(child, test);
    if (found) return found;
  }
  return null;
}

const MARK = `${QUOTED_ATTRIBUTE}="true"`;

/**
 * Turns the "start" marks left by quotedRole into containers: the element, the separator <hr>
 * before it and everything after it in its parent are wrapped in one marked div. When the start is
 * the only thing in its parent (Outlook wraps its header in a bare div), the parent counts instead.
 */
export function wrapQuotedStarts(sanitizedHtml: string): string {
  if (!sanitizedHtml.includes(`${QUOTED_ATTRIBUTE}="start"`)) return sanitizedHtml;
  const root = parseTree(sanitizedHtml);
  const start = findNode(root, (n) => roleOf(n) === "start");
  if (start) {
    let node = start;
    while (
      node.parent &&
      node.parent.tag !== "#root" &&
      node.parent.children.every((c) => c === node || isBlank(c))
    ) {
      node = node.parent;
    }
    const parent = node.parent ?? root;
    let from = parent.children.indexOf(node);
    for (let i = from - 1; i >= 0; i--) {
      const sibling = parent.children[i];
      if (!sibling || isBlank(sibling)) continue;
      if (sibling.tag === "hr") from = i;
      break;
    }
    const wrapper: TNode = { tag: "div", open: `<div ${MARK}>`, children: [], parent };
    wrapper.children = parent.children.splice(from, parent.children.length - from, wrapper);
    for (const child of wrapper.children) child.parent = wrapper;
  }
  return serialize(root).replaceAll(` ${QUOTED_ATTRIBUTE}="start"`, "");
}

const visible = (html: string) =>
  /<img\b/i.test(html) ||
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;|&#160;/g, " ")
    .trim() !== "";

/** The marked HTML without its quoted containers; the whole HTML when nothing visible would be left. */
export function withoutQuotedHtml(markedHtml: string): string {
  if (!markedHtml.includes(MARK)) return markedHtml;
  const root = parseTree(markedHtml);
  const prune = (node: TNode) => {
    node.children = node.children.filter((c) => roleOf(c) !== "true");
    for (const child of node.children) prune(child);
  };
  prune(root);
  const result = serialize(root);
  return visible(result) ? result : markedHtml;
}
