import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { TInboundEmail, TMessage, TTicket } from "@switchboard/contracts";
import { createMailTestApp, customerMail, type TMailTestApp, waitFor } from "../../test/mail-harness.ts";
import { call } from "../../test/test-app.ts";

let t: TMailTestApp;
let n = 0;
const uniq = (label: string) => `${label}-${Date.now().toString(36)}-${++n}@mail.example.net`;

before(async () => {
  t = await createMailTestApp({
    reject: (rcpt) => (rcpt.startsWith("gone") ? 550 : rcpt.startsWith("busy") ? 451 : null),
  });
});
after(() => t.close());

const owner = () => t.tenant.ownerToken;

async function inbound(messageId: string): Promise<TInboundEmail> {
  return waitFor(`inbound mail ${messageId}`, async () => {
    const res = await call(t.app, owner(), "GET", "/api/v1/inbound-emails?limit=100");
    const items = res.json().items as TInboundEmail[];
    return items.find((i) => i.messageId === messageId && i.state !== "received");
  });
}

const ticket = async (id: string): Promise<TTicket> =>
  (await call(t.app, owner(), "GET", `/api/v1/tickets/${id}`)).json().ticket;
const thread = async (id: string): Promise<TMessage[]> =>
  (await call(t.app, owner(), "GET", `/api/v1/tickets/${id}/messages?limit=100`)).json().items;
const caughtFor = (address: string) => t.catcher.caught.filter((m) => m.to.includes(address));

/** A customer writes in; answers the processed inbound record, its ticket and the acknowledgement. */
async function newRequest(opts: { from?: string; subject?: string; body?: string; to?: string } = {}) {
  const from = opts.from ?? uniq("ana");
  const messageId = uniq("m");
  await t.deliver(
    customerMail({
      from: `Ana Pop <${from}>`,
      to: opts.to ?? t.addressA,
      subject: opts.subject ?? "Comanda nu a ajuns",
      body: opts.body ?? "Bună ziua, comanda mea nu a ajuns încă. Vă rog să verificați unde se află coletul.",
      messageId,
    }),
    { to: [opts.to ?? t.addressA] },
  );
  const record = await inbound(messageId);
  assert.ok(record.ticketId, `processed without a ticket: ${record.outcome} ${record.error}`);
  return { from, messageId, record, ticketId: record.ticketId as string };
}

