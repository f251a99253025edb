import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import { findOrCreateCustomer, getCustomerSummary, listCustomerSummaries } from "./index.ts";

describe("customers find-or-create and summaries", () => {
  let t: TTestApp;
  let tenant: TTenant;
  before(async () => {
    t = await createTestApp();
    tenant = await seedTenant(t.services);
  });
  after(() => t.close());

  test("find-or-create matches emails case-insensitively and phones by digits", async () => {
    const ws = tenant.owner.workspaceId;
    const first = await t.services.customers.findOrCreate(ws, tenant.brandA, {
      identity: { kind: "email", value: "  Radu@Shop.test " },
      name: "Radu",
    });
    assert.equal(first.created, true);
    const again = await t.services.customers.findOrCreate(ws, tenant.brandA, {
      identity: { kind: "email", value: "radu@shop.TEST" },
    });
    assert.deepEqual(again, { id: first.id, created: false });
    const otherBrand = await t.services.customers.findOrCreate(ws, tenant.brandB, {
      identity: { kind: "email", value: "radu@shop.test" },
    });
    assert.notEqual(otherBrand.id, first.id);

    const phone = await t.services.customers.findOrCreate(ws, tenant.brandA, {
      identity: { kind: "phone", value: "+40 721 555 000" },
    });
    const phoneAgain = await t.services.customers.findOrCreate(ws, tenant.brandA, {
      identity: { kind: "phone", value: "+40-721-555-000" },
    });
    assert.equal(phoneAgain.id, phone.id);

    const summary = await getCustomerSummary(t.database.db, ws, first.id);
    assert.deepEqual(summary, {
      id: first.id,
      brandId: tenant.brandA,
      name: "Radu",
      email: "radu@shop.test",
      phone: null,
      locale: null,
      mergedIntoId: null,
    });
    const many = await listCustomerSummaries(t.database.db, ws, [first.id, phone.id, first.id]);
    assert.equal(many.length, 2);
    await assert.rejects(getCustomerSummary(t.database.db, ws, tenant.brandA), {
      code: "customer_not_found",
    });
  });

  test("concurrent find-or-create calls for one email return one customer", async () => {
    const ws = tenant.owner.workspaceId;
    const db = t.database.db;
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        db
          .transaction()
          .execute((trx) =>
            findOrCreateCustomer(
              trx,
              ws,
              tenant.brandA,
              { identity: { kind: "email", value: i % 2 ? "RACE@shop.test" : "race@shop.test" } },
              now,
            ),
          ),
      ),
    );
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
    const rows = await db
      .selectFrom("customer_identities")
      .select("customer_id")
      .where("workspace_id", "=", ws)
      .where("value", "=", "race@shop.test")
      .execute();
    assert.equal(rows.length, 1);
    const orphans = await db
      .selectFrom("customers")
      .select("id")
      .where("workspace_id", "=", ws)
      .where("search_text", "=", "race@shop.test race shop test")
      .execute();
    assert.equal(orphans.length, 1, "the losers remove their unused customer rows");
  });
});
