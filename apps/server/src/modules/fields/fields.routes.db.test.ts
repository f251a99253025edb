import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import { resolveCategoryId, validateCustomFields } from "./index.ts";

type TCategoryJson = { id: string; key: string; name: string; position: number; archived: boolean };

describe("categories and custom fields", () => {
  let t: TTestApp;
  let acme: TTenant;
  let other: TTenant;
  before(async () => {
    t = await createTestApp();
    acme = await seedTenant(t.services, "acme");
    other = await seedTenant(t.services, "globex");
  });
  after(() => t.close());

  const newTicket = (token: string, extra: Record<string, unknown> = {}) =>
    call(t.app, token, "POST", "/api/v1/tickets", {
      brandId: acme.brandA,
      subject: "Broken grinder",
      requester: { email: "grinder@shop.test" },
      message: { body: "It stopped working" },
      ...extra,
    });

  test("every workspace starts with the default categories; everyone reads them", async () => {
    const res = await call(t.app, acme.lightAgentToken, "GET", "/api/v1/categories");
    assert.equal(res.statusCode, 200);
    const keys = res.json().items.map((c: TCategoryJson) => c.key);
    assert.ok(keys.includes("order_status") && keys.includes("refund"));
  });

  test("admins create, rename, reorder and archive categories; others cannot", async () => {
    assert.equal(
      (
        await call(t.app, acme.agentToken, "POST", "/api/v1/categories", {
          key: "warranty",
          name: "Warranty",
        })
      ).statusCode,
      403,
    );
    const created = await call(t.app, acme.ownerToken, "POST", "/api/v1/categories", {
      key: "warranty",
      name: "Warranty",
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    const list = (await call(t.app, acme.agentToken, "GET", "/api/v1/categories")).json()
      .items as TCategoryJson[];
    assert.equal(list.at(-1)?.key, "warranty", "a new category goes to the end");
    const dup = await call(t.app, acme.ownerToken, "POST", "/api/v1/categories", {
      key: "warranty",
      name: "Again",
    });
    assert.equal(dup.statusCode, 409);
    // Keys are per workspace.
    const elsewhere = await call(t.app, other.ownerToken, "POST", "/api/v1/categories", {
      key: "warranty",
      name: "Warranty",
    });
    assert.equal(elsewhere.statusCode, 201);
    const renamed = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/categories/${id}`, {
      name: "Warranty claim",
      position: 0,
    });
    assert.equal(renamed.json().name, "Warranty claim");
    const first = (await call(t.app, acme.agentToken, "GET", "/api/v1/categories")).json().items[0];
    assert.ok(first.position === 0);
    assert.equal(
      (await call(t.app, acme.agentToken, "PATCH", `/api/v1/categories/${id}`, { name: "x" })).statusCode,
      403,
    );
    const badKey = await call(t.app, acme.ownerToken, "POST", "/api/v1/categories", {
      key: "Bad Key",
      name: "x",
    });
    assert.equal(badKey.statusCode, 400);
    assert.match(badKey.json().error.message, /key/);
    const keyChange = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/categories/${id}`, {
      key: "other",
    });
    assert.equal(keyChange.statusCode, 400);
    assert.match(keyChange.json().error.message, /key/);

    assert.equal((await newTicket(acme.agentToken, { category: "warranty" })).statusCode, 201);
    await call(t.app, acme.ownerToken, "PATCH", `/api/v1/categories/${id}`, { archived: true });
    const hidden = (await call(t.app, acme.agentToken, "GET", "/api/v1/categories")).json().items;
    assert.ok(!hidden.some((c: TCategoryJson) => c.key === "warranty"));
    const shown = (
      await call(t.app, acme.agentToken, "GET", "/api/v1/categories?includeArchived=true")
    ).json().items;
    assert.ok(shown.some((c: TCategoryJson) => c.key === "warranty" && c.archived));
    const archived = await newTicket(acme.agentToken, { category: "warranty" });
    assert.equal(archived.statusCode, 400);
    assert.equal(archived.json().error.code, "unknown_category");
  });

  test("another workspace's category or field answers 404", async () => {
    const theirs = (await call(t.app, other.ownerToken, "GET", "/api/v1/categories")).json().items[0];
    const res = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/categories/${theirs.id}`, {
      name: "Hijack",
    });
    assert.equal(res.statusCode, 404);
    const field = await call(t.app, other.ownerToken, "POST", "/api/v1/custom-fields", {
      key: "secret",
      label: "Secret",
      kind: "text",
    });
    const patch = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/custom-fields/${field.json().id}`, {
      label: "Hijack",
    });
    assert.equal(patch.statusCode, 404);
    const mine = (await call(t.app, acme.ownerToken, "GET", "/api/v1/custom-fields")).json().items;
    assert.ok(!mine.some((f: { key: string }) => f.key === "secret"));
    const used = await newTicket(acme.ownerToken, { customFields: { secret: "x" } });
    assert.equal(used.statusCode, 400);
    assert.equal(used.json().error.code, "unknown_custom_field");
  });

  test("custom fields of every kind are validated on tickets, naming the offending key", async () => {
    const make = (body: Record<string, unknown>) =>
      call(t.app, acme.ownerToken, "POST", "/api/v1/custom-fields", body);
    assert.equal((await make({ key: "order_total", label: "Order total", kind: "number" })).statusCode, 201);
    assert.equal((await make({ key: "gift", label: "Gift", kind: "checkbox" })).statusCode, 201);
    assert.equal((await make({ key: "purchased_on", label: "Purchased on", kind: "date" })).statusCode, 201);
    assert.equal((await make({ key: "serial", label: "Serial", kind: "text" })).statusCode, 201);
    const dropdown = await make({
      key: "carrier",
      label: "Carrier",
      kind: "dropdown",
      options: ["dhl", "ups"],
    });
    assert.equal(dropdown.statusCode, 201);
    const noOptions = await make({ key: "size", label: "Size", kind: "dropdown" });
    assert.equal(noOptions.statusCode, 400);
    assert.match(noOptions.json().error.message, /options/);
    assert.equal(
      (
        await call(t.app, acme.agentToken, "POST", "/api/v1/custom-fields", {
          key: "x",
          label: "X",
          kind: "text",
        })
      ).statusCode,
      403,
    );

    const ok = await newTicket(acme.agentToken, {
      customFields: {
        order_total: 49.9,
        gift: true,
        purchased_on: "2025-02-28",
        serial: "<b>SN-1</b>",
        carrier: "dhl",
      },
    });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(ok.json().ticket.customFields, {
      order_total: 49.9,
      gift: true,
      purchased_on: "2025-02-28",
      serial: "<b>SN-1</b>",
      carrier: "dhl",
    });
    for (const [values, key] of [
      [{ order_total: "49.9" }, "order_total"],
      [{ gift: "yes" }, "gift"],
      [{ purchased_on: "2025-02-30" }, "purchased_on"],
      [{ carrier: "fedex" }, "carrier"],
      [{ serial: 12 }, "serial"],
      [{ colour: "red" }, "colour"],
    ] as const) {
      const res = await newTicket(acme.agentToken, { customFields: values });
      assert.equal(res.statusCode, 400, JSON.stringify(values));
      assert.match(res.json().error.message, new RegExp(`customFields\\.${key}`));
    }

    // PATCH merges values; null removes one.
    const id = ok.json().ticket.id;
    const patched = await call(t.app, acme.agentToken, "PATCH", `/api/v1/tickets/${id}`, {
      customFields: { carrier: "ups", gift: null },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().ticket.customFields.carrier, "ups");
    assert.ok(!("gift" in patched.json().ticket.customFields));
    const badPatch = await call(t.app, acme.agentToken, "PATCH", `/api/v1/tickets/${id}`, {
      customFields: { carrier: "fedex" },
    });
    assert.equal(badPatch.statusCode, 400);

    // Options can change for dropdowns only; the kind stays.
    const carrierId = dropdown.json().id;
    const more = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/custom-fields/${carrierId}`, {
      options: ["dhl", "ups", "fedex"],
    });
    assert.deepEqual(more.json().options, ["dhl", "ups", "fedex"]);
    const serialId = (await call(t.app, acme.ownerToken, "GET", "/api/v1/custom-fields"))
      .json()
      .items.find((f: { key: string }) => f.key === "serial").id;
    const textOptions = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/custom-fields/${serialId}`, {
      options: ["a"],
    });
    assert.equal(textOptions.statusCode, 400);
  });

  test("required fields are enforced when staff create a ticket, not when the contact form does", async () => {
    const res = await call(t.app, other.ownerToken, "POST", "/api/v1/custom-fields", {
      key: "store",
      label: "Store",
      kind: "dropdown",
      options: ["online", "retail"],
      required: true,
    });
    assert.equal(res.statusCode, 201);
    const body = {
      brandId: other.brandA,
      subject: "Receipt",
      requester: { email: "r@shop.test" },
      message: { body: "Need a receipt" },
    };
    const missing = await call(t.app, other.ownerToken, "POST", "/api/v1/tickets", body);
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.code, "custom_field_required");
    assert.match(missing.json().error.message, /customFields\.store/);
    const given = await call(t.app, other.ownerToken, "POST", "/api/v1/tickets", {
      ...body,
      customFields: { store: "retail" },
    });
    assert.equal(given.statusCode, 201);
    const cleared = await call(
      t.app,
      other.ownerToken,
      "PATCH",
      `/api/v1/tickets/${given.json().ticket.id}`,
      {
        customFields: { store: null },
      },
    );
    assert.equal(cleared.statusCode, 400);
    const fromForm = await t.services.tickets.createTicketFromCustomer({
      workspaceId: other.owner.workspaceId,
      brandId: other.brandA,
      name: "Rita",
      email: "rita@shop.test",
      subject: "Receipt",
      body: "Need a receipt",
      channel: "web",
    });
    assert.equal(fromForm.ticket.status, "new");
    // Archived required fields are no longer required.
    await call(t.app, other.ownerToken, "PATCH", `/api/v1/custom-fields/${res.json().id}`, {
      archived: true,
    });
    assert.equal((await call(t.app, other.ownerToken, "POST", "/api/v1/tickets", body)).statusCode, 201);
  });

  test("resolveCategoryId and validateCustomFields stay inside the workspace", async () => {
    const db = t.database.db;
    const id = await resolveCategoryId(db, acme.owner.workspaceId, "refund");
    assert.notEqual(id, await resolveCategoryId(db, other.owner.workspaceId, "refund"));
    await assert.rejects(resolveCategoryId(db, acme.owner.workspaceId, "<b>x</b>"), (err: Error) => {
      assert.match(err.message, /<b>x<\/b>/);
      return (err as { code?: string }).code === "unknown_category";
    });
    assert.deepEqual(await validateCustomFields(db, acme.owner.workspaceId, { carrier: "ups" }), {
      carrier: "ups",
    });
    await assert.rejects(
      validateCustomFields(db, other.owner.workspaceId, { carrier: "ups" }),
      /customFields\.carrier/,
    );
  });
});
