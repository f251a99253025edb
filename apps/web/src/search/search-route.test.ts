import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSearchHash, searchHref, ticketNumberIn } from "./search-route.ts";

test("the results page's address holds the words and the filter, and reads back the same", () => {
  assert.equal(searchHref({ q: " refund card ", type: "all" }), "#/search?q=refund+card");
  assert.equal(
    searchHref({ q: "Ștefan & co", type: "customers" }),
    "#/search?q=%C8%98tefan+%26+co&type=customers",
  );
  assert.equal(searchHref({ q: "", type: "all" }), "#/search");
  for (const route of [
    { q: "refund card", type: "all" },
    { q: "Ștefan & co", type: "customers" },
    { q: "سفارش من", type: "tickets" },
  ] as const)
    assert.deepEqual(parseSearchHash(searchHref(route)), route);
});

test("any other address is not the results page; an unknown filter is all", () => {
  assert.equal(parseSearchHash("#/views/open"), null);
  assert.equal(parseSearchHash("#/searching"), null);
  assert.deepEqual(parseSearchHash("#/search"), { q: "", type: "all" });
  assert.deepEqual(parseSearchHash("#/search?q=x&type=orders"), { q: "x", type: "all" });
});

test("a ticket number, with or without #, is read as the server reads it", () => {
  assert.equal(ticketNumberIn("1042"), "1042");
  assert.equal(ticketNumberIn(" #1042 "), "1042");
  assert.equal(ticketNumberIn("# 7"), "7");
  assert.equal(ticketNumberIn("1042 refund"), null);
  assert.equal(ticketNumberIn("+40 721 123 456"), null);
  assert.equal(ticketNumberIn("CC-10231"), null);
});
