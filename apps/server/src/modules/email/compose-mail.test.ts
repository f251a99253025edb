import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type ParsedMail, simpleParser } from "mailparser";
import nodemailer, { type Transporter } from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import { SMTPServer } from "smtp-server";
import {
  composeAcknowledgement,
  composeReply,
  MAX_REFERENCES,
  messageIdFor,
  type TAcknowledgementInput,
  type TMailBrand,
  type TReplyInput,
} from "./compose-mail.ts";

// A real SMTP exchange over loopback: what the outbound job's transport will do, minus the database.
type TDelivery = { mail: ParsedMail; raw: string; rcptTo: string[] };

const received: Array<{ raw: Buffer; rcptTo: string[] }> = [];
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  disableReverseLookup: true,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      received.push({ raw: Buffer.concat(chunks), rcptTo: session.envelope.rcptTo.map((r) => r.address) });
      callback();
    });
  },
});
let transport: Transporter;
let tempDir: string;

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  // One pooled connection: smtp-server waits 100 ms before each greeting to catch early talkers.
  transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
  });
  tempDir = await mkdtemp(join(tmpdir(), "sb-compose-mail-"));
});

after(async () => {
  transport.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(tempDir, { recursive: true, force: true });
});

async function deliver(options: Mail.Options): Promise<TDelivery> {
  received.length = 0;
  await transport.sendMail(options);
  assert.equal(received.length, 1, "one message arrived");
  const [{ raw, rcptTo }] = received as [{ raw: Buffer; rcptTo: string[] }];
  return { mail: await simpleParser(raw), raw: raw.toString("utf8"), rcptTo };
}

const header = (mail: ParsedMail, name: string) => mail.headers.get(name);
const html = (mail: ParsedMail): string => (typeof mail.html === "string" ? mail.html : "");

const brand: TMailBrand = {
  name: "Acme Shop",
  locale: "en",
  domain: "help.acme.example",
  from: { address: "help@acme.example", name: "Acme Shop" },
  signature: "Acme Shop customer care\nhttps://acme.example",
};

const replyInput = (overrides: Partial<TReplyInput> = {}): TReplyInput => ({
  brand,
  ticket: {
    number: 1042,
    subject: "Re: RE: [#1042] Where is my order?",
    statusUrl: "https://acme.example/s/abc",
    locale: "en",
  },
  recipients: {
    to: [{ address: "jan@customer.example", name: "Jan Kowalski" }],
    cc: [{ address: "ewa@customer.example", name: "Ewa" }],
  },
  message: {
    id: "0f1e2d3c-4b5a-4697-8877-665544332211",
    bodyText: "Hello Jan,\n\nYour parcel left our warehouse today.",
    bodyHtml: "<p>Hello Jan,</p><p>Your parcel left our <b>warehouse</b> today.</p>",
    authorName: "Ana Pop",
    createdAt: new Date("2025-03-03T10:15:00Z"),
  },
  history: [
    {
      authorName: "Jan Kowalski",
      createdAt: new Date("2025-03-02T08:00:00Z"),
      bodyText: "Where is my order 5531?\n\nThanks",
      fromCustomer: true,
    },
  ],
  threadMessageIds: ["first@customer.example", "second@customer.example"],
  attachments: [],
  ...overrides,
});

const ackInput = (locale: TAcknowledgementInput["ticket"]["locale"]): TAcknowledgementInput => ({
  brand,
  ticket: {
    number: 77,
    subject: "Fwd: Broken parcel",
    statusUrl: "https://acme.example/s/xyz?a=1&b=2",
    locale,
  },
  recipients: { to: [{ address: "customer@example.com", name: "Customer" }], cc: [] },
  id: "7d2c1e0a-1111-4222-8333-944455556666",
  inReplyTo: "<CAF+abc.123@mail.example>",
});