describe("email pipeline over SMTP", () => {
  test("a new mail becomes an email ticket, threaded as new, and the customer gets an acknowledgement in their language", async () => {
    const { from, messageId, record, ticketId } = await newRequest();
    assert.equal(record.state, "processed");
    assert.equal(record.outcome, "new_ticket");
    const tk = await ticket(ticketId);
    assert.equal(tk.channel, "email");
    assert.equal(tk.brandId, t.tenant.brandA);
    assert.equal(tk.requester.email, from);
    assert.equal(tk.subject, "Comanda nu a ajuns");
    const [first] = await thread(ticketId);
    assert.equal(first?.email?.threadRule, "new_ticket");
    assert.equal(first?.email?.messageId, messageId);
    assert.equal(first?.email?.inboundEmailId, record.id);

    const ack = await waitFor("acknowledgement", () => caughtFor(from)[0]);
    assert.equal(ack.parsed.headers.get("auto-submitted"), "auto-replied");
    assert.match(ack.parsed.subject ?? "", new RegExp(`^\\[#${tk.number}\\] Comanda nu a ajuns`));
    assert.equal(ack.parsed.inReplyTo, `<${messageId}>`);
    assert.match(ack.parsed.text ?? "", /solicit/i, "the acknowledgement is in Romanian");
    assert.match(ack.parsed.text ?? "", /https:\/\/help\.example\.test\/b\/[^/]+\/requests\/\w+/);
    assert.equal(ack.parsed.from?.value[0]?.address, t.addressA);

    // The raw message stays downloadable, byte for byte.
    const raw = await call(t.app, owner(), "GET", `/api/v1/inbound-emails/${record.id}/raw`);
    assert.equal(raw.statusCode, 200);
    assert.equal(raw.headers["content-type"], "message/rfc822");
    assert.match(raw.body, new RegExp(`Message-ID: <${messageId}>`));
  });

  test("the customer's answer to our mail joins the ticket by In-Reply-To", async () => {
    const { from, ticketId } = await newRequest();
    const ack = await waitFor("acknowledgement", () => caughtFor(from)[0]);
    const replyId = uniq("r");
    await t.deliver(
      customerMail({
        from,
        to: t.addressA,
        subject: `Re: ${ack.parsed.subject}`,
        body: "Am uitat: numărul comenzii este 12345.\n\nOn Mon, Shop A wrote:\n> We received your request",
        messageId: replyId,
        inReplyTo: (ack.parsed.messageId ?? "").replace(/[<>]/g, ""),
      }),
    );
    const record = await inbound(replyId);
    assert.equal(record.outcome, "references");
    assert.equal(record.ticketId, ticketId);
    const last = (await thread(ticketId)).at(-1);
    assert.equal(last?.email?.threadRule, "references");
    assert.match(last?.bodyText ?? "", /12345/);
    assert.doesNotMatch(last?.bodyText ?? "", /We received your request/, "quoted history is kept apart");
    assert.match(last?.email?.quotedText ?? "", /We received your request/);
  });

  test("a [#number] subject joins for a participant; a stranger's opens a new ticket linked to it", async () => {
    const { from, ticketId } = await newRequest({ subject: "Factura" });
    const number = (await ticket(ticketId)).number;
    const joinId = uniq("tok");
    await t.deliver(
      customerMail({
        from,
        to: t.addressA,
        subject: `Odp: [#${number}] Factura`,
        body: "Dziękuję",
        messageId: joinId,
      }),
    );
    const joined = await inbound(joinId);
    assert.equal(joined.outcome, "subject_token");
    assert.equal(joined.ticketId, ticketId);

    const strangerId = uniq("stranger");
    await t.deliver(
      customerMail({
        from: uniq("mallory"),
        to: t.addressA,
        subject: `Re: [#${number}] Factura`,
        body: "Let me in",
        messageId: strangerId,
      }),
    );
    const separate = await inbound(strangerId);
    assert.equal(separate.outcome, "not_a_participant");
    assert.notEqual(separate.ticketId, ticketId);
    const events = (await thread(ticketId)).filter((m) => m.kind === "event").map((m) => m.event);
    assert.ok(events.some((e) => e?.type === "ticket_linked" && e.ticketId === separate.ticketId));
  });

  test("a CC'd person's reply joins the thread as their own message", async () => {
    const cc = uniq("colleague");
    const from = uniq("boss");
    const messageId = uniq("cc");
    await t.deliver(
      customerMail({
        from,
        to: t.addressA,
        cc: `Colleague <${cc}>`,
        subject: "Bulk order",
        body: "We need 40 tents.",
        messageId,
      }),
    );
    const { ticketId } = await inbound(messageId);
    assert.deepEqual(
      (await ticket(ticketId as string)).ccs.map((c) => c.email),
      [cc],
    );
    const replyId = uniq("ccreply");
    await t.deliver(
      customerMail({
        from: cc,
        to: t.addressA,
        subject: "Re: Bulk order",
        body: "And 40 sleeping bags.",
        messageId: replyId,
        inReplyTo: messageId,
      }),
    );
    const record = await inbound(replyId);
    assert.equal(record.ticketId, ticketId);
    const last = (await thread(ticketId as string)).at(-1);
    assert.equal(last?.author.type, "customer");
    assert.equal(last?.author.name, "Colleague");
    assert.match(last?.bodyText ?? "", /sleeping bags/);
  });

  test("mail to a closed ticket opens a follow-up linked to it", async () => {
    const { from, messageId, ticketId } = await newRequest({ subject: "Return label" });
    for (const status of ["solved", "closed"]) {
      const res = await call(t.app, owner(), "PATCH", `/api/v1/tickets/${ticketId}`, { status });
      assert.equal(res.statusCode, 200, res.body);
    }
    const lateId = uniq("late");
    await t.deliver(
      customerMail({
        from,
        to: t.addressA,
        subject: "Re: Return label",
        body: "Still no label",
        messageId: lateId,
        inReplyTo: messageId,
      }),
    );
    const record = await inbound(lateId);
    assert.equal(record.outcome, "follow_up");
    assert.notEqual(record.ticketId, ticketId);
    const [first] = await thread(record.ticketId as string);
    assert.equal(first?.email?.threadRule, "follow_up");
    const linked = (await thread(record.ticketId as string)).find((m) => m.event?.type === "ticket_linked");
    assert.equal(linked?.event?.ticketId, ticketId);
    assert.equal((await ticket(ticketId)).status, "closed");
  });

  test("the same mail delivered twice is stored and ticketed once", async () => {
    const messageId = uniq("twice");
    const raw = customerMail({
      from: uniq("dup"),
      to: t.addressA,
      subject: "Twice",
      body: "Sent twice",
      messageId,
    });
    await t.deliver(raw);
    await t.deliver(`Received: from relay.example.net by mx; Mon, 30 Nov 2026 10:01:00 +0000\r\n${raw}`);
    await inbound(messageId);
    const res = await call(t.app, owner(), "GET", "/api/v1/inbound-emails?limit=100");
    assert.equal((res.json().items as TInboundEmail[]).filter((i) => i.messageId === messageId).length, 1);
    const search = await call(t.app, owner(), "GET", "/api/v1/tickets?limit=100&channel=email");
    assert.equal((search.json().items as TTicket[]).filter((x) => x.subject === "Twice").length, 1);
  });

  test("an unknown recipient is refused at RCPT with 550 and nothing is stored", async () => {
    await assert.rejects(
      t.deliver(
        customerMail({
          from: uniq("x"),
          to: "nobody@shop-a.test",
          subject: "?",
          body: "?",
          messageId: uniq("unk"),
        }),
        {
          to: ["nobody@shop-a.test"],
        },
      ),
      (err: { responseCode?: number }) => err.responseCode === 550,
    );
  });

  test("mail from our own address is ignored; automated mail gets no acknowledgement", async () => {
    const ownId = uniq("own");
    await t.deliver(
      customerMail({ from: t.addressA, to: t.addressA, subject: "Loop", body: "loop", messageId: ownId }),
    );
    const own = await inbound(ownId);
    assert.equal(own.state, "ignored");
    assert.equal(own.outcome, "own_address");
    assert.equal(own.ticketId, null);

    const from = uniq("ooo");
    const autoId = uniq("auto");
    await t.deliver(
      customerMail({
        from,
        to: t.addressA,
        subject: "Out of office",
        body: "I am away until Monday.",
        messageId: autoId,
        extra: ["Auto-Submitted: auto-replied"],
      }),
    );
    const auto = await inbound(autoId);
    assert.equal(auto.outcome, "new_ticket");
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(caughtFor(from).length, 0, "no automatic answer to an automatic mail");
  });

  test("acknowledgements to one address are rate-limited", async () => {
    const from = uniq("flood");
    for (let i = 0; i < 5; i++) await newRequest({ from, subject: `Question ${i}` });
    await waitFor("three acknowledgements", () => caughtFor(from).length >= 3);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(caughtFor(from).length, 3);
  });

  test("an agent's reply goes out by mail with threading headers, and its delivery shows on the message", async () => {
    const { from, messageId, ticketId } = await newRequest({ subject: "Size exchange" });
    await waitFor("acknowledgement", () => caughtFor(from)[0]);
    const res = await call(t.app, owner(), "POST", `/api/v1/tickets/${ticketId}/messages`, {
      kind: "reply",
      body: "We will send size 42 tomorrow.",
    });
    assert.equal(res.statusCode, 201, res.body);
    const replyMessageId = res.json().message.id;
    const mail = await waitFor("agent reply", () =>
      caughtFor(from).find((m) => /size 42/.test(m.parsed.text ?? "")),
    );
    const number = (await ticket(ticketId)).number;
    assert.match(mail.parsed.subject ?? "", new RegExp(`^\\[#${number}\\] Size exchange$`));
    assert.ok(
      String(mail.parsed.references ?? "").includes(messageId),
      "References name the customer's mail",
    );
    assert.ok(mail.parsed.html && mail.parsed.text, "text and HTML");
    const sent = await waitFor("delivery recorded", async () =>
      (await thread(ticketId)).find((m) => m.id === replyMessageId && m.email?.delivery?.state === "sent"),
    );
    assert.ok(sent.email?.delivery?.sentAt);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(caughtFor(from).filter((m) => /size 42/.test(m.parsed.text ?? "")).length, 1, "sent once");

    // The customer's answer to it threads back by its Message-ID.
    const back = uniq("back");
    await t.deliver(
      customerMail({
        from,
        to: t.addressA,
        subject: `Re: ${mail.parsed.subject}`,
        body: "Thanks!",
        messageId: back,
        inReplyTo: (mail.parsed.messageId ?? "").replace(/[<>]/g, ""),
      }),
    );
    assert.equal((await inbound(back)).ticketId, ticketId);
  });

  test("a permanent refusal shows on the message; a bounce flags the address and never opens a ticket", async () => {
    const gone = `gone-${Date.now()}@mail.example.net`;
    const { ticketId } = await newRequest({ from: gone, subject: "Delivery" });
    const res = await call(t.app, owner(), "POST", `/api/v1/tickets/${ticketId}/messages`, {
      kind: "reply",
      body: "Here is the answer",
    });
    const replyId = res.json().message.id;
    const failed = await waitFor("failed delivery", async () =>
      (await thread(ticketId)).find((m) => m.id === replyId && m.email?.delivery?.state === "failed"),
    );
    assert.match(failed.email?.delivery?.error ?? "", /550|refused/);

    // A DSN about our reply to another customer attaches to that ticket.
    const { from, ticketId: other } = await newRequest({ subject: "Bounce me" });
    const r2 = await call(t.app, owner(), "POST", `/api/v1/tickets/${other}/messages`, {
      kind: "reply",
      body: "Answer",
    });
    assert.equal(r2.statusCode, 201, r2.body);
    const ours = await waitFor("our reply", () =>
      caughtFor(from).find((m) => /Answer/.test(m.parsed.text ?? "")),
    );
    const dsnId = uniq("dsn");
    const boundary = "dsn-boundary";
    const dsn = [
      "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>",
      `To: ${t.addressA}`,
      "Subject: Undelivered Mail Returned to Sender",
      `Message-ID: <${dsnId}>`,
      "Auto-Submitted: auto-replied",
      "MIME-Version: 1.0",
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      "",
      `--${boundary}`,
      "Content-Type: text/plain",
      "",
      "Your message could not be delivered.",
      `--${boundary}`,
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.example.net",
      "",
      `Final-Recipient: rfc822; ${from}`,
      "Action: failed",
      "Status: 5.1.1",
      "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
      `--${boundary}`,
      "Content-Type: text/rfc822-headers",
      "",
      `Message-ID: ${ours.parsed.messageId}`,
      `To: ${from}`,
      `--${boundary}--`,
      "",
    ].join("\r\n");
    await t.deliver(dsn, { from: "" });
    const record = await inbound(dsnId);
    assert.equal(record.outcome, "bounce");
    assert.equal(record.ticketId, other);
    const event = (await thread(other)).find((m) => m.event?.type === "delivery_failed");
    assert.ok(event, "the delivery failure shows on the ticket");
    const list = await call(t.app, owner(), "GET", "/api/v1/tickets?limit=100&channel=email");
    assert.ok(
      !(list.json().items as TTicket[]).some((x) => x.subject.includes("Undelivered")),
      "no ticket from a bounce",
    );
  });

  test("a temporary refusal is kept queued with its error, to be tried again later", async () => {
    const busy = `busy-${Date.now()}@mail.example.net`;
    const { ticketId } = await newRequest({ from: busy, subject: "Greylisted" });
    const res = await call(t.app, owner(), "POST", `/api/v1/tickets/${ticketId}/messages`, {
      kind: "reply",
      body: "Hi",
    });
    const replyId = res.json().message.id;
    const queued = await waitFor("a failed first attempt", async () =>
      (await thread(ticketId)).find((m) => m.id === replyId && m.email?.delivery?.error),
    );
    assert.equal(queued.email?.delivery?.state, "queued");
    assert.match(queued.email?.delivery?.error ?? "", /451|refused/);
    const outbound = await t.database.db
      .selectFrom("outbound_emails")
      .select(["attempts", "state"])
      .where("ticket_message_id", "=", replyId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(outbound, { attempts: 1, state: "queued" });
  });

  test("mail that cannot be processed is quarantined with its error, listed for admins, and can be reprocessed", async () => {
    const id = uniq("nofrom");
    await t.deliver(`To: ${t.addressA}\r\nSubject: No sender\r\nMessage-ID: <${id}>\r\n\r\nwho am I?\r\n`);
    const record = await inbound(id);
    assert.equal(record.state, "quarantined");
    assert.match(record.error ?? "", /From/);
    const list = await call(t.app, owner(), "GET", "/api/v1/inbound-emails?state=quarantined");
    assert.ok((list.json().items as TInboundEmail[]).some((i) => i.id === record.id));
    assert.equal((await call(t.app, t.tenant.agentToken, "GET", "/api/v1/inbound-emails")).statusCode, 403);
    const again = await call(t.app, owner(), "POST", `/api/v1/inbound-emails/${record.id}/reprocess`);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().state, "received");
    const processed = await call(
      t.app,
      owner(),
      "POST",
      `/api/v1/inbound-emails/${(await newRequest()).record.id}/reprocess`,
    );
    assert.equal(processed.statusCode, 422);
  });

  test("a request from the contact form is acknowledged by mail in the form's language, with its status link", async () => {
    const slug = (await call(t.app, owner(), "GET", `/api/v1/brands/${t.tenant.brandA}`)).json().slug;
    const email = `form-${Math.random().toString(36).slice(2, 8)}@example.net`;
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/public/brands/${slug}/requests`,
      payload: {
        name: "Anna Nowak",
        email,
        subject: "Zwrot zamówienia",
        message: "Chcę zwrócić buty.",
        locale: "pl",
      },
    });
    assert.equal(res.statusCode, 201);
    const created = res.json();
    const ack = await waitFor("acknowledgement", () => caughtFor(email)[0]);
    assert.match(ack.parsed.subject ?? "", new RegExp(`^\\[#${created.ticketNumber}\\] Zwrot zamówienia`));
    assert.match(ack.parsed.text ?? "", /Dzień dobry/, "the acknowledgement is in Polish");
    assert.ok((ack.parsed.text ?? "").includes(created.statusUrl), "it links the request's status page");
    assert.equal(ack.parsed.inReplyTo, undefined);
    assert.equal(ack.parsed.from?.value[0]?.address, t.addressA);
  });

  test("the webhook takes raw MIME from an admin token, once, for the workspace's own addresses", async () => {
    const messageId = uniq("hook");
    const raw = customerMail({
      from: uniq("web"),
      to: t.addressB,
      subject: "Via webhook",
      body: "Pushed by a provider",
      messageId,
    });
    const post = (token: string, body: string, query = "") =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/inbound-emails${query}`,
        headers: { authorization: `Bearer ${token}`, "content-type": "message/rfc822" },
        payload: body,
      });
    const first = await post(owner(), raw);
    assert.equal(first.statusCode, 202, first.body);
    assert.equal(first.json().duplicate, false);
    const second = await post(owner(), raw);
    assert.equal(second.json().duplicate, true);
    const record = await inbound(messageId);
    assert.equal(record.source, "webhook");
    assert.equal((await ticket(record.ticketId as string)).brandId, t.tenant.brandB);
    assert.equal((await post(t.tenant.agentToken, raw)).statusCode, 403);
    const stranger = await post(owner(), raw.replaceAll(t.addressB, "someone@elsewhere.test"));
    assert.equal(stranger.statusCode, 422);
    assert.equal(stranger.json().error.code, "unknown_recipient");
    assert.equal((await post(owner(), "")).statusCode, 400);
  });
});
