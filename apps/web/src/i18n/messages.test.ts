import assert from "node:assert/strict";
import { test } from "node:test";
import { type MessageFormatElement, parse, TYPE } from "@formatjs/icu-messageformat-parser";
import { LOCALES as SERVER_LOCALES } from "@switchboard/contracts";
import { LAZY_CATALOGUES } from "./lazy-catalogues.ts";
import { CATALOGUES, LOCALES, MESSAGES } from "./messages.ts";

const ALL = [...CATALOGUES, ...LAZY_CATALOGUES];

test("every catalogue names exactly the English keys in every locale, none empty", () => {
  for (const catalogue of ALL) {
    const keys = Object.keys(catalogue.en).sort();
    for (const locale of LOCALES) {
      assert.deepEqual(Object.keys(catalogue[locale]).sort(), keys, `${locale}: missing or extra keys`);
      for (const [key, text] of Object.entries(catalogue[locale]))
        assert.ok(text.trim(), `${locale} ${key} is empty`);
    }
  }
});

test("no key is declared by two features (one would hide the other)", () => {
  const seen = new Set<string>();
  for (const catalogue of ALL) {
    for (const key of Object.keys(catalogue.en)) {
      assert.ok(!seen.has(key), `${key} is declared twice`);
      seen.add(key);
    }
  }
});

/** Plural elements anywhere in a message, nested ones included. */
function* plurals(
  ast: MessageFormatElement[],
): Generator<Extract<MessageFormatElement, { type: TYPE.plural }>> {
  for (const element of ast) {
    if (element.type === TYPE.plural) yield element;
    if (element.type === TYPE.plural || element.type === TYPE.select)
      for (const option of Object.values(element.options)) yield* plurals(option.value);
    if (element.type === TYPE.tag) yield* plurals(element.children);
  }
}

test("every message is valid ICU, and plurals name each category the language needs", () => {
  for (const locale of LOCALES) {
    const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    const texts = Object.assign({}, MESSAGES[locale], ...LAZY_CATALOGUES.map((c) => c[locale]));
    for (const [key, text] of Object.entries(texts as Record<string, string>)) {
      for (const element of plurals(parse(text))) {
        for (const category of needed) {
          assert.ok(category in element.options, `${locale} ${key}: no "${category}" plural form`);
        }
      }
    }
  }
});

test("the app speaks the languages the server does", () => {
  assert.deepEqual([...LOCALES], [...SERVER_LOCALES]);
});
