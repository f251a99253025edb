import assert from "node:assert/strict";
import { test } from "node:test";
import { fromZonedInput, toZonedInput } from "./zoned.ts";

test("a due time typed in Tehran is stored as the right instant, and shown back the same", () => {
  const iso = fromZonedInput("2026-12-01T09:30", "Asia/Tehran");
  assert.equal(iso, "2026-12-01T06:00:00.000Z");
  assert.equal(toZonedInput(iso, "Asia/Tehran"), "2026-12-01T09:30");
});

test("daylight saving time is followed: Bucharest is UTC+3 in July and UTC+2 in December", () => {
  assert.equal(fromZonedInput("2026-07-01T12:00", "Europe/Bucharest"), "2026-07-01T09:00:00.000Z");
  assert.equal(fromZonedInput("2026-12-01T12:00", "Europe/Bucharest"), "2026-12-01T10:00:00.000Z");
});

test("an empty or malformed input is no date", () => {
  assert.equal(fromZonedInput("", "UTC"), null);
  assert.equal(toZonedInput(null, "UTC"), "");
});
