import assert from "node:assert/strict";
import { test } from "node:test";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type Mail from "nodemailer/lib/mailer/index.js";
import { composeAcknowledgement, type TMailBrand } from "./compose-mail.ts";
import { mimeInMemory, serialize } from "./mime-in-memory.ts";

const brand: TMailBrand = {
  name: "Carpathian Coffee",
  locale: "en",
  domain: "carpathian-coffee.test",
  from: { address: "help@carpathian-coffee.test", name: "Carpathian Coffee" },
  signature: "Echipa Carpathian\nhttps://carpathian-coffee.test",
};

const ack = (locale: "en" | "ro" | "pl" | "bg" | "fa") =>
  composeAcknowledgement({
    brand,
    ticket: {
      number: 1042,
      subject: "Comanda nu a ajuns / سفارش",
      statusUrl: "https://x.test/b/c/requests/abc",
      locale,
    },
    recipients: { to: [{ address: "ana@example.net", name: "Ana Pop" }], cc: [] },
    id: "0190aaaa-0000-7000-8000-000000000001",
    inReplyTo: "m1@example.net",
  });

/** The same tree through nodemailer's own streaming build and through ours. */
async function both(mail: Mail.Options) {
  const node = new MailComposer(mail).compile();
  return { theirs: (await node.build()).toString("utf8"), ours: serialize(node) };
}

test("acknowledgements come out byte for byte as nodemailer builds them, in every language", async () => {
  for (const locale of ["en", "ro", "pl", "bg", "fa"] as const) {
    const { theirs, ours } = await both(ack(locale));
    assert.equal(ours, theirs, locale);
  }
});

test("nested parts, quoted-printable and base64 bodies and in-memory attachments match too", async () => {
  const { theirs, ours } = await both({
    from: "Shop <help@shop.test>",
    to: "Кирил Петров <kiril@example.bg>",
    cc: "ola@example.pl",
    subject: "Re: [#1042] Zwrot – zamówienie",
    text: `Dzień dobry,\n\n${"Długa linia tekstu bez łamania ".repeat(12)}\n.\nKoniec.`,
    html: `<p dir="rtl">سلام</p><p>${"x".repeat(300)}</p>`,
    attachments: [
      { filename: "faktura.pdf", content: Buffer.from("%PDF-1.4 binary \u0000\u00ff") },
      { filename: "notes.txt", content: "plain ascii\r\nsecond line" },
    ],
  });
  assert.equal(ours, theirs);
});

test("a part that would have to be read from a file or URL is refused, not sent half built", () => {
  assert.throws(
    () =>
      mimeInMemory({
        from: "help@shop.test",
        to: "ana@example.net",
        text: "see attached",
        attachments: [{ filename: "a.pdf", path: "/nonexistent/a.pdf" }],
      }),
    /strings and Buffers only/,
  );
});
