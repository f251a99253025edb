import assert from "node:assert/strict";
import { test } from "node:test";
import iconv from "iconv-lite";
import { parseMail } from "./parse-mail.ts";

const crlf = (lines: string[]) => lines.join("\r\n");
const b64 = (text: string, charset: string) => iconv.encode(text, charset).toString("base64");
const qEncoded = (text: string, charset: string) => `=?${charset}?B?${b64(text, charset)}?=`;

test("legacy charsets and RFC 2047 words are decoded: Polish, Romanian, Bulgarian, Persian", async () => {
  const cases: Array<[string, string, string]> = [
    ["windows-1250", "Gdzie jest moje zamówienie? Łódź", "Przesyłka się spóźnia, proszę o pomoc."],
    [
      "iso-8859-2",
      "Unde este comanda mea?",
      "Livrarea întârzie; vă rog să verificaţi (ISO-8859-2 has the cedilla forms ş ţ).",
    ],
    ["windows-1251", "Къде е моята поръчка?", "Доставката закъснява с три дни."],
    ["koi8-r", "Повредена пратка", "Кутията пристигна смачкана."],
    ["utf-8", "سفارش من کجاست؟", "ارسال دیر شده است."],
  ];
  for (const [charset, subject, body] of cases) {
    const raw = crlf([
      `From: ${qEncoded("Klient Łukasz", "utf-8")} <Customer@Example.COM>`,
      "To: help@shop.example",
      `Subject: ${qEncoded(subject, charset)}`,
      "Message-ID: <Abc.123@mail.example>",
      "MIME-Version: 1.0",
      `Content-Type: text/plain; charset=${charset}`,
      "Content-Transfer-Encoding: base64",
      "",
      b64(body, charset),
    ]);
    const mail = await parseMail(Buffer.from(raw, "latin1"));
    assert.equal(mail.subject, subject, charset);
    assert.equal(mail.text.trim(), body, charset);
    assert.deepEqual(mail.from, { address: "customer@example.com", name: "Klient Łukasz" });
    assert.equal(mail.messageId, "abc.123@mail.example");
  }
});

