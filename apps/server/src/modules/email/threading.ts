/**
 * Pure rules for joining mail to tickets (issue: email channel). A reply or forward prefix in any of
 * our five languages (and the common ones of mail clients) is not part of the subject, and a subject
 * token `[#1042]` names a ticket of the brand.
 */

// "Re", "Fwd" and their forms in English, German/Scandinavian clients (AW, SV, VS), Romanian
// (Răsp, RE), Polish (Odp, PD), Bulgarian (Отг, Пр, Нап), Persian (پاسخ, باز, هدایت).
const PREFIXES = [
  "re",
  "fw",
  "fwd",
  "aw",
  "wg",
  "sv",
  "vs",
  "tr",
  "rv",
  "enc",
  "răsp",
  "rasp",
  "odp",
  "pd",
  "отг",
  "отн",
  "пр",
  "нап",
  "пп",
  "پاسخ",
  "هدایت",
  "ارسال",
];

// A prefix is a known word, maybe with a counter ("Re[2]", "Re(3)"), followed by ":" or the full-width
// and Arabic colons, at the start of the subject.
const PREFIX_RE = new RegExp(
  `^\\s*(?:${PREFIXES.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：]\\s*`,
  "iu",
);

/** The subject without reply/forward prefixes and without our ticket token, for comparing subjects. */
export function normalizeSubject(subject: string): string {
  let s = subject.replace(TOKEN_RE_GLOBAL, " ");
  for (let i = 0; i < 20; i++) {
    const next = s.replace(PREFIX_RE, "");
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, " ").trim();
}

const TOKEN_RE = /\[#(\d{1,12})\]/;
const TOKEN_RE_GLOBAL = /\[#\d{1,12}\]/g;

/** The ticket number named by a `[#1042]` token in the subject, or null. */
export function ticketNumberFromSubject(subject: string): number | null {
  const match = TOKEN_RE.exec(subject);
  return match?.[1] ? Number(match[1]) : null;
}

/** The subject of our outgoing mail for a ticket: the token first, then the ticket's subject. */
export const subjectWithToken = (ticketNumber: number, subject: string): string =>
  `[#${ticketNumber}] ${normalizeSubject(subject)}`;

const messageIdsIn = (value: string | undefined): string[] =>
  value?.match(/<[^<>\s]+>/g)?.map((id) => id.slice(1, -1).toLowerCase()) ?? [];

/** Message-IDs named by In-Reply-To, then References from newest to oldest; without angle brackets. */
export function referencedMessageIds(headers: {
  inReplyTo?: string | undefined;
  references?: string | undefined;
}): string[] {
  return [...new Set([...messageIdsIn(headers.inReplyTo), ...messageIdsIn(headers.references).reverse()])];
}
