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
