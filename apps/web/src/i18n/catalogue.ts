// The same five as @switchboard/contracts' LOCALES (messages.test.ts holds them equal), declared here
// so that the app's bundle does not take in zod with the contracts.
export const LOCALES = ["en", "ro", "pl", "bg", "fa"] as const;
export type TLocale = (typeof LOCALES)[number];

/** One feature's strings (ICU messages) in every language. */
export type TCatalogue<K extends string = string> = { readonly [L in TLocale]: Readonly<Record<K, string>> };

/**
 * Declares a feature's strings. The keys are English's; the type makes every other language name
 * exactly those keys, so a missing translation fails the typecheck (and messages.test.ts).
 */
export const defineCatalogue = <K extends string>(
  catalogue: { en: Record<K, string> } & { [L in Exclude<TLocale, "en">]: Record<NoInfer<K>, string> },
): TCatalogue<K> => catalogue;
