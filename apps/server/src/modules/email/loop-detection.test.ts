import assert from "node:assert/strict";
import { test } from "node:test";
import { automatedReason, headerLookup } from "./loop-detection.ts";

test("auto-replies, bulk and list mail are recognised by their headers", () => {
  const cases: Array<[Record<string, string>, string | null]> = [
    [{ "Auto-Submitted": "auto-replied" }, "auto-submitted"],
    [{ "auto-submitted": "No" }, null],
    [{ Precedence: "bulk" }, "precedence"],
    [{ Precedence: "first-class" }, null],
    [{ "X-Autoreply": "yes" }, "x-autoreply"],
    [{ "X-Auto-Response-Suppress": "OOF, AutoReply" }, "auto-response-suppress"],
    [{ "List-Id": "<news.shop.example>" }, "list-id"],
    [{ "List-Unsubscribe": "<mailto:u@shop.example>" }, "list-unsubscribe"],
    [{ From: "customer@example.com", Subject: "Where is my order?" }, null],
  ];
  for (const [headers, expected] of cases) {
    assert.equal(automatedReason(headerLookup(headers)), expected, JSON.stringify(headers));
  }
});
