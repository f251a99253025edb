import assert from "node:assert/strict";
import { test } from "node:test";
import { parse, TYPE } from "@formatjs/icu-messageformat-parser";
import { LOCALES as SERVER_LOCALES } from "@switchboard/contracts";
import { en } from "./en.ts";
import { LOCALES, MESSAGES } from "./messages.ts";

test("every locale has exactly the English keys, none empty", () => {
  const keys = Object.keys(en).sort();
  for (const locale of LOCALES) {
    assert.deepEqual(Object.keys(MESSAGES[locale]).sort(), keys, `${locale}: missing or extra keys`);
    for (const [key, text] of Object.entries(MESSAGES[locale]))
      assert.ok(text.trim(), `${locale} ${key} is empty`);
  }
});

test("every message is valid ICU, and plurals name each category the language needs", () => {
  for (const locale of LOCALES) {
    const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const [key, text] of Object.entries(MESSAGES[locale])) {
      const ast = parse(text);
      for (const element of ast) {
        if (element.type !== TYPE.plural) continue;
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
