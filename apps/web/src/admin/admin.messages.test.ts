import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { CUSTOM_FIELD_KINDS, USER_ROLES } from "@switchboard/contracts";
import { adminMessages } from "./admin.messages.ts";
import { adminEntryMessages } from "./admin-entry.messages.ts";

// react-intl does not check message ids against the catalogue, so a typo would show the raw key.
test("every admin.* key the admin code names is in the catalogue", () => {
  const used = new Set<string>();
  for (const file of fs.readdirSync(import.meta.dirname)) {
    if (!/\.tsx?$/.test(file) || /messages/.test(file)) continue;
    const source = fs.readFileSync(path.join(import.meta.dirname, file), "utf8");
    for (const [, key] of source.matchAll(/"(admin\.[\w.]+)"/g)) used.add(key as string);
  }
  // Keys built from a value: one per role and per field kind.
  for (const role of USER_ROLES) used.add(`admin.role.${role}`);
  for (const kind of CUSTOM_FIELD_KINDS) used.add(`admin.kind.${kind}`);
  const missing = [...used].filter((key) => !(key in adminMessages.en) && !(key in adminEntryMessages.en));
  assert.deepEqual(missing, []);
  assert.ok(used.size > 100, `found ${used.size} keys`);
});

test("Persian keeps Latin snippets in a left-to-right isolate", () => {
  for (const [key, text] of Object.entries(adminMessages.fa)) {
    const bare = text.replace(/\u2066[^\u2069]*\u2069/g, "");
    assert.doesNotMatch(bare, /https?:\/\/|#[0-9a-f]{6}/i, key);
  }
});
