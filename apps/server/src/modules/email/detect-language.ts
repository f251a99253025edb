import type { TLocale } from "@switchboard/contracts";
import { francAll } from "franc-min";

/**
 * The language of a customer's mail, among the five we answer in. The script decides first: Arabic
 * script is Persian and Cyrillic is Bulgarian (the only such languages we support). Latin text goes
 * to franc restricted to English, Romanian and Polish, and letters only one of them uses break a
 * close call. Null when the text is too short or the call is still too close.
 */
const FRANC_TO_LOCALE: Record<string, TLocale> = { eng: "en", ron: "ro", pol: "pl" };

const MIN_LETTERS = 12;
// franc scores the best language 1 and the others relative to it; a runner-up this close means unsure.
const MAX_RUNNER_UP = 0.85;
const MAX_RUNNER_UP_LONG = 0.92;

const ARABIC = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/gu;
const CYRILLIC = /[\u0400-\u04ff]/gu;
const LATIN = /[a-zA-Z\u00c0-\u024f]/gu;
const ROMANIAN_ONLY = /[șțşţăâî]/giu;
const POLISH_ONLY = /[ąęłśźżńć]/giu;

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

export function detectLanguage(text: string): TLocale | null {
  // Enough text to judge; regular expressions below run on this much at most.
  const sample = text
    .slice(0, 20000)
    // Addresses and links are no language; split on spaces (a \S+@\S+ pattern backtracks badly).
    .split(/(\s+)/)
    .map((token) => (token.includes("@") || /^https?:\/\//i.test(token) ? " " : token))
    .join("")
    .replace(/^[ \t]*>.*$/gm, " ")
    // Header lines of forwarded mail are in the mail program's language, not the sender's.
    .replace(/^[ \t]*(?:from|to|cc|date|sent|subject)[ \t]*:.*$/gim, " ")
    .replace(/^-{3,}.*$/gm, " ")
    .slice(0, 4000);
  const arabic = count(sample, ARABIC);
  const cyrillic = count(sample, CYRILLIC);
  const latin = count(sample, LATIN);
  const letters = arabic + cyrillic + latin;
  if (letters < MIN_LETTERS) return null;
  if (arabic >= letters / 2) return "fa";
  if (cyrillic >= letters / 2) return "bg";
  if (latin < MIN_LETTERS) return null;

  const latinOnly = sample.replace(ARABIC, " ").replace(CYRILLIC, " ");
  const ranked = francAll(latinOnly, { only: Object.keys(FRANC_TO_LOCALE), minLength: MIN_LETTERS });
  const [best, runnerUp] = ranked;
  const romanian = count(latinOnly, ROMANIAN_ONLY);
  const polish = count(latinOnly, POLISH_ONLY);
  const byLetters: TLocale | null =
    romanian > polish * 2 && romanian >= 2 ? "ro" : polish > romanian * 2 && polish >= 2 ? "pl" : null;
  if (!best || best[0] === "und") return byLetters;
  const francLocale = FRANC_TO_LOCALE[best[0]] ?? null;
  // A long text earns a closer call.
  if (runnerUp && runnerUp[1] > (latin >= 200 ? MAX_RUNNER_UP_LONG : MAX_RUNNER_UP)) return byLetters;
  // Diacritics only Romanian or Polish writes overrule a mistaken guess between those two.
  if (byLetters && francLocale !== "en" && byLetters !== francLocale) return byLetters;
  return francLocale;
}
