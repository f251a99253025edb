import assert from "node:assert/strict";
import { test } from "node:test";
import { contentHash, inboundDedupKey, rawMessageId } from "./dedup-key.ts";

const mail = (extra: string, body = "Where is my order?\r\n") =>
  Buffer.from(
    `${extra}From: Ana <ana@example.ro>\r\nTo: support@shop.test\r\nSubject: Order\r\nMessage-ID: <abc@example.ro>\r\n\r\n${body}`,
  );

test("the same mail delivered again through other hops has the same key", () => {
  const first = mail("Received: from a by b; Mon, 30 Nov 2026 10:00:00 +0000\r\n");
  const second = mail(
    "Received: from c by d;\r\n Mon, 30 Nov 2026 10:05:00 +0000\r\nDelivered-To: support@shop.test\r\nReturn-Path: <ana@example.ro>\r\n",
  );
  assert.equal(contentHash(first), contentHash(second));
  assert.equal(inboundDedupKey(first, "abc@example.ro"), inboundDedupKey(second, "abc@example.ro"));
});

test("line endings and trailing blank lines do not change the key, the content does", () => {
  const crlf = mail("");
  const lf = Buffer.from(`${crlf.toString("latin1").replace(/\r\n/g, "\n")}\n\n`, "latin1");
  assert.equal(contentHash(crlf), contentHash(lf));
  assert.notEqual(contentHash(crlf), contentHash(mail("", "Where is my other order?\r\n")));
});

test("a different mail reusing a Message-ID is a different key", () => {
  assert.notEqual(
    inboundDedupKey(mail(""), "abc@example.ro"),
    inboundDedupKey(mail("", "Another text\r\n"), "abc@example.ro"),
  );
});

test("the Message-ID is read bare and lowercase, folded or not", () => {
  assert.equal(rawMessageId(mail("")), "abc@example.ro");
  assert.equal(rawMessageId(Buffer.from("Message-ID:\r\n <X.Y@Host>\r\n\r\nbody")), "x.y@host");
  assert.equal(rawMessageId(Buffer.from("Subject: none\r\n\r\nMessage-ID: <in@body>")), null);
});
