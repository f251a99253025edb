/**
 * Folds text for search the same way on write and on query: lower case, diacritics removed
 * (Romanian ș ț ă, Polish ł ą ę, Persian harakat), and Arabic-script letters mapped to their
 * Persian forms, so "Ştefan", "stefan" and "ȘTEFAN" all match, as do ي/ی and ك/ک.
 */
const LETTER_MAP: Record<string, string> = {
  ł: "l",
  đ: "d",
  ø: "o",
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ı: "i",
  ي: "ی",
  ى: "ی",
  ك: "ک",
  ة: "ه",
  أ: "ا",
  إ: "ا",
  آ: "ا",
  "\u200c": " ", // zero-width non-joiner in Persian compounds
};
const LETTER_RE = new RegExp(`[${Object.keys(LETTER_MAP).join("")}]`, "g");

export function foldForSearch(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(LETTER_RE, (c) => LETTER_MAP[c] ?? c)
    .replace(/\s+/g, " ")
    .trim();
}

/** Words of a folded query, safe to put in a tsquery as prefix terms. */
export function queryTerms(query: string): string[] {
  return foldForSearch(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 8);
}

export const toPrefixTsQuery = (terms: string[]): string => terms.map((t) => `${t}:*`).join(" & ");

// Search text of a ticket grows with its thread; the cap keeps rows and index entries bounded.
export const SEARCH_TEXT_MAX = 20_000;
export const appendSearchText = (current: string, addition: string): string =>
  `${current} ${foldForSearch(addition)}`.slice(0, SEARCH_TEXT_MAX).trim();
