import assert from "node:assert/strict";
import { test } from "node:test";
import { keyFrom, moved, slugFrom } from "./suggest.ts";

test("slugs and keys are suggested in plain Latin from names in the five languages", () => {
  assert.equal(slugFrom("Cafea Ștefan & Fiii"), "cafea-stefan-fiii");
  assert.equal(slugFrom("  Łódź Outdoor!  "), "lodz-outdoor");
  assert.equal(slugFrom("کتاب‌فروشی"), "", "nothing to suggest from another script");
  assert.equal(slugFrom(`${"a".repeat(49)} b`), "a".repeat(49), "at most 50, never ending in a dash");
  assert.equal(keyFrom("Order channel"), "order_channel");
  assert.equal(keyFrom("2nd-level Întrebare"), "nd_level_intrebare", "a key starts with a letter");
});

test("moving an entry renumbers only what changed", () => {
  const list = [
    { id: "a", position: 0 },
    { id: "b", position: 1 },
    { id: "c", position: 2 },
  ];
  assert.deepEqual(moved(list, 2, -1), [
    { id: "c", position: 1 },
    { id: "b", position: 2 },
  ]);
  // Entries created with equal positions still move one step.
  const same = list.map((e) => ({ ...e, position: 5 }));
  assert.deepEqual(moved(same, 0, 1), [
    { id: "b", position: 0 },
    { id: "a", position: 1 },
    { id: "c", position: 2 },
  ]);
});
