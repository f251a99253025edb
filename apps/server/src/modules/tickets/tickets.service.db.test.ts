import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AppError } from "../../lib/app-error.ts";
import { createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";

const rejectsWith = (promise: Promise<unknown>, status: number, code: string) =>
  assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(`${err.status} ${err.code}`, `${status} ${code}`);
    return true;
  });

describe("tickets service", () => {
  let t: TTestApp;
  let acme: TTenant;
  let other: TTenant;
  before(async () => {
    t = await createTestApp();
    acme = await seedTenant(t.services, "acme");
    other = await seedTenant(t.services, "globex");
  });
  after(() => t.close());

  const fromForm = (tenant: TTenant, extra: { category?: string; email?: string } = {}) =>
    t.services.tickets.createTicketFromCustomer({
      workspaceId: tenant.owner.workspaceId,
      brandId: tenant.brandA,
      name: "Ana Pop",
      email: extra.email ?? "Ana.Pop@Shop.ro",
      subject: "Comanda întârzie",
      body: "Unde este comanda mea?",
      channel: "web",
      orderNumber: "CC-1",
      locale: "ro",
      ...(extra.category ? { category: extra.category } : {}),
    });

  const searchText = async (ticketId: string) =>
    await t.database.db
      .selectFrom("tickets")
      .select(["search_text", "public_token_hash"])
      .where("id", "=", ticketId)
      .executeTakeFirstOrThrow();

  test("a contact-form request gets a status token that shows public replies only", async () => {
    const { ticket, statusToken, messageId } = await fromForm(acme, { category: "delivery" });
    assert.equal(ticket.channel, "web");
    assert.equal(ticket.category, "delivery");
    assert.equal(ticket.requester.email, "ana.pop@shop.ro");
    assert.equal(ticket.orderNumber, "CC-1");
    const stored = await searchText(ticket.id);
    assert.ok(!stored.public_token_hash.includes(statusToken.slice(32)), "only a hash of the secret is kept");
    assert.equal(stored.search_text, "comanda intarzie unde este comanda mea?");

    await t.services.tickets.addMessage(acme.owner, ticket.id, { kind: "note", body: "internal only" });
    await t.services.tickets.addMessage(acme.owner, ticket.id, { kind: "reply", body: "Ajunge mâine" });
    await t.services.tickets.updateTicket(acme.owner, ticket.id, {
      priority: "high",
      assigneeId: acme.agent.userId,
    });

    const thread = await t.services.tickets.findTicketByStatusToken(
      acme.owner.workspaceId,
      acme.brandA,
      statusToken,
    );
    assert.ok(thread);
    assert.equal(thread.ticket.id, ticket.id);
    assert.equal(thread.ticket.status, "open", "the staff reply opened it");
    assert.deepEqual(
      thread.messages.map((m) => [m.kind, m.author.type, m.bodyText]),
      [
        ["reply", "customer", "Unde este comanda mea?"],
        ["reply", "user", "Ajunge mâine"],
      ],
    );
    assert.equal(thread.messages[0]?.id, messageId);
    assert.equal(
      (await searchText(ticket.id)).search_text,
      "comanda intarzie unde este comanda mea? internal only ajunge maine",
    );

    const find = (ws: string, brand: string, token: string) =>
      t.services.tickets.findTicketByStatusToken(ws, brand, token);
    const tampered = `${statusToken.slice(0, -1)}${statusToken.endsWith("A") ? "B" : "A"}`;
    assert.equal(await find(acme.owner.workspaceId, acme.brandA, tampered), null);
    assert.equal(await find(acme.owner.workspaceId, acme.brandB, statusToken), null);
    assert.equal(await find(other.owner.workspaceId, other.brandA, statusToken), null);
    assert.equal(await find(acme.owner.workspaceId, acme.brandA, "short"), null);
  });

  test("a customer reply reopens a solved ticket; a closed ticket refuses it with 409", async () => {
    const { ticket, statusToken } = await fromForm(acme);
    await t.services.tickets.updateTicket(acme.owner, ticket.id, { status: "solved" });
    const reply = await t.services.tickets.addCustomerReply(acme.owner.workspaceId, ticket.id, {
      body: "Still not here",
    });
    assert.equal(reply.author.type, "customer");
    assert.equal(reply.author.id, ticket.requester.id);
    let now = await t.services.tickets.getTicket(acme.owner, ticket.id);
    assert.equal(now.status, "open");
    assert.equal(now.solvedAt, null);
    const audit = await t.services.tickets.listAuditTrail(acme.owner, ticket.id, { limit: 10 });
    const reopened = audit.items.at(-1);
    assert.equal(reopened?.action, "customer_replied");
    assert.deepEqual(reopened?.actor, { type: "customer", id: ticket.requester.id });

    await t.services.tickets.updateTicket(acme.owner, ticket.id, { status: "solved" });
    now = await t.services.tickets.updateTicket(acme.owner, ticket.id, { status: "closed" });
    assert.equal(now.status, "closed");
    await rejectsWith(
      t.services.tickets.addCustomerReply(acme.owner.workspaceId, ticket.id, { body: "Hello?" }),
      409,
      "ticket_closed",
    );
    // Still readable by its token, closed.
    const thread = await t.services.tickets.findTicketByStatusToken(
      acme.owner.workspaceId,
      acme.brandA,
      statusToken,
    );
    assert.equal(thread?.ticket.status, "closed");
  });

  test("customer replies stay in their workspace and skip deleted tickets", async () => {
    const { ticket } = await fromForm(acme);
    await rejectsWith(
      t.services.tickets.addCustomerReply(other.owner.workspaceId, ticket.id, { body: "x" }),
      404,
      "ticket_not_found",
    );
    await t.services.tickets.deleteTicket(acme.owner, ticket.id);
    await rejectsWith(
      t.services.tickets.addCustomerReply(acme.owner.workspaceId, ticket.id, { body: "x" }),
      404,
      "ticket_not_found",
    );
  });

  test("a customer reply carries its files; the status page lists them", async () => {
    const { ticket, statusToken } = await fromForm(acme);
    const [file] = await t.services.attachments.attachStoredFiles(
      t.database.db,
      acme.owner.workspaceId,
      ticket.id,
      null,
      [await t.services.attachments.saveFile({ filename: "photo.txt", content: Buffer.from("broken box") })],
    );
    assert.ok(file);
    const reply = await t.services.tickets.addCustomerReply(acme.owner.workspaceId, ticket.id, {
      body: "Photo attached",
      attachmentIds: [file.id],
    });
    assert.deepEqual(
      reply.attachments.map((a) => a.filename),
      ["photo.txt"],
    );
    const thread = await t.services.tickets.findTicketByStatusToken(
      acme.owner.workspaceId,
      acme.brandA,
      statusToken,
    );
    assert.equal(thread?.messages.at(-1)?.attachments[0]?.id, file.id);
    await rejectsWith(
      t.services.tickets.addCustomerReply(acme.owner.workspaceId, ticket.id, {
        body: "again",
        attachmentIds: [file.id],
      }),
      404,
      "attachment_not_found",
    );
  });

  test("the status page of a merged ticket does not show the other customer's messages", async () => {
    const mine = await fromForm(acme, { email: "mine@shop.test" });
    const theirs = await fromForm(acme, { email: "theirs@shop.test" });
    await t.services.tickets.mergeTicket(acme.owner, theirs.ticket.id, mine.ticket.id);
    const thread = await t.services.tickets.findTicketByStatusToken(
      acme.owner.workspaceId,
      acme.brandA,
      mine.statusToken,
    );
    assert.deepEqual(
      thread?.messages.map((m) => m.ticketId),
      [mine.ticket.id],
    );
    const staffView = await t.services.tickets.listMessages(acme.owner, mine.ticket.id, { limit: 50 });
    assert.ok(staffView.items.some((m) => m.ticketId === theirs.ticket.id));
  });

  test("concurrent creates get distinct, gap-free numbers", async () => {
    const first = await fromForm(other);
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fromForm(other, { email: `parallel${i % 3}@shop.test` })),
    );
    const numbers = created.map((c) => c.ticket.number).sort((a, b) => a - b);
    assert.deepEqual(
      numbers,
      Array.from({ length: 20 }, (_, i) => first.ticket.number + 1 + i),
    );
    const requesters = new Set(created.map((c) => c.ticket.requester.id));
    assert.equal(requesters.size, 3, "one customer per email, even when created concurrently");
  });

  test("an unknown category from the form is 400 naming it", async () => {
    await rejectsWith(fromForm(acme, { category: "teleport" }), 400, "unknown_category");
  });
});
