import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse, TYPE } from "@formatjs/icu-messageformat-parser";
import { LOCALES } from "@switchboard/contracts";
import { directionOf, MESSAGES, parseAcceptLanguage, pickLocale, translator } from "./i18n.ts";

type TElement = ReturnType<typeof parse>[number];

/** The argument names a message uses, e.g. {brand} and {count}. */
function argumentsOf(elements: TElement[]): string[] {
  const names: string[] = [];
  for (const el of elements) {
    if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date) names.push(el.value);
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      names.push(el.value);
      for (const option of Object.values(el.options)) names.push(...argumentsOf(option.value));
    }
  }
  return [...new Set(names)].sort();
}

describe("customer-facing translations", () => {
  const reference = MESSAGES.en;

  test("every locale has every key, no extra ones, and no empty text", () => {
    for (const locale of LOCALES) {
      const messages = MESSAGES[locale];
      const missing = Object.keys(reference).filter((k) => !(k in messages));
      const extra = Object.keys(messages).filter((k) => !(k in reference));
      assert.deepEqual(missing, [], `${locale} is missing keys`);
      assert.deepEqual(extra, [], `${locale} has keys English does not`);
      for (const [key, text] of Object.entries(messages)) assert.ok(text.trim(), `${locale}.${key} is empty`);
    }
  });

  test("every translation parses and uses the same placeholders as English", () => {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(MESSAGES[locale])) {
        const expected = argumentsOf(parse(reference[key as keyof typeof reference]));
        assert.deepEqual(argumentsOf(parse(text)), expected, `${locale}.${key}`);
      }
    }
  });

  test("texts are formatted with their values", () => {
    assert.equal(translator("en")("contact.title", { brand: "Acme" }), "Contact Acme");
    assert.equal(translator("fa")("thread.team", { brand: "Acme" }), "پشتیبانی Acme");
  });

  test("the locale comes from ?lang=, then Accept-Language among the brand's, then the default", () => {
    const supported = ["en", "ro", "fa"] as const;
    const pick = (query: unknown, acceptLanguage?: string) =>
      pickLocale({ query, acceptLanguage, supported, fallback: "ro" });
    assert.equal(pick("fa", "en"), "fa");
    assert.equal(pick("pl", "en"), "en", "a locale the brand does not offer is ignored");
    assert.equal(pick(undefined, "pl-PL,fa-IR;q=0.8,en;q=0.5"), "fa");
    assert.equal(pick(undefined, "de, *"), "ro");
    assert.equal(pick(["fa"], undefined), "ro");
    assert.deepEqual(parseAcceptLanguage("en;q=0.1, ro-RO , fa;q=0"), ["ro-ro", "en"]);
    assert.equal(directionOf("fa"), "rtl");
    assert.equal(directionOf("bg"), "ltr");
  });
});
