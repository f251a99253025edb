import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { TServerFrame, TTicket } from "@switchboard/contracts";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import {
  closeCode,
  isEvent,
  isType,
  openSocket,
  readySocket,
  subscribe,
  type TTestSocket,
} from "../../test/ws-client.ts";

const PASSWORD = "correct horse battery";

describe("realtime over a websocket", () => {
  let t: TTestApp;
  let tenant: TTenant;
  let other: TTenant;
  let base: string;
  const sockets: TTestSocket[] = [];

  before(async () => {
    // Sessions are checked again every 300 ms here (a minute by default), so that a deactivated
    // user's socket closes within the test's wait.
    t = await createTestApp({}, { realtime: { sessionCheckMs: 300 } });
    tenant = await seedTenant(t.services);
    other = await seedTenant(t.services, "other");
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  /** A socket that the test closes at the end. */
  const connect = async (opts: { cookie?: string; token?: string; origin?: string }) => {
    const s = await readySocket(base, opts);
    sockets.push(s);
    return s;
  };

  const createTicket = async (token: string, brandId: string, subject = "Where is my order?") => {
    const res = await call(t.app, token, "POST", "/api/v1/tickets", {
      brandId,
      subject,
      requester: { email: `c-${Math.random().toString(36).slice(2, 8)}@example.net`, name: "Cora" },
      message: { body: "Ordered last week." },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().ticket as TTicket;
  };

  const addMessage = (token: string, ticketId: string, body: Record<string, unknown>) =>
    call(t.app, token, "POST", `/api/v1/tickets/${ticketId}/messages`, body);

  /** A user with a known password, signed in through the API: their session cookie and CSRF token. */
  async function signedIn(role: "agent" | "admin", brandIds: string[]) {
    const email = `u-${Math.random().toString(36).slice(2, 8)}@acme.test`;
    const user = await t.services.users.createUser(tenant.owner, {
      email,
      name: `Uma ${role}`,
      role,
      password: PASSWORD,
      locale: "en",
      timeZone: "UTC",
      brandIds,
      groupIds: [],
    });
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email, password: PASSWORD },
    });
    assert.equal(res.statusCode, 200, res.body);
    const cookie = res.cookies.find((c) => c.name === "sb_session");
    assert.ok(cookie);
    return { user, cookie: `sb_session=${cookie.value}`, csrf: res.json().csrfToken as string };
  }

  /** Frames of these tickets among all received: what a socket must never have seen. */
  const framesAbout = (s: TTestSocket, ids: string[]) =>
    s.frames.filter((f) => f.type === "event" && ids.includes(f.event.ticketId));

  test("a socket without a session is closed with 4401 and told nothing", async () => {
    const s = await openSocket(base);
    assert.deepEqual(await closeCode(s, "no session"), { code: 4401, reason: "unauthenticated" });
    assert.deepEqual(s.frames, []);
    const bogus = await openSocket(base, { token: "sbt_nope" });
    assert.equal((await closeCode(bogus, "bad token")).code, 4401);
    const expired = await openSocket(base, { cookie: "sb_session=sbs_x.y.z" });
    assert.equal((await closeCode(expired, "unknown session")).code, 4401);
  });

  test("a page of another site is refused before the upgrade; our own pages are not", async () => {
    const { cookie } = await signedIn("agent", [tenant.brandA]);
    await assert.rejects(openSocket(base, { cookie, origin: "https://evil.example" }), { status: 403 });
    await assert.rejects(openSocket(base, { cookie, origin: "null" }), { status: 403 });
    // The server's own origin, and the configured public URL (behind a proxy).
    await connect({ cookie, origin: base });
    await connect({ cookie, origin: t.config.publicUrl });
  });

  test("another workspace's or brand's ticket answers not_found, and none of its events arrive", async () => {
    const foreign = await createTicket(other.ownerToken, other.brandA);
    const otherBrand = await createTicket(tenant.ownerToken, tenant.brandB);
    const mine = await createTicket(tenant.ownerToken, tenant.brandA);
    const s = await connect({ token: tenant.agentToken });
    for (const id of [foreign.id, otherBrand.id, "01900000-0000-7000-8000-000000000000"]) {
      const answer = await subscribe(s, `ticket:${id}`);
      assert.equal(answer.type, "error");
      assert.equal(answer.type === "error" && answer.code, "not_found");
    }
    assert.equal((await subscribe(s, `ticket:${mine.id}`)).type, "subscribed");
    await addMessage(other.ownerToken, foreign.id, { kind: "note", body: "psst" });
    await addMessage(tenant.ownerToken, otherBrand.id, { kind: "note", body: "psst" });
    // Events travel in commit order: once this one arrives, the two before would have.
    await addMessage(tenant.ownerToken, mine.id, { kind: "note", body: "marker" });
    await s.next("the marker note", isEvent(`ticket:${mine.id}`, "message.created", mine.id));
    assert.deepEqual(framesAbout(s, [foreign.id, otherBrand.id]), []);
  });

  test("an agent without brand B gets no tickets events of brand B", async () => {
    const s = await connect({ token: tenant.agentToken });
    await subscribe(s, "tickets");
    const b = await createTicket(tenant.ownerToken, tenant.brandB, "Brand B");
    const a = await createTicket(tenant.ownerToken, tenant.brandA, "Brand A");
    const created = await s.next("brand A's new ticket", isEvent("tickets", "ticket.changed", a.id));
    assert.deepEqual(created.event, {
      type: "ticket.changed",
      ticketId: a.id,
      brandId: tenant.brandA,
      number: a.number,
      status: "new",
      assigneeId: null,
      updatedAt: a.updatedAt,
      reason: "created",
    });
    assert.deepEqual(framesAbout(s, [b.id]), []);
  });

  test("a reply posted over REST arrives as message.created on its ticket and ticket.changed on tickets", async () => {
    const ticket = await createTicket(tenant.ownerToken, tenant.brandA);
    const { cookie } = await signedIn("admin", []);
    const s = await connect({ cookie });
    await subscribe(s, "tickets");
    await subscribe(s, `ticket:${ticket.id}`);
    const res = await addMessage(tenant.agentToken, ticket.id, { kind: "reply", body: "It ships today." });
    assert.equal(res.statusCode, 201, res.body);
    const messageId = res.json().message.id as string;
    const created = await s.next("message.created", isEvent(`ticket:${ticket.id}`, "message.created"));
    assert.deepEqual(created.event, {
      type: "message.created",
      ticketId: ticket.id,
      brandId: tenant.brandA,
      messageId,
      kind: "reply",
      authorType: "user",
    });
    const now = (await call(t.app, tenant.ownerToken, "GET", `/api/v1/tickets/${ticket.id}`)).json().ticket;
    const changed = await s.next("ticket.changed", isEvent("tickets", "ticket.changed", ticket.id));
    assert.equal(changed.event.type === "ticket.changed" && changed.event.reason, "message");
    assert.equal(changed.event.type === "ticket.changed" && changed.event.status, now.status);
    assert.equal(changed.event.type === "ticket.changed" && changed.event.updatedAt, now.updatedAt);
    // The same change on the ticket's own topic.
    await s.next("ticket.changed on the ticket", isEvent(`ticket:${ticket.id}`, "ticket.changed"));
  });

  test("a rolled-back change sends nothing", async () => {
    const ticket = await createTicket(tenant.ownerToken, tenant.brandA);
    const s = await connect({ token: tenant.ownerToken });
    await subscribe(s, `ticket:${ticket.id}`);
    const { tickets } = t.services;
    await assert.rejects(
      t.database.db.transaction().execute(async (trx) => {
        const locked = await tickets.emailOps.lockBrandTicket(trx, tenant.owner.workspaceId, tenant.brandA, {
          id: ticket.id,
        });
        assert.ok(locked);
        await tickets.writeMessage(trx, tenant.owner.workspaceId, locked, {
          kind: "note",
          body: "never committed",
          author: "staff",
          authorId: tenant.owner.userId,
          channel: "internal",
        });
        throw new Error("roll back");
      }),
      /roll back/,
    );
    const res = await call(t.app, tenant.ownerToken, "PATCH", `/api/v1/tickets/${ticket.id}`, {
      priority: "high",
    });
    assert.equal(res.statusCode, 200, res.body);
    const changed = await s.next("the PATCH", isEvent(`ticket:${ticket.id}`, "ticket.changed"));
    assert.equal(changed.event.type === "ticket.changed" && changed.event.reason, "updated");
    assert.deepEqual(
      s.frames.filter((f) => f.type === "event" && f.event.type === "message.created"),
      [],
    );
  });

  test("bulk changes, merges and deletes are told on tickets", async () => {
    const [one, two, three] = [
      await createTicket(tenant.ownerToken, tenant.brandA),
      await createTicket(tenant.ownerToken, tenant.brandA),
      await createTicket(tenant.ownerToken, tenant.brandA),
    ] as [TTicket, TTicket, TTicket];
    const s = await connect({ token: tenant.ownerToken });
    await subscribe(s, "tickets");
    const bulk = await call(t.app, tenant.ownerToken, "POST", "/api/v1/tickets/bulk", {
      ticketIds: [one.id, two.id],
      changes: { priority: "urgent", isSpam: false, assigneeId: tenant.agent.userId },
    });
    assert.equal(bulk.statusCode, 200, bulk.body);
    for (const id of [one.id, two.id]) {
      const f = await s.next(`bulk ${id}`, isEvent("tickets", "ticket.changed", id));
      assert.equal(f.event.type === "ticket.changed" && f.event.assigneeId, tenant.agent.userId);
    }
    const merge = await call(t.app, tenant.ownerToken, "POST", `/api/v1/tickets/${one.id}/merge`, {
      targetTicketId: two.id,
    });
    assert.equal(merge.statusCode, 200, merge.body);
    const merged = await s.next("merged source", isEvent("tickets", "ticket.changed", one.id));
    assert.deepEqual(merged.event.type === "ticket.changed" && [merged.event.reason, merged.event.status], [
      "merged",
      "closed",
    ]);
    await s.next("merged target", isEvent("tickets", "ticket.changed", two.id));
    const spam = await call(t.app, tenant.ownerToken, "PATCH", `/api/v1/tickets/${three.id}`, {
      isSpam: true,
    });
    assert.equal(spam.statusCode, 200, spam.body);
    await s.next("marked as spam", isEvent("tickets", "ticket.changed", three.id));
    const del = await call(t.app, tenant.ownerToken, "DELETE", `/api/v1/tickets/${three.id}`);
    assert.equal(del.statusCode, 204, del.body);
    const deleted = await s.next("deleted", isEvent("tickets", "ticket.changed", three.id));
    assert.equal(deleted.event.type === "ticket.changed" && deleted.event.reason, "deleted");
  });

  test("mail that opens a ticket is told on tickets", async () => {
    const address = `help-${Math.random().toString(36).slice(2, 8)}@shop-a.test`;
    await t.services.supportAddresses.createAddress(tenant.owner, tenant.brandA, {
      address,
      displayName: "Shop A",
      isDefault: true,
    });
    const s = await connect({ token: tenant.ownerToken });
    await subscribe(s, "tickets");
    const raw = [
      "From: Mara <mara@example.net>",
      `To: ${address}`,
      "Subject: Broken lid",
      "Message-ID: <lid-1@example.net>",
      "Date: Mon, 30 Nov 2026 10:00:00 +0000",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "The lid arrived broken.",
      "",
    ].join("\r\n");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/inbound-emails",
      headers: { authorization: `Bearer ${tenant.ownerToken}`, "content-type": "message/rfc822" },
      payload: raw,
    });
    assert.equal(res.statusCode, 202, res.body);
    const created = await s.next(
      "the mailed ticket",
      (f): f is Extract<TServerFrame, { type: "event" }> =>
        f.type === "event" && f.event.type === "ticket.changed" && f.event.reason === "created",
    );
    assert.equal(created.event.type === "ticket.changed" && created.event.brandId, tenant.brandA);
  });

  test("presence: viewing and typing are seen by others, and a disconnect removes them", async () => {
    const ticket = await createTicket(tenant.ownerToken, tenant.brandA);
    const topic = `ticket:${ticket.id}`;
    const a = await connect({ token: tenant.agentToken });
    const b = await connect({ token: tenant.ownerToken });
    a.send({ type: "presence", ticketId: ticket.id, state: "viewing" });
    const refused = await a.next("not_subscribed", isType("error"));
    assert.equal(refused.code, "not_subscribed");
    await subscribe(a, topic);
    await subscribe(b, topic);
    const initial = await b.next("initial presence", isType("presence"));
    assert.deepEqual(initial.users, []);
    const presenceOf = (s: TTestSocket, what: string, state: string | null) =>
      s.next(
        what,
        (f): f is Extract<TServerFrame, { type: "presence" }> =>
          f.type === "presence" &&
          f.ticketId === ticket.id &&
          (state === null
            ? !f.users.some((u) => u.userId === tenant.agent.userId)
            : f.users.some((u) => u.userId === tenant.agent.userId && u.state === state)),
      );
    a.send({ type: "presence", ticketId: ticket.id, state: "viewing" });
    const viewing = await presenceOf(b, "A viewing", "viewing");
    assert.deepEqual(viewing.users, [
      { userId: tenant.agent.userId, name: "Andrei Agent", state: "viewing" },
    ]);
    a.send({ type: "presence", ticketId: ticket.id, state: "typing" });
    await presenceOf(b, "A typing", "typing");
    a.close();
    await presenceOf(b, "A gone", null);
  });

  test("mentions: the colleague is told and follows; replies and strangers are refused with 422", async () => {
    const ticket = await createTicket(tenant.ownerToken, tenant.brandA);
    const s = await connect({ token: tenant.agentToken });
    await subscribe(s, "me");
    const note = await addMessage(tenant.ownerToken, ticket.id, {
      kind: "note",
      body: "@Andrei can you check the stock?",
      mentionIds: [tenant.agent.userId, tenant.lightAgent.userId],
    });
    assert.equal(note.statusCode, 201, note.body);
    const message = note.json().message;
    assert.deepEqual([...message.mentionIds].sort(), [tenant.agent.userId, tenant.lightAgent.userId].sort());
    const told = await s.next("user.mentioned", isEvent("me", "user.mentioned", ticket.id));
    assert.deepEqual(told.event, {
      type: "user.mentioned",
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      messageId: message.id,
      byUserId: tenant.owner.userId,
      byName: "Olivia Owner",
    });
    const after = (await call(t.app, tenant.ownerToken, "GET", `/api/v1/tickets/${ticket.id}`)).json().ticket;
    assert.ok(after.followerIds.includes(tenant.agent.userId));
    const listed = await call(t.app, tenant.ownerToken, "GET", `/api/v1/tickets/${ticket.id}/messages`);
    const shown = (listed.json().items as { id: string; mentionIds: string[] }[]).find(
      (m) => m.id === message.id,
    );
    assert.equal(shown?.mentionIds.length, 2);

    const reply = await addMessage(tenant.ownerToken, ticket.id, {
      kind: "reply",
      body: "Hello",
      mentionIds: [tenant.agent.userId],
    });
    assert.equal(reply.statusCode, 422, reply.body);
    assert.equal(reply.json().error.code, "invalid_mentions");

    const stranger = await addMessage(tenant.ownerToken, ticket.id, {
      kind: "note",
      body: "Other workspace",
      mentionIds: [other.agent.userId, tenant.agent.userId],
    });
    assert.equal(stranger.statusCode, 422, stranger.body);
    assert.deepEqual(stranger.json().error.details.ids, [other.agent.userId]);
    assert.match(stranger.json().error.message, new RegExp(other.agent.userId));

    const brandB = await createTicket(tenant.ownerToken, tenant.brandB);
    const noAccess = await addMessage(tenant.ownerToken, brandB.id, {
      kind: "note",
      body: "Agent has no brand B",
      mentionIds: [tenant.agent.userId],
    });
    assert.equal(noAccess.statusCode, 422, noAccess.body);
    assert.deepEqual(noAccess.json().error.details.ids, [tenant.agent.userId]);
    // Nothing was written by the refused notes.
    const thread = await call(t.app, tenant.ownerToken, "GET", `/api/v1/tickets/${brandB.id}/messages`);
    assert.equal(thread.json().items.length, 1);
  });

  test("malformed JSON and unknown frames answer an error frame; the socket stays usable", async () => {
    const s = await connect({ token: tenant.agentToken });
    s.send("{nope");
    assert.equal((await s.next("invalid_json", isType("error"))).code, "invalid_json");
    s.send(JSON.stringify({ type: "dance" }));
    assert.equal((await s.next("invalid_frame", isType("error"))).code, "invalid_frame");
    s.send(JSON.stringify({ type: "subscribe", topic: "ticket:1042" }));
    assert.equal((await s.next("invalid topic", isType("error"))).code, "invalid_frame");
    s.send(JSON.stringify({ type: "subscribe", topic: "tickets", extra: true }));
    assert.equal((await s.next("unknown field", isType("error"))).code, "invalid_frame");
    s.send(JSON.stringify([1, 2]));
    assert.equal((await s.next("an array", isType("error"))).code, "invalid_frame");
    s.send({ type: "ping" });
    await s.next("pong", isType("pong"));
  });

  test("an oversized frame closes the socket with 1009", async () => {
    const s = await connect({ token: tenant.agentToken });
    s.send(JSON.stringify({ type: "ping", pad: "x".repeat(20 * 1024) }));
    assert.equal((await closeCode(s, "oversized frame")).code, 1009);
  });

  test("a flood of frames closes the socket with 1008", async () => {
    const s = await connect({ token: tenant.agentToken });
    for (let i = 0; i < 500; i++) s.send({ type: "ping" });
    assert.equal((await closeCode(s, "flood")).code, 1008);
  });

  test("a signed-out session is refused on its next subscribe", async () => {
    const { cookie, csrf } = await signedIn("agent", [tenant.brandA]);
    const s = await connect({ cookie });
    assert.equal((await subscribe(s, "tickets")).type, "subscribed");
    const out = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { cookie, "x-csrf-token": csrf },
    });
    assert.equal(out.statusCode, 204, out.body);
    s.send({ type: "subscribe", topic: "me" });
    assert.deepEqual(await closeCode(s, "signed out"), { code: 4401, reason: "session_ended" });
  });

  test("a deactivated user's socket is closed by the periodic check", async () => {
    const { user, cookie } = await signedIn("agent", [tenant.brandA]);
    const s = await connect({ cookie });
    await subscribe(s, "tickets");
    const res = await call(t.app, tenant.ownerToken, "PATCH", `/api/v1/users/${user.id}`, { active: false });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await closeCode(s, "deactivated"), { code: 4401, reason: "session_ended" });
  });

  test("brand access lost is applied to later events", async () => {
    const { user, cookie } = await signedIn("agent", [tenant.brandA]);
    const s = await connect({ cookie });
    await subscribe(s, "tickets");
    await call(t.app, tenant.ownerToken, "PATCH", `/api/v1/users/${user.id}`, { brandIds: [tenant.brandB] });
    // The next subscribe reads the session again, with its new brands.
    await subscribe(s, "me");
    const a = await createTicket(tenant.ownerToken, tenant.brandA, "A after");
    const b = await createTicket(tenant.ownerToken, tenant.brandB, "B after");
    await s.next("brand B's ticket", isEvent("tickets", "ticket.changed", b.id));
    assert.deepEqual(framesAbout(s, [a.id]), []);
  });
});
