import { bg } from "./bg.ts";
import { en, type TMessageKey } from "./en.ts";
import { fa } from "./fa.ts";
import { pl } from "./pl.ts";
import { ro } from "./ro.ts";

// The same five as @switchboard/contracts' LOCALES (messages.test.ts holds them equal), declared here
// so that the app's bundle does not take in zod with the contracts.
export const LOCALES = ["en", "ro", "pl", "bg", "fa"] as const;
export type TLocale = (typeof LOCALES)[number];
export type TMessages = Record<TMessageKey, string>;

export const MESSAGES: Record<TLocale, TMessages> = { en, ro, pl, bg, fa };

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
