import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../test/test-app.ts";

// Markup, script, SQL and control-ish text together: it must come back exactly as sent.
const HOSTILE = `<img src=x onerror="alert(1)"><script>alert('x')</script> '; DROP TABLE tickets; -- " \\ ${"\u202e"}ltr`;

describe("hostile text in every text field is data", () => {
  let t: TTestApp;
  let acme: TTenant;
  before(async () => {
    t = await createTestApp();
    acme = await seedTenant(t.services);
  });
  after(() => t.close());

  test("created records return every text field verbatim", async () => {
    const token = acme.ownerToken;
    const brand = await call(t.app, token, "POST", "/api/v1/brands", { name: HOSTILE, slug: "hostile-shop" });
    assert.equal(brand.json().name, HOSTILE);

    const user = await call(t.app, token, "POST", "/api/v1/users", {
      email: "hostile@acme.test",
      name: HOSTILE,
    });
    assert.equal(user.json().name, HOSTILE);

    const group = await call(t.app, token, "POST", "/api/v1/groups", { name: HOSTILE, description: HOSTILE });
    assert.deepEqual([group.json().name, group.json().description], [HOSTILE, HOSTILE]);

    const customer = await call(t.app, token, "POST", "/api/v1/customers", {
      brandId: acme.brandA,
      name: HOSTILE,
      notes: HOSTILE,
      emails: ["h@example.com"],
    });
    assert.deepEqual([customer.json().name, customer.json().notes], [HOSTILE, HOSTILE]);

    const category = await call(t.app, token, "POST", "/api/v1/categories", {
      key: "hostile",
      name: HOSTILE,
    });
    assert.equal(category.json().name, HOSTILE);
    const field = await call(t.app, token, "POST", "/api/v1/custom-fields", {
      key: "hostile_text",
      label: HOSTILE,
      kind: "text",
    });
    assert.equal(field.json().label, HOSTILE);

    const created = await call(t.app, token, "POST", "/api/v1/tickets", {
      brandId: acme.brandA,
      subject: HOSTILE,
      requester: { email: "requester@example.com", name: HOSTILE },
      message: { body: HOSTILE },
      tags: ["<b>tag</b>"],
      orderNumber: HOSTILE.slice(0, 90),
      customFields: { hostile_text: HOSTILE },
    });
    assert.equal(created.statusCode, 201, created.body);
    const ticket = created.json().ticket;
    assert.equal(ticket.subject, HOSTILE);
    assert.equal(ticket.requester.name, HOSTILE);
    assert.equal(ticket.customFields.hostile_text, HOSTILE);

    const note = await call(t.app, token, "POST", `/api/v1/tickets/${ticket.id}/messages`, {
      kind: "note",
      body: HOSTILE,
    });
    assert.equal(note.json().message.bodyText, HOSTILE);
    const thread = (await call(t.app, token, "GET", `/api/v1/tickets/${ticket.id}/messages`)).json().items;
    assert.ok(
      thread.every((m: { bodyText: string; kind: string }) => m.kind === "event" || m.bodyText === HOSTILE),
    );

    const found = await call(
      t.app,
      token,
      "GET",
      `/api/v1/search?q=${encodeURIComponent("DROP TABLE tickets")}`,
    );
    assert.equal(found.statusCode, 200);
    assert.ok(
      found.json().tickets.some((x: { id: string }) => x.id === ticket.id),
      "the text is searchable as text",
    );
    assert.equal(
      (await call(t.app, token, "GET", "/api/v1/tickets?limit=5")).statusCode,
      200,
      "the tickets table is still there",
    );
  });

  test("hostile HTML in a staff reply or a new ticket is stored clean: the text stays, the script goes", async () => {
    const token = acme.ownerToken;
    const html = `<p onclick="steal()" style="position:fixed">Hello <b>there</b></p><script>alert(1)</script><a href="javascript:alert(1)">x</a>`;
    const created = await call(t.app, token, "POST", "/api/v1/tickets", {
      brandId: acme.brandA,
      subject: "HTML",
      requester: { email: "html@example.com" },
      message: { body: "Hello there", html },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().ticket.id;
    const reply = await call(t.app, token, "POST", `/api/v1/tickets/${id}/messages`, {
      kind: "reply",
      body: "Hello there",
      html,
    });
    assert.equal(reply.statusCode, 201, reply.body);
    const thread = (await call(t.app, token, "GET", `/api/v1/tickets/${id}/messages`)).json().items;
    const stored = thread.filter((m: { bodyHtml: string | null }) => m.bodyHtml !== null);
    assert.equal(stored.length, 2);
    for (const m of stored) {
      assert.equal(
        m.bodyHtml,
        `<p>Hello <b>there</b></p><a target="_blank" rel="noopener noreferrer nofollow">x</a>`,
      );
    }
  });
});
