import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";

type TTicketJson = {
  id: string;
  number: number;
  displayNumber: string;
  status: string;
  brandId: string;
  subject: string;
  tags: string[];
  requester: { id: string; name: string; email: string | null };
  ccs: { id: string; email: string | null }[];
  category: string | null;
  customFields: Record<string, unknown>;
  assigneeId: string | null;
  mergedIntoId: string | null;
  solvedAt: string | null;
  closedAt: string | null;
};

describe("tickets routes", () => {
  let t: TTestApp;
  let acme: TTenant;
  let other: TTenant;
  before(async () => {
    t = await createTestApp();
    acme = await seedTenant(t.services, "acme");
    other = await seedTenant(t.services, "globex");
  });
  after(() => t.close());

  let seq = 0;
  const create = async (tenant: TTenant, extra: Record<string, unknown> = {}, token = tenant.ownerToken) => {
    seq++;
    const res = await call(t.app, token, "POST", "/api/v1/tickets", {
      brandId: tenant.brandA,
      subject: `Where is my order ${seq}?`,
      requester: { email: `buyer${seq}@shop.test`, name: `Buyer ${seq}` },
      message: { body: `Order CC-${seq} has not arrived.` },
      ...extra,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().ticket as TTicketJson;
  };

  test("creating a ticket answers the full ticket; its first message is the requester's reply", async () => {
    const res = await call(t.app, acme.agentToken, "POST", "/api/v1/tickets", {
      brandId: acme.brandA,
      subject: "Cafea măcinată greșit",
      requester: { email: "Stefan.Popa@Example.ro", name: "Ștefan Popa" },
      message: { body: "Am primit cafea măcinată.", html: "<p>Am primit cafea măcinată.</p>" },
      priority: "high",
      category: "return",
      tags: ["Wrong-Item", "wrong-item"],
      ccs: [{ email: "sotia@example.ro", name: "Maria" }],
      orderNumber: "CC-10244",
      dueAt: "2030-01-01T10:00:00+02:00",
    });
    assert.equal(res.statusCode, 201, res.body);
    const ticket = res.json().ticket as TTicketJson & Record<string, unknown>;
    assert.equal(ticket.displayNumber, `#${ticket.number}`);
    assert.equal(ticket.status, "new");
    assert.equal(ticket.channel, "api");
    assert.equal(ticket.category, "return");
    assert.deepEqual(ticket.tags, ["wrong-item"]);
    assert.deepEqual(ticket.requester.email, "stefan.popa@example.ro");
    assert.equal(ticket.requester.name, "Ștefan Popa");
    assert.equal(ticket.ccs[0]?.email, "sotia@example.ro");
    assert.equal(ticket.dueAt, "2030-01-01T08:00:00.000Z");
    // What was answered is what is stored.
    const got = await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${ticket.id}`);
    assert.deepEqual(got.json().ticket, ticket);
    const thread = (
      await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${ticket.id}/messages`)
    ).json();
    assert.equal(thread.items.length, 1);
    assert.equal(thread.items[0].kind, "reply");
    assert.deepEqual(thread.items[0].author, {
      type: "customer",
      id: ticket.requester.id,
      name: "Ștefan Popa",
    });
    assert.equal(thread.items[0].bodyHtml, "<p>Am primit cafea măcinată.</p>");
  });

  test("numbers are sequential per workspace and independent across workspaces; GET by number works", async () => {
    const a1 = await create(acme);
    const a2 = await create(acme);
    const g1 = await create(other);
    const g2 = await create(other);
    assert.equal(a2.number, a1.number + 1);
    assert.equal(g2.number, g1.number + 1);
    const byNumber = await call(t.app, acme.ownerToken, "GET", `/api/v1/tickets/${a2.number}`);
    assert.equal(byNumber.json().ticket.id, a2.id);
    // The same number in another workspace is another ticket.
    const otherByNumber = await call(t.app, other.ownerToken, "GET", `/api/v1/tickets/${g1.number}`);
    assert.equal(otherByNumber.json().ticket.id, g1.id);
    const unknown = await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets/999999999");
    assert.equal(unknown.statusCode, 404);
    assert.equal((await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets/not-a-ticket")).statusCode, 400);
  });

  test("the same Idempotency-Key twice creates one ticket", async () => {
    const body = {
      brandId: acme.brandA,
      subject: "Retry me",
      requester: { email: "retry@shop.test" },
      message: { body: "Sent twice by a flaky client" },
    };
    const headers = { "idempotency-key": "order-123-ticket" };
    const first = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets", body, headers);
    const second = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets", body, headers);
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.equal(second.headers["idempotent-replayed"], "true");
    assert.equal(second.json().ticket.id, first.json().ticket.id);
    const list = await call(
      t.app,
      acme.ownerToken,
      "GET",
      `/api/v1/tickets?requesterId=${first.json().ticket.requester.id}`,
    );
    assert.equal(list.json().items.length, 1);
  });

  test("HTML and SQL in subject and body are stored and answered verbatim", async () => {
    const subject = `<script>alert(1)</script>'; DROP TABLE tickets; --`;
    const body = `<img src=x onerror=alert(1)> " OR 1=1; --`;
    const ticket = await create(acme, { subject, message: { body } });
    const got = await call(t.app, acme.ownerToken, "GET", `/api/v1/tickets/${ticket.id}`);
    assert.equal(got.json().ticket.subject, subject);
    const thread = await call(t.app, acme.ownerToken, "GET", `/api/v1/tickets/${ticket.id}/messages`);
    assert.equal(thread.json().items[0].bodyText, body);
  });

  test("bad input is refused with 400 naming the field", async () => {
    const base = {
      brandId: acme.brandA,
      subject: "x",
      requester: { email: "ok@shop.test" },
      message: { body: "y" },
    };
    const unknown = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets", { ...base, sneaky: 1 });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().error.message, /sneaky/);
    const badEmail = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets", {
      ...base,
      requester: { email: "not-an-email" },
    });
    assert.equal(badEmail.statusCode, 400);
    assert.match(badEmail.json().error.message, /requester\.email/);
    const badCategory = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets", {
      ...base,
      category: "nope",
    });
    assert.equal(badCategory.statusCode, 400);
    assert.equal(badCategory.json().error.code, "unknown_category");
    assert.match(badCategory.json().error.message, /nope/);
    const badPatch = await call(
      t.app,
      acme.ownerToken,
      "PATCH",
      `/api/v1/tickets/${(await create(acme)).id}`,
      {
        colour: "red",
      },
    );
    assert.equal(badPatch.statusCode, 400);
    assert.match(badPatch.json().error.message, /colour/);
  });

  test("another workspace's ticket answers 404 on every route, and leaks nothing", async () => {
    const theirs = await create(other);
    // By id only: numbers are per workspace, so theirs.number may well be one of acme's own tickets.
    for (const ref of [theirs.id]) {
      const tries = [
        ["GET", `/api/v1/tickets/${ref}`, undefined],
        ["PATCH", `/api/v1/tickets/${ref}`, { priority: "urgent" }],
        ["DELETE", `/api/v1/tickets/${ref}`, undefined],
        ["GET", `/api/v1/tickets/${ref}/messages`, undefined],
        ["POST", `/api/v1/tickets/${ref}/messages`, { kind: "note", body: "hi" }],
        ["GET", `/api/v1/tickets/${ref}/audit`, undefined],
        ["POST", `/api/v1/tickets/${ref}/merge`, { targetTicketId: (await create(acme)).id }],
      ] as const;
      for (const [method, url, body] of tries) {
        const res = await call(t.app, acme.ownerToken, method, url, body);
        assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
        assert.equal(res.json().error.code, "ticket_not_found");
        assert.ok(!res.body.includes(theirs.subject));
      }
    }
    const mine = await create(acme);
    const mergeInto = await call(t.app, acme.ownerToken, "POST", `/api/v1/tickets/${mine.id}/merge`, {
      targetTicketId: theirs.id,
    });
    assert.equal(mergeInto.statusCode, 404);
    const bulk = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets/bulk", {
      ticketIds: [theirs.id],
      changes: { priority: "urgent" },
    });
    assert.equal(bulk.json().items[0].ok, false);
    assert.equal(bulk.json().items[0].error.code, "ticket_not_found");
    const list = await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets?limit=100");
    assert.ok(!list.json().items.some((i: TTicketJson) => i.id === theirs.id));
    const stillThere = await call(t.app, other.ownerToken, "GET", `/api/v1/tickets/${theirs.id}`);
    assert.equal(stillThere.json().ticket.priority, "normal");
  });

  test("an agent of brand A gets 404 for brand B tickets and cannot create in brand B", async () => {
    const inB = await create(acme, { brandId: acme.brandB });
    for (const [method, url, body] of [
      ["GET", `/api/v1/tickets/${inB.id}`, undefined],
      ["PATCH", `/api/v1/tickets/${inB.id}`, { priority: "low" }],
      ["GET", `/api/v1/tickets/${inB.id}/messages`, undefined],
      ["POST", `/api/v1/tickets/${inB.id}/messages`, { kind: "reply", body: "hi" }],
      ["GET", `/api/v1/tickets/${inB.id}/audit`, undefined],
      ["DELETE", `/api/v1/tickets/${inB.id}`, undefined],
    ] as const) {
      for (const token of [acme.agentToken, acme.lightAgentToken]) {
        const res = await call(t.app, token, method, url, body);
        assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
      }
    }
    const createInB = await call(t.app, acme.agentToken, "POST", "/api/v1/tickets", {
      brandId: acme.brandB,
      subject: "x",
      requester: { email: "b@shop.test" },
      message: { body: "y" },
    });
    assert.equal(createInB.statusCode, 404);
    assert.equal(createInB.json().error.code, "brand_not_found");
    const foreignBrand = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets", {
      brandId: other.brandA,
      subject: "x",
      requester: { email: "b@shop.test" },
      message: { body: "y" },
    });
    assert.equal(foreignBrand.statusCode, 404);
    assert.equal(foreignBrand.json().error.code, "brand_not_found");
    const listed = await call(t.app, acme.agentToken, "GET", "/api/v1/tickets?limit=100");
    assert.ok(listed.json().items.every((i: TTicketJson) => i.brandId === acme.brandA));
    const bulk = await call(t.app, acme.agentToken, "POST", "/api/v1/tickets/bulk", {
      ticketIds: [inB.id],
      changes: { status: "open" },
    });
    assert.equal(bulk.json().items[0].error.code, "ticket_not_found");
  });

  test("a light agent may add a note but a public reply is 403", async () => {
    const ticket = await create(acme);
    const reply = await call(t.app, acme.lightAgentToken, "POST", `/api/v1/tickets/${ticket.id}/messages`, {
      kind: "reply",
      body: "Hello customer",
    });
    assert.equal(reply.statusCode, 403);
    assert.equal(reply.json().error.code, "forbidden");
    const note = await call(t.app, acme.lightAgentToken, "POST", `/api/v1/tickets/${ticket.id}/messages`, {
      kind: "note",
      body: "Checked the warehouse",
    });
    assert.equal(note.statusCode, 201, note.body);
    assert.equal(note.json().message.kind, "note");
    assert.equal(note.json().message.channel, "internal");
    assert.equal(note.json().message.author.type, "user");
    const thread = await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${ticket.id}/messages`);
    assert.deepEqual(
      thread.json().items.map((m: { kind: string }) => m.kind),
      ["reply", "note"],
    );
    const status = await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${ticket.id}`);
    assert.equal(status.json().ticket.status, "new", "a note does not open the ticket");
    // Light agents read and write notes; changing or creating tickets is for agents and up.
    const patch = await call(t.app, acme.lightAgentToken, "PATCH", `/api/v1/tickets/${ticket.id}`, {
      priority: "low",
    });
    assert.equal(patch.statusCode, 403);
    const created = await call(t.app, acme.lightAgentToken, "POST", "/api/v1/tickets", {
      brandId: acme.brandA,
      subject: "x",
      requester: { email: "x@shop.test" },
      message: { body: "y" },
    });
    assert.equal(created.statusCode, 403);
  });

  test("an agent reply opens a new ticket; solved then closed; a closed ticket refuses every change", async () => {
    const ticket = await create(acme);
    const reply = await call(t.app, acme.agentToken, "POST", `/api/v1/tickets/${ticket.id}/messages`, {
      kind: "reply",
      body: "It ships tomorrow",
    });
    assert.equal(reply.statusCode, 201);
    let got = (await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${ticket.id}`)).json().ticket;
    assert.equal(got.status, "open");
    const toClosed = await call(t.app, acme.agentToken, "PATCH", `/api/v1/tickets/${ticket.id}`, {
      status: "closed",
    });
    assert.equal(toClosed.statusCode, 409);
    assert.equal(toClosed.json().error.code, "invalid_status_transition");
    got = (
      await call(t.app, acme.agentToken, "PATCH", `/api/v1/tickets/${ticket.id}`, { status: "solved" })
    ).json().ticket;
    assert.equal(got.status, "solved");
    assert.ok(got.solvedAt);
    got = (
      await call(t.app, acme.agentToken, "PATCH", `/api/v1/tickets/${ticket.id}`, { status: "closed" })
    ).json().ticket;
    assert.equal(got.status, "closed");
    assert.ok(got.closedAt);
    assert.ok(got.solvedAt);
    for (const [method, url, body] of [
      ["PATCH", `/api/v1/tickets/${ticket.id}`, { priority: "urgent" }],
      ["PATCH", `/api/v1/tickets/${ticket.id}`, { status: "open" }],
      ["POST", `/api/v1/tickets/${ticket.id}/messages`, { kind: "note", body: "late note" }],
      ["POST", `/api/v1/tickets/${ticket.id}/messages`, { kind: "reply", body: "late reply" }],
    ] as const) {
      const res = await call(t.app, acme.agentToken, method, url, body);
      assert.equal(res.statusCode, 409, `${method} ${JSON.stringify(body)}`);
      assert.equal(res.json().error.code, "ticket_closed");
    }
  });

  test("assigneeId=none lists unassigned tickets only; assigneeId=me the caller's", async () => {
    const assigned = await create(acme);
    const unassigned = await create(acme);
    const patched = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/tickets/${assigned.id}`, {
      assigneeId: acme.agent.userId,
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const ids = async (query: string) =>
      (
        (await call(t.app, acme.agentToken, "GET", `/api/v1/tickets?limit=100&${query}`)).json().items as {
          id: string;
        }[]
      ).map((i) => i.id);
    const none = await ids("assigneeId=none");
    assert.ok(none.includes(unassigned.id));
    assert.ok(!none.includes(assigned.id));
    const mine = await ids("assigneeId=me");
    assert.ok(mine.includes(assigned.id));
    assert.ok(!mine.includes(unassigned.id));
  });

  test("PATCH records every change in the audit trail and status/assignee changes as events", async () => {
    const ticket = await create(acme);
    const res = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/tickets/${ticket.id}`, {
      status: "pending",
      priority: "urgent",
      assigneeId: acme.agent.userId,
      tags: ["vip"],
      category: "delivery",
      followerIds: [acme.lightAgent.userId],
      ccs: [{ email: "boss@shop.test" }],
    });
    assert.equal(res.statusCode, 200, res.body);
    const updated = res.json().ticket;
    assert.equal(updated.assigneeId, acme.agent.userId);
    assert.equal(updated.category, "delivery");
    assert.deepEqual(updated.followerIds, [acme.lightAgent.userId]);
    assert.deepEqual(
      updated.ccs.map((c: { email: string }) => c.email),
      ["boss@shop.test"],
    );
    const audit = (await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${ticket.id}/audit`)).json();
    assert.deepEqual(
      audit.items.map((a: { action: string }) => a.action),
      ["created", "updated"],
    );
    const change = audit.items[1];
    assert.deepEqual(change.actor, { type: "user", id: acme.owner.userId });
    const byField = Object.fromEntries(
      change.changes.map((c: { field: string; before: unknown; after: unknown }) => [c.field, c]),
    );
    assert.deepEqual(byField.status, { field: "status", before: "new", after: "pending" });
    assert.deepEqual(byField.priority, { field: "priority", before: "normal", after: "urgent" });
    assert.deepEqual(byField.assigneeId, { field: "assigneeId", before: null, after: acme.agent.userId });
    assert.deepEqual(byField.tags, { field: "tags", before: [], after: ["vip"] });
    assert.deepEqual(byField.category, { field: "category", before: null, after: "delivery" });
    assert.deepEqual(byField.ccs, { field: "ccs", before: [], after: ["boss@shop.test"] });
    const thread = (
      await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${ticket.id}/messages`)
    ).json();
    const event = thread.items.find((m: { kind: string }) => m.kind === "event");
    assert.deepEqual(event.event.changes.map((c: { field: string }) => c.field).sort(), [
      "assigneeId",
      "status",
    ]);
    // A PATCH that changes nothing writes nothing.
    await call(t.app, acme.ownerToken, "PATCH", `/api/v1/tickets/${ticket.id}`, { priority: "urgent" });
    const again = (await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${ticket.id}/audit`)).json();
    assert.equal(again.items.length, 2);
  });

  test("the assignee must be an agent of the ticket's brand", async () => {
    const inB = await create(acme, { brandId: acme.brandB });
    const res = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/tickets/${inB.id}`, {
      assigneeId: acme.agent.userId,
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "invalid_assignee");
    const foreign = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/tickets/${inB.id}`, {
      assigneeId: other.agent.userId,
    });
    assert.equal(foreign.statusCode, 400);
    const light = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets", {
      brandId: acme.brandA,
      subject: "x",
      requester: { email: "x@shop.test" },
      message: { body: "y" },
      assigneeId: acme.lightAgent.userId,
    });
    assert.equal(light.statusCode, 400);
    assert.equal(light.json().error.code, "invalid_assignee");
  });

  test("list filters, the 'me' assignee and cursor pages ordered by last update", async () => {
    const tagged = [await create(acme, { tags: ["filter-me"] }), await create(acme, { tags: ["filter-me"] })];
    await create(acme, { tags: ["filter-me"], priority: "low" });
    await call(t.app, acme.ownerToken, "PATCH", `/api/v1/tickets/${tagged[0]?.id}`, {
      assigneeId: acme.agent.userId,
      status: "open",
    });
    const mine = (
      await call(t.app, acme.agentToken, "GET", "/api/v1/tickets?assigneeId=me&tag=filter-me")
    ).json();
    assert.deepEqual(
      mine.items.map((i: TTicketJson) => i.id),
      [tagged[0]?.id],
    );
    const byStatus = (
      await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets?tag=filter-me&status=open&status=pending")
    ).json();
    assert.equal(byStatus.items.length, 1);
    const commaStatus = (
      await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets?tag=filter-me&status=new,open")
    ).json();
    assert.equal(commaStatus.items.length, 3);
    const low = (
      await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets?tag=filter-me&priority=low")
    ).json();
    assert.equal(low.items.length, 1);
    const page1 = (await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets?tag=filter-me&limit=2")).json();
    assert.equal(page1.items[0].id, tagged[0]?.id, "the most recently updated comes first");
    assert.ok(page1.nextCursor);
    const page2 = (
      await call(
        t.app,
        acme.ownerToken,
        "GET",
        `/api/v1/tickets?tag=filter-me&limit=2&cursor=${page1.nextCursor}`,
      )
    ).json();
    assert.equal(page2.items.length, 1);
    assert.equal(page2.nextCursor, null);
    const all = [...page1.items, ...page2.items].map((i: TTicketJson) => i.id);
    assert.equal(new Set(all).size, 3);
    const bad = await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets?status=lost");
    assert.equal(bad.statusCode, 400);
  });

  test("spam and deleted tickets leave the list; deleted ones answer 404; only supervisors and up delete", async () => {
    const spam = await create(acme, { tags: ["sd"] });
    const gone = await create(acme, { tags: ["sd"] });
    await call(t.app, acme.agentToken, "PATCH", `/api/v1/tickets/${spam.id}`, { isSpam: true });
    const agentDelete = await call(t.app, acme.agentToken, "DELETE", `/api/v1/tickets/${gone.id}`);
    assert.equal(agentDelete.statusCode, 403);
    const del = await call(t.app, acme.ownerToken, "DELETE", `/api/v1/tickets/${gone.id}`);
    assert.equal(del.statusCode, 204);
    assert.equal((await call(t.app, acme.ownerToken, "GET", `/api/v1/tickets/${gone.id}`)).statusCode, 404);
    assert.equal(
      (await call(t.app, acme.ownerToken, "DELETE", `/api/v1/tickets/${gone.id}`)).statusCode,
      404,
    );
    const list = (await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets?tag=sd")).json();
    assert.equal(list.items.length, 0);
    const spamList = (await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets?tag=sd&spam=true")).json();
    assert.deepEqual(
      spamList.items.map((i: TTicketJson) => i.id),
      [spam.id],
    );
    const trash = (await call(t.app, acme.ownerToken, "GET", "/api/v1/tickets?tag=sd&deleted=true")).json();
    assert.deepEqual(
      trash.items.map((i: TTicketJson) => i.id),
      [gone.id],
    );
    assert.equal((await call(t.app, acme.agentToken, "GET", "/api/v1/tickets?deleted=true")).statusCode, 403);
  });

  test("merge closes the source, notes both, and the target's thread shows both threads", async () => {
    const source = await create(acme, { requester: { email: "first@shop.test" } });
    const target = await create(acme, { requester: { email: "second@shop.test" } });
    const res = await call(t.app, acme.agentToken, "POST", `/api/v1/tickets/${source.id}/merge`, {
      targetTicketId: String(target.number),
    });
    assert.equal(res.statusCode, 200, res.body);
    const { source: s, target: tg } = res.json();
    assert.equal(s.status, "closed");
    assert.equal(s.mergedIntoId, target.id);
    assert.ok(s.closedAt);
    assert.ok(tg.ccs.some((c: { email: string }) => c.email === "first@shop.test"));
    const thread = (
      await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${target.id}/messages`)
    ).json();
    const ticketIds = new Set(thread.items.map((m: { ticketId: string }) => m.ticketId));
    assert.deepEqual(ticketIds, new Set([source.id, target.id]));
    assert.ok(
      thread.items.some(
        (m: { kind: string; bodyText: string }) =>
          m.kind === "note" && m.bodyText.includes(source.displayNumber),
      ),
    );
    const sourceThread = (
      await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${source.id}/messages`)
    ).json();
    assert.ok(
      sourceThread.items.some(
        (m: { kind: string; bodyText: string }) =>
          m.kind === "note" && m.bodyText.includes(target.displayNumber),
      ),
    );
    const audit = (await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${source.id}/audit`)).json();
    assert.equal(audit.items.at(-1).action, "merged");
    assert.deepEqual(audit.items.at(-1).changes[0], {
      field: "mergedIntoId",
      before: null,
      after: target.id,
    });
    const targetAudit = (
      await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${target.id}/audit`)
    ).json();
    assert.equal(targetAudit.items.at(-1).action, "merge_received");
    // Merged tickets leave the list unless asked for.
    const list = (
      await call(t.app, acme.agentToken, "GET", `/api/v1/tickets?requesterId=${source.requester.id}`)
    ).json();
    assert.equal(list.items.length, 0);
    const withMerged = (
      await call(
        t.app,
        acme.agentToken,
        "GET",
        `/api/v1/tickets?requesterId=${source.requester.id}&merged=true`,
      )
    ).json();
    assert.equal(withMerged.items.length, 1);
    // Merging again, into itself, or across brands is refused.
    const again = await call(t.app, acme.agentToken, "POST", `/api/v1/tickets/${source.id}/merge`, {
      targetTicketId: target.id,
    });
    assert.equal(again.json().error.code, "ticket_closed");
    const self = await call(t.app, acme.agentToken, "POST", `/api/v1/tickets/${target.id}/merge`, {
      targetTicketId: target.id,
    });
    assert.equal(self.json().error.code, "merge_same_ticket");
    const inB = await create(acme, { brandId: acme.brandB });
    const across = await call(t.app, acme.ownerToken, "POST", `/api/v1/tickets/${target.id}/merge`, {
      targetTicketId: inB.id,
    });
    assert.equal(across.statusCode, 400);
    assert.equal(across.json().error.code, "merge_brand_mismatch");
  });

  test("bulk changes report per ticket and are audited", async () => {
    const a = await create(acme, { tags: ["old", "keep"] });
    const b = await create(acme, { tags: ["old"] });
    const closed = await create(acme);
    await call(t.app, acme.ownerToken, "PATCH", `/api/v1/tickets/${closed.id}`, { status: "solved" });
    await call(t.app, acme.ownerToken, "PATCH", `/api/v1/tickets/${closed.id}`, { status: "closed" });
    const missing = "0190aaaa-0000-7000-8000-000000000000";
    const res = await call(t.app, acme.agentToken, "POST", "/api/v1/tickets/bulk", {
      ticketIds: [a.id, b.id, closed.id, missing],
      changes: { status: "pending", priority: "high", addTags: ["bulk"], removeTags: ["old"] },
    });
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items;
    assert.deepEqual(
      items.map((i: { ok: boolean }) => i.ok),
      [true, true, false, false],
    );
    assert.deepEqual(items[0].ticket.tags, ["keep", "bulk"]);
    assert.deepEqual(items[1].ticket.tags, ["bulk"]);
    assert.equal(items[1].ticket.status, "pending");
    assert.equal(items[2].error.code, "ticket_closed");
    assert.equal(items[3].error.code, "ticket_not_found");
    const audit = (await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${a.id}/audit`)).json();
    const last = audit.items.at(-1);
    assert.equal(last.action, "updated");
    assert.deepEqual(last.actor, { type: "user", id: acme.agent.userId });
    assert.ok(last.changes.some((c: { field: string }) => c.field === "tags"));
    const tooMany = await call(t.app, acme.agentToken, "POST", "/api/v1/tickets/bulk", {
      ticketIds: Array.from({ length: 101 }, () => a.id),
      changes: { priority: "low" },
    });
    assert.equal(tooMany.statusCode, 400);
    const light = await call(t.app, acme.lightAgentToken, "POST", "/api/v1/tickets/bulk", {
      ticketIds: [a.id],
      changes: { priority: "low" },
    });
    assert.equal(light.statusCode, 403);
  });

  test("message pages are oldest first and carry their attachments", async () => {
    const ticket = await create(acme);
    const upload = await t.app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticket.id}/attachments`,
      headers: {
        authorization: `Bearer ${acme.agentToken}`,
        "content-type": "multipart/form-data; boundary=XYZ",
      },
      payload:
        '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="label.txt"\r\nContent-Type: text/plain\r\n\r\nreturn label\r\n--XYZ--\r\n',
    });
    assert.equal(upload.statusCode, 201, upload.body);
    const attachmentId = upload.json().items[0].id;
    const reply = await call(t.app, acme.agentToken, "POST", `/api/v1/tickets/${ticket.id}/messages`, {
      kind: "reply",
      body: "Here is your label",
      attachmentIds: [attachmentId],
    });
    assert.equal(reply.statusCode, 201, reply.body);
    assert.equal(reply.json().message.attachments[0].filename, "label.txt");
    const reuse = await call(t.app, acme.agentToken, "POST", `/api/v1/tickets/${ticket.id}/messages`, {
      kind: "note",
      body: "again",
      attachmentIds: [attachmentId],
    });
    assert.equal(reuse.statusCode, 404);
    await call(t.app, acme.agentToken, "POST", `/api/v1/tickets/${ticket.id}/messages`, {
      kind: "note",
      body: "n1",
    });
    const p1 = (
      await call(t.app, acme.agentToken, "GET", `/api/v1/tickets/${ticket.id}/messages?limit=2`)
    ).json();
    assert.deepEqual(
      p1.items.map((m: { bodyText: string }) => m.bodyText),
      [`Order CC-${seq} has not arrived.`, "Here is your label"],
    );
    assert.equal(p1.items[1].attachments.length, 1);
    const p2 = (
      await call(
        t.app,
        acme.agentToken,
        "GET",
        `/api/v1/tickets/${ticket.id}/messages?limit=2&cursor=${p1.nextCursor}`,
      )
    ).json();
    assert.deepEqual(
      p2.items.map((m: { bodyText: string }) => m.bodyText),
      ["n1"],
    );
    assert.equal(p2.nextCursor, null);
  });
});
