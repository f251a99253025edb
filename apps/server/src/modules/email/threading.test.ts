import assert from "node:assert/strict";
import { test } from "node:test";
import {
  normalizeSubject,
  referencedMessageIds,
  subjectWithToken,
  ticketNumberFromSubject,
} from "./threading.ts";

test("reply and forward prefixes in the five languages are not part of the subject", () => {
  const cases: Array<[string, string]> = [
    ["Re: Where is my order?", "Where is my order?"],
    ["RE: re: Fwd: Where is my order?", "Where is my order?"],
    ["AW: WG: Lieferung", "Lieferung"],
    ["Re[2]: Refund", "Refund"],
    ["Răsp: Unde este comanda mea?", "Unde este comanda mea?"],
    ["Odp: PD: Gdzie jest moje zamówienie?", "Gdzie jest moje zamówienie?"],
    ["Отг: Пр: Къде е моята поръчка?", "Къде е моята поръчка?"],
    ["پاسخ: سفارش من کجاست؟", "سفارش من کجاست؟"],
    ["Re: [#1042] Where is my order?", "Where is my order?"],
    ["Regarding: invoices", "Regarding: invoices"],
    ["Reply needed", "Reply needed"],
  ];
  for (const [subject, expected] of cases) assert.equal(normalizeSubject(subject), expected, subject);
});

test("the [#1042] token names a ticket number; our subjects carry it once", () => {
  assert.equal(ticketNumberFromSubject("Re: [#1042] Where is my order?"), 1042);
  assert.equal(ticketNumberFromSubject("Order #1042 is late"), null, "a bare #number is not our token");
  assert.equal(subjectWithToken(1042, "Re: [#1042] Where is my order?"), "[#1042] Where is my order?");
});

test("In-Reply-To comes first, then References from the newest", () => {
  assert.deepEqual(referencedMessageIds({ inReplyTo: "<C@x>", references: "<A@x> <B@X>\r\n <C@x>" }), [
    "c@x",
    "b@x",
    "a@x",
  ]);
  assert.deepEqual(referencedMessageIds({ inReplyTo: "garbage", references: undefined }), []);
});
