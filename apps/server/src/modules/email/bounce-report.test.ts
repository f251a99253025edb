import assert from "node:assert/strict";
import { test } from "node:test";
import { bounceReport, type TBounceInput } from "./bounce-report.ts";

const crlf = (lines: string[]) => lines.join("\r\n");

const input = (overrides: Partial<TBounceInput>): TBounceInput => ({
  raw: Buffer.from(""),
  isReport: false,
  fromAddress: "mailer-daemon@mx.example",
  fromName: "",
  toAddresses: ["help@shop.example"],
  subject: "",
  text: "",
  attachments: [],
  ...overrides,
});

const report = (parts: string[][]) =>
  Buffer.from(
    crlf([
      "From: MAILER-DAEMON@mx.example",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
      "",
      ...parts.flatMap((p) => ["--r", ...p]),
      "--r--",
    ]),
  );

test("a DSN is read per recipient: the failed one counts, a delivered one does not", () => {
  const raw = report([
    ["Content-Type: text/plain", "", "Delivery to some recipients failed."],
    [
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.example",
      "",
      "Final-Recipient: rfc822; <Done@Example.com>",
      "Action: delivered",
      "Status: 2.0.0",
      "",
      "Final-Recipient: RFC822; Gone@Example.com",
      "Action: failed",
      "Status: 5.1.1 (user unknown)",
      "Diagnostic-Code: smtp; 550 5.1.1 no such",
      "  user here",
    ],
    [
      "Content-Type: message/rfc822",
      "",
      "From: help@shop.example",
      "Message-ID: <Out-7@Shop.Example>",
      "",
      "hi",
    ],
  ]);
  assert.deepEqual(bounceReport(input({ raw, isReport: true })), {
    permanent: true,
    recipients: ["gone@example.com"],
    status: "5.1.1",
    diagnostic: "550 5.1.1 no such user here",
    originalMessageId: "out-7@shop.example",
  });
});

test("a base64 global delivery status and a delay are read; a delay is not permanent", () => {
  const status = Buffer.from(
    crlf([
      "Reporting-MTA: dns; mx.example",
      "",
      "Final-Recipient: utf-8; słow@example.pl",
      "Action: delayed",
      "Status: 4.4.7",
    ]),
  ).toString("base64");
  const raw = report([
    ["Content-Type: message/global-delivery-status", "Content-Transfer-Encoding: base64", "", status],
    ["Content-Type: text/rfc822-headers", "", "Message-ID:", " <folded-1@shop.example>"],
  ]);
  assert.deepEqual(bounceReport(input({ raw, isReport: true })), {
    permanent: false,
    recipients: ["słow@example.pl"],
    status: "4.4.7",
    diagnostic: null,
    originalMessageId: "folded-1@shop.example",
  });
});

test("a report without a delivery-status part (and a missing end boundary) still is a bounce", () => {
  const raw = Buffer.from(
    crlf([
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
      "",
      "--r",
      "",
      "oops",
    ]),
  );
  const bounce = bounceReport(
    input({ raw, isReport: true, text: "Your message to a@b.example could not be delivered." }),
  );
  assert.deepEqual(bounce, {
    permanent: true,
    recipients: ["a@b.example"],
    status: null,
    diagnostic: null,
    originalMessageId: null,
  });
});

test("plain-text bounces: Exim's delay warning is not permanent, its failure is", () => {
  const delayed = bounceReport(
    input({
      subject: "Warning: message 1vXk2L-0004Zq-7T delayed 24 hours",
      fromName: "Mail Delivery System",
      text: "This message was created automatically by mail delivery software.\nA message that you sent has not yet been delivered to one or more of its\nrecipients after more than 24 hours on the queue.\n\n  slow@example.com\n    Delay reason: SMTP error from remote mail server after RCPT TO:<slow@example.com>:\n    451 4.7.1 Greylisted, try again later\n",
    }),
  );
  assert.equal(delayed?.permanent, false);
  assert.equal(delayed?.status, "4.7.1");
  assert.deepEqual(delayed?.recipients, ["slow@example.com"]);
});

test("out-of-office answers, forwarded bounces and ordinary mail are not bounces", () => {
  const person = { fromAddress: "anna@example.com", fromName: "Anna" };
  assert.equal(
    bounceReport(
      input({
        ...person,
        subject: "Automatic reply: Your order",
        text: "I am out of the office until Monday.",
      }),
    ),
    null,
  );
  assert.equal(
    bounceReport(
      input({
        ...person,
        subject: "Fwd: Undelivered Mail Returned to Sender",
        text: "Why did this happen? ... your message could not be delivered to one or more recipients",
      }),
    ),
    null,
  );
  // Even from a daemon address, a notice that is not about a failed delivery.
  assert.equal(bounceReport(input({ subject: "Quarantine summary", text: "3 messages are held." })), null);
});

test("long texts without structure are read in linear time", () => {
  const text = `Your message could not be delivered ${"a.".repeat(200_000)}`;
  const started = performance.now();
  const bounce = bounceReport(input({ subject: "Undeliverable: x", text }));
  assert.ok(bounce);
  assert.ok(performance.now() - started < 2000);
});