test("HTML is sanitised: scripts and handlers go, remote images are not loaded, cid images stay", async () => {
  const raw = crlf([
    "From: a@example.com",
    "To: help@shop.example",
    "Subject: html only",
    "MIME-Version: 1.0",
    "Content-Type: text/html; charset=utf-8",
    "",
    `<p onclick="steal()">Hello <b>there</b><script>alert(1)</script></p><img src="https://tracker.example/p.gif"><img src="cid:logo@x"><a href="javascript:alert(1)">x</a>`,
  ]);
  const mail = await parseMail(Buffer.from(raw));
  assert.ok(mail.html);
  assert.doesNotMatch(mail.html, /script|onclick|javascript:/i);
  assert.match(mail.html, /data-remote-src="https:\/\/tracker\.example\/p\.gif"/);
  assert.doesNotMatch(mail.html, / src="https:/);
  assert.match(mail.html, /src="cid:logo@x"/);
  assert.match(mail.text, /Hello there/);
});

test("threading headers, auto-replies and delivery reports are recognised", async () => {
  const reply = await parseMail(
    Buffer.from(
      crlf([
        "From: a@example.com",
        "To: help@shop.example",
        "Subject: Automatische Antwort: Lieferung",
        "Auto-Submitted: auto-replied",
        "In-Reply-To: <out-2@switchboard>",
        "References: <out-1@switchboard> <out-2@switchboard>",
        "",
        "Ich bin nicht im Büro.",
      ]),
    ),
  );
  assert.equal(reply.automated, "auto-submitted");
  assert.deepEqual(reply.references, ["out-2@switchboard", "out-1@switchboard"]);

  const bounce = await parseMail(
    Buffer.from(
      crlf([
        "From: MAILER-DAEMON@mx.example",
        "To: help@shop.example",
        "Subject: Undelivered Mail Returned to Sender",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        "",
        "--b1",
        "Content-Type: text/plain",
        "",
        "I'm sorry to have to inform you that your message could not be delivered.",
        "--b1",
        "Content-Type: message/delivery-status",
        "",
        "Final-Recipient: rfc822; gone@example.com",
        "Action: failed",
        "Status: 5.1.1",
        "--b1--",
      ]),
    ),
  );
  assert.equal(bounce.isBounce, true);
  assert.deepEqual(bounce.bounce, {
    permanent: true,
    recipients: ["gone@example.com"],
    status: "5.1.1",
    diagnostic: null,
    originalMessageId: null,
  });
  assert.equal(reply.isBounce, false);
  assert.equal(reply.bounce, null);
});

test("broken MIME still parses into something a person can read", async () => {
  const mail = await parseMail(
    Buffer.from(
      crlf(["Subject: no boundary", 'Content-Type: multipart/mixed; boundary="missing"', "", "just text"]),
    ),
  );
  assert.equal(mail.subject, "no boundary");
  assert.equal(mail.from, null);
});

test("raw 8-bit headers are read as UTF-8, or in the charset the message declares", async () => {
  const head = (charset: string) =>
    iconv.encode(
      crlf(["From: Петър Иванов <petar@example.bg>", "To: help@shop.example", "Subject: Счупена кана", ""]),
      charset,
    );
  for (const charset of ["utf-8", "windows-1251", "koi8-r"]) {
    const raw = Buffer.concat([
      head(charset),
      Buffer.from(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=${charset}\r\n\r\n`),
      iconv.encode("Кутията пристигна смачкана.", charset),
    ]);
    const mail = await parseMail(raw);
    assert.equal(mail.subject, "Счупена кана", charset);
    assert.deepEqual(mail.from, { address: "petar@example.bg", name: "Петър Иванов" }, charset);
    assert.equal(mail.text.trim(), "Кутията пристигна смачкана.", charset);
  }
});

test("a reply is split into what was written now and the quoted history, in text and HTML", async () => {
  const raw = crlf([
    "From: Anna <anna@example.com>",
    "To: help@shop.example",
    "Subject: Re: [#1042] Order",
    "In-Reply-To: <out-1@switchboard>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/alternative; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Thank you, the parcel arrived today in perfect condition.",
    "",
    "On Mon, Jan 5, 2026 at 10:00 AM Shop <help@shop.example> wrote:",
    "> Your order ships tomorrow.",
    "--b",
    "Content-Type: text/html; charset=utf-8",
    "",
    '<div dir="ltr">Thank you, the parcel arrived today in perfect condition.</div><div class="gmail_quote"><div class="gmail_attr">On Mon, Jan 5, 2026 at 10:00 AM Shop wrote:</div><blockquote class="gmail_quote" data-sb-quoted="nope">Your order ships tomorrow.</blockquote></div>',
    "--b--",
  ]);
  const mail = await parseMail(Buffer.from(raw));
  assert.equal(mail.newText, "Thank you, the parcel arrived today in perfect condition.");
  assert.equal(
    mail.quotedText,
    "On Mon, Jan 5, 2026 at 10:00 AM Shop <help@shop.example> wrote:\n> Your order ships tomorrow.",
  );
  assert.match(mail.text, /ships tomorrow/);
  assert.equal(
    mail.html,
    '<div dir="ltr">Thank you, the parcel arrived today in perfect condition.</div><div data-sb-quoted="true"><div>On Mon, Jan 5, 2026 at 10:00 AM Shop wrote:</div><blockquote data-sb-quoted="true">Your order ships tomorrow.</blockquote></div>',
  );
  assert.equal(
    mail.newHtml,
    '<div dir="ltr">Thank you, the parcel arrived today in perfect condition.</div>',
  );
  assert.equal(mail.language, "en");
});

test("images load only from cid: and data:image; styles that escape the message go", async () => {
  const raw = crlf([
    "From: a@example.com",
    "Content-Type: text/html; charset=utf-8",
    "",
    '<img src="/api/tickets"><img src="//evil.example/p.gif"><img data-remote-src="javascript:alert(1)" src="data:image/png;base64,iVBORw0KGgo=">',
    '<div style="position:fixed;inset:0;z-index:9;color:red;background:url(https://evil.example/x.png)">overlay</div>',
  ]);
  const mail = await parseMail(Buffer.from(raw));
  assert.equal(
    mail.html,
    '<img /><img data-remote-src="https://evil.example/p.gif" /><img src="data:image/png;base64,iVBORw0KGgo=" />\n<div style="color:red">overlay</div>',
  );
});

test("parts without a file name get one; the language comes from the new text or the subject", async () => {
  const raw = crlf([
    "From: a@example.com",
    "Subject: Spotkanie w sprawie zamówienia i faktury",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="m"',
    "",
    "--m",
    "Content-Type: text/plain",
    "",
    "",
    "--m",
    "Content-Type: text/calendar; method=REQUEST",
    "",
    "BEGIN:VCALENDAR",
    "END:VCALENDAR",
    "--m",
    "Content-Type: message/rfc822; name=Invoice",
    "",
    "Subject: inner",
    "",
    "inner",
    "--m",
    "Content-Type: application/ms-tnef",
    "Content-Transfer-Encoding: base64",
    "",
    "eJ8+IhAA",
    "--m--",
  ]);
  const mail = await parseMail(Buffer.from(raw));
  assert.deepEqual(
    mail.attachments.map((a) => [a.filename, a.contentType]),
    [
      ["invite.ics", "text/calendar"],
      ["Invoice.eml", "message/rfc822"],
      ["winmail.dat", "application/ms-tnef"],
    ],
  );
  assert.equal(mail.newText, "");
  assert.equal(mail.language, "pl");
});

test("garbage does not throw: it parses to a mail without a sender", async () => {
  for (const raw of [
    Buffer.alloc(0),
    Buffer.alloc(512, 0),
    Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x3a, 0x3a]),
  ]) {
    const mail = await parseMail(raw);
    assert.equal(mail.from, null);
    assert.equal(mail.isBounce, false);
    assert.equal(mail.language, null);
  }
});