test("a reply carries the thread headers, the token subject, the signature and the quoted history", async () => {
  const { mail, rcptTo } = await deliver(composeReply(replyInput()));

  assert.equal(mail.messageId, "<sb-reply-0f1e2d3c-4b5a-4697-8877-665544332211@help.acme.example>");
  assert.equal(mail.inReplyTo, "<second@customer.example>");
  assert.deepEqual([mail.references].flat(), ["<first@customer.example>", "<second@customer.example>"]);
  assert.equal(header(mail, "x-switchboard-ticket"), "1042");
  assert.equal(header(mail, "auto-submitted"), undefined, "a human wrote it");
  assert.equal(mail.subject, "[#1042] Where is my order?");
  assert.deepEqual(mail.from?.value, [{ address: "help@acme.example", name: "Ana Pop via Acme Shop" }]);
  assert.equal(mail.replyTo?.value[0]?.address, "help@acme.example");
  assert.deepEqual(rcptTo.sort(), ["ewa@customer.example", "jan@customer.example"]);
  assert.equal(mail.date?.toISOString(), "2025-03-03T10:15:00.000Z");

  const text = mail.text ?? "";
  assert.match(
    text,
    /^Hello Jan,\n\nYour parcel left our warehouse today\.\n\n-- \nAcme Shop customer care\n/,
  );
  assert.match(text, /Reply above this line to add to request #1042\./);
  assert.match(
    text,
    /On Mar 2, 2025, 8:00\s?AM, Jan Kowalski wrote:\n> Where is my order 5531\?\n>\n> Thanks/,
  );

  const body = html(mail);
  assert.match(body, /<html lang="en" dir="ltr">/);
  assert.match(body, /<div dir="ltr" lang="en" style="[^"]+">/);
  assert.match(body, /Your parcel left our <b>warehouse<\/b> today\./);
  assert.match(body, /-- <br>Acme Shop customer care<br>/);
  assert.match(
    body,
    /<blockquote[^>]*>[\s\S]*Jan Kowalski wrote:[\s\S]*Where is my order 5531\?<br>[\s\S]*<\/blockquote>/,
  );
  assert.doesNotMatch(body, /<style|<link/, "inline styles only");
});

test("hostile names, subjects and bodies are escaped in HTML and cannot add headers", async () => {
  const input = replyInput({
    ticket: { number: 9, subject: "<script>alert('s')</script>", statusUrl: null, locale: "en" },
    message: {
      id: "11111111-2222-4333-8444-555555555555",
      bodyText: "Try this: <script>alert('b')</script> & <img src=x onerror=alert(1)>",
      bodyHtml: null,
      authorName: "<script>alert('a')</script>\r\nBcc: evil@attacker.example",
      createdAt: new Date("2025-03-03T10:15:00Z"),
    },
    history: [
      {
        authorName: '<b onmouseover="x()">Mallory</b>',
        createdAt: new Date("2025-03-01T00:00:00Z"),
        bodyText: "</blockquote><script>alert('h')</script>",
        fromCustomer: true,
      },
    ],
    threadMessageIds: [],
  });
  const { mail, rcptTo } = await deliver(composeReply(input));

  const body = html(mail);
  assert.doesNotMatch(body, /<script/i);
  assert.doesNotMatch(body, /<img|<b onmouseover/i);
  assert.match(body, /Try this: &lt;script&gt;alert\(&#39;b&#39;\)&lt;\/script&gt; &amp; &lt;img src=x/);
  assert.match(body, /<title>\[#9\] &lt;script&gt;/);
  assert.match(body, /&lt;\/blockquote&gt;&lt;script&gt;/);
  assert.equal(mail.subject, "[#9] <script>alert('s')</script>", "the subject header is text, not HTML");
  assert.equal(mail.bcc, undefined);
  assert.equal(header(mail, "bcc"), undefined);
  assert.ok(!rcptTo.includes("evil@attacker.example"));
  assert.match(
    mail.from?.value[0]?.name ?? "",
    /^<script>alert\('a'\)<\/script> Bcc: evil@attacker\.example via Acme Shop$/,
  );
  assert.equal(mail.inReplyTo, undefined, "no thread, no In-Reply-To");
  assert.equal(mail.references, undefined);
});

test("References keep the first id and the newest ones; In-Reply-To is the last", async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `<m${i}@mail.example>`);
  const { mail } = await deliver(composeReply(replyInput({ threadMessageIds: ids })));
  const references = [mail.references].flat();
  assert.equal(references.length, MAX_REFERENCES);
  assert.equal(references[0], "<m0@mail.example>");
  assert.equal(references.at(-1), "<m29@mail.example>");
  assert.equal(references[1], `<m${30 - MAX_REFERENCES + 1}@mail.example>`);
  assert.equal(mail.inReplyTo, "<m29@mail.example>");
});

test("an attachment from a file arrives with its name, type and bytes", async () => {
  const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80, ...Buffer.from("invoice ✓")]);
  const path = join(tempDir, "stored-blob-123");
  await writeFile(path, bytes);
  const { mail } = await deliver(
    composeReply(
      replyInput({ attachments: [{ filename: "Factură 5531.pdf", contentType: "application/pdf", path }] }),
    ),
  );
  assert.equal(mail.attachments.length, 1);
  const [attachment] = mail.attachments;
  assert.equal(attachment?.filename, "Factură 5531.pdf");
  assert.equal(attachment?.contentType, "application/pdf");
  assert.ok(attachment?.content.equals(bytes));
});

test("the same input composes the same Message-ID, so a retried send is deduplicated", async () => {
  const first = await deliver(composeReply(replyInput()));
  const second = await deliver(composeReply(replyInput()));
  assert.equal(first.mail.messageId, second.mail.messageId);
  assert.equal(messageIdFor("ack", "abc", "Help.Acme.Example"), "sb-ack-abc@help.acme.example");
  assert.notEqual(messageIdFor("ack", "abc", "x.example"), messageIdFor("reply", "abc", "x.example"));
  assert.deepEqual(composeAcknowledgement(ackInput("ro")), composeAcknowledgement(ackInput("ro")));
});

test("an acknowledgement is auto-submitted, threads to the customer's mail and links the status page", async () => {
  const { mail, raw } = await deliver(composeAcknowledgement(ackInput("en")));

  assert.equal(header(mail, "auto-submitted"), "auto-replied");
  assert.equal(header(mail, "x-auto-response-suppress"), "All");
  assert.equal(header(mail, "precedence"), undefined);
  assert.equal(header(mail, "x-switchboard-ticket"), "77");
  assert.equal(mail.messageId, "<sb-ack-7d2c1e0a-1111-4222-8333-944455556666@help.acme.example>");
  assert.equal(mail.inReplyTo, "<CAF+abc.123@mail.example>");
  assert.deepEqual([mail.references].flat(), ["<CAF+abc.123@mail.example>"]);
  assert.equal(mail.subject, "[#77] Broken parcel");
  assert.deepEqual(mail.from?.value, [{ address: "help@acme.example", name: "Acme Shop" }]);
  assert.match(raw, /^Auto-Submitted: auto-replied\r$/m);

  const text = mail.text ?? "";
  assert.match(text, /registered it as #77/);
  assert.match(text, /simply reply to this email/);
  assert.match(text, /https:\/\/acme\.example\/s\/xyz\?a=1&b=2/);
  assert.match(text, /\n-- \nAcme Shop customer care/);
  const body = html(mail);
  assert.match(
    body,
    /<a href="https:\/\/acme\.example\/s\/xyz\?a=1&amp;b=2" style="[^"]+">View your request<\/a>/,
  );
  assert.match(body, /registered it as #77/);
});

test("an acknowledgement without an email or a status page has neither In-Reply-To nor a link", async () => {
  const input = ackInput("en");
  const { mail } = await deliver(
    composeAcknowledgement({ ...input, inReplyTo: null, ticket: { ...input.ticket, statusUrl: null } }),
  );
  assert.equal(mail.inReplyTo, undefined);
  assert.equal(mail.references, undefined);
  assert.doesNotMatch(html(mail), /<a /);
  assert.doesNotMatch(mail.text ?? "", /follow the status/);
});

test("a Persian acknowledgement is right-to-left and in Persian", async () => {
  const { mail } = await deliver(composeAcknowledgement(ackInput("fa")));
  const body = html(mail);
  assert.match(body, /<html lang="fa" dir="rtl">/);
  assert.match(body, /<div dir="rtl" lang="fa" style="[^"]*text-align:right;/);
  assert.match(body, /درخواست شما دریافت و با شماره 77 ثبت شد/);
  assert.match(mail.text ?? "", /^سلام،\n\n/);
  assert.match(mail.text ?? "", /مشاهده|پیگیری/);
  assert.equal(mail.subject, "[#77] Broken parcel");
});

test("Bulgarian, Polish and Romanian acknowledgements are in their language", async () => {
  const expected = {
    bg: ["Здравейте,", "запитване", "№ 77"],
    pl: ["Dzień dobry,", "zgłoszenie", "numerem 77"],
    ro: ["Bună ziua,", "solicitarea", "numărul 77"],
  } as const;
  for (const [locale, words] of Object.entries(expected) as Array<
    [keyof typeof expected, readonly string[]]
  >) {
    const { mail } = await deliver(composeAcknowledgement(ackInput(locale)));
    for (const word of words) {
      assert.ok(mail.text?.includes(word), `${locale} text has ${word}`);
      assert.ok(html(mail).includes(word), `${locale} html has ${word}`);
    }
    assert.match(html(mail), new RegExp(`<html lang="${locale}" dir="ltr">`));
    assert.doesNotMatch(mail.text ?? "", /Thank you|request/);
  }
});

test("a Persian reply quotes with a right-hand border and a Persian attribution line", async () => {
  const input = replyInput();
  const { mail } = await deliver(
    composeReply({
      ...input,
      ticket: { ...input.ticket, locale: "fa" },
      history: [
        {
          authorName: "",
          createdAt: new Date("2025-03-02T08:00:00Z"),
          bodyText: "سفارش من کجاست؟",
          fromCustomer: true,
        },
      ],
    }),
  );
  assert.equal(mail.from?.value[0]?.name, "Ana Pop از Acme Shop");
  assert.match(mail.text ?? "", /شما در .+ نوشتید:\n> سفارش من کجاست؟/);
  assert.match(html(mail), /<blockquote class="gmail_quote" style="[^"]*border-right:/);
  assert.match(html(mail), /<html lang="fa" dir="rtl">/);
});
