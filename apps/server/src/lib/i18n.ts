import { LOCALES, RTL_LOCALES, type TLocale } from "@switchboard/contracts";
import { IntlMessageFormat } from "intl-messageformat";
import { bg } from "./i18n-messages/bg.ts";
import { en, type TMessageKey, type TMessages } from "./i18n-messages/en.ts";
import { fa } from "./i18n-messages/fa.ts";
import { pl } from "./i18n-messages/pl.ts";
import { ro } from "./i18n-messages/ro.ts";

/**
 * Customer-facing texts (contact form, status page; later emails and the help center) in ICU
 * message syntax, formatted with FormatJS's intl-messageformat so plurals and numbers follow each
 * locale's rules. Every locale has every key: the type says so, and i18n.test.ts checks it too.
 */
export type { TMessageKey };
export const MESSAGES: Record<TLocale, TMessages> = { en, ro, pl, bg, fa };

/** Each locale's own name, for a language switcher. */
export const LOCALE_NAMES: Record<TLocale, string> = {
  en: "English",
  ro: "Română",
  pl: "Polski",
  bg: "Български",
  fa: "فارسی",
};

export type TValues = Record<string, string | number>;
export type TTranslate = (key: TMessageKey, values?: TValues) => string;

const compiled = new Map<string, IntlMessageFormat>();

export function translator(locale: TLocale): TTranslate {
  return (key, values) => {
    const cacheKey = `${locale}\u0000${key}`;
    let format = compiled.get(cacheKey);
    if (!format) {
      format = new IntlMessageFormat(MESSAGES[locale][key] ?? en[key], locale);
      compiled.set(cacheKey, format);
    }
    return String(format.format(values));
  };
}

export const isLocale = (value: unknown): value is TLocale =>
  typeof value === "string" && (LOCALES as readonly string[]).includes(value);

export const directionOf = (locale: TLocale): "rtl" | "ltr" => (RTL_LOCALES.includes(locale) ? "rtl" : "ltr");

/** Accept-Language ranges, best first: "fa-IR,fa;q=0.9,en;q=0.5" → ["fa-ir", "fa", "en"]. */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .slice(0, 20)
    .map((part, index) => {
      const [range = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { range: range.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.range !== "" && r.range !== "*" && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((r) => r.range);
}

/** ?lang= first, then Accept-Language among the brand's locales, then the brand's default. */
export function pickLocale(opts: {
  query: unknown;
  acceptLanguage: string | undefined;
  supported: readonly TLocale[];
  fallback: TLocale;
}): TLocale {
  const { query, supported, fallback } = opts;
  if (isLocale(query) && supported.includes(query)) return query;
  for (const range of parseAcceptLanguage(opts.acceptLanguage)) {
    const primary = range.split("-")[0];
    const match = supported.find((l) => l === primary);
    if (match) return match;
  }
  return supported.includes(fallback) ? fallback : (supported[0] ?? fallback);
}
