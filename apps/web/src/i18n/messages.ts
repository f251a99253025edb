import type { adminMessages } from "../admin/admin.messages.ts";
import { adminEntryMessages } from "../admin/admin-entry.messages.ts";
import { keyboardMessages } from "../keyboard/keyboard.messages.ts";
import { liveMessages } from "../realtime/live.messages.ts";
import { searchMessages } from "../search/search.messages.ts";
import { ticketMessages } from "../tickets/tickets.messages.ts";
import { viewMessages } from "../views/views.messages.ts";
import { bg } from "./bg.ts";
import { LOCALES, type TCatalogue, type TLocale } from "./catalogue.ts";
import { en, type TCoreKey } from "./en.ts";
import { fa } from "./fa.ts";
import { pl } from "./pl.ts";
import { ro } from "./ro.ts";

export { LOCALES, type TLocale };

/** The shell's own strings (sign-in, views, tickets); features declare theirs with defineCatalogue. */
const core: TCatalogue<TCoreKey> = { en, ro, pl, bg, fa };

/** Every feature's catalogue; a key belongs to exactly one of them (messages.test.ts). */
export const CATALOGUES = [
  core,
  ticketMessages,
  viewMessages,
  searchMessages,
  keyboardMessages,
  liveMessages,
  adminEntryMessages,
] as const;

type TKeysOf<C> = C extends TCatalogue<infer K> ? K : never;
// Keys of features loaded on demand too (their strings arrive with them, see FeatureMessages).
export type TMessageKey = TKeysOf<(typeof CATALOGUES)[number] | typeof adminMessages>;
export type TMessages = Record<TMessageKey, string>;

export const MESSAGES = Object.fromEntries(
  LOCALES.map((locale) => [locale, Object.assign({}, ...CATALOGUES.map((c) => c[locale])) as TMessages]),
) as Record<TLocale, TMessages>;

/** Each language's name in itself, for the language menu. */
export const LANGUAGE_NAMES: Record<TLocale, string> = {
  en: "English",
  ro: "Română",
  pl: "Polski",
  bg: "Български",
  fa: "فارسی",
};

export const isRtl = (locale: TLocale) => locale === "fa";

export const asLocale = (value: string | null | undefined): TLocale =>
  (LOCALES as readonly string[]).includes(value ?? "") ? (value as TLocale) : "en";
