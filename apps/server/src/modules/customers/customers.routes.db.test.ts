import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import { insertTestTicket } from "./test-tickets.ts";

describe("customers routes", () => {
  let t: TTestApp;
  let tenant: TTenant;
  let other: TTenant;
  before(async () => {
    t = await createTestApp();
    tenant = await seedTenant(t.services);
    other = await seedTenant(t.services, "globex");
  });
  after(() => t.close());

  const create = (body: Record<string, unknown>, token = tenant.ownerToken) =>
    call(t.app, token, "POST", "/api/v1/customers", body);

  test("creates a customer with folded, normalized identities and keeps HTML in the name as data", async () => {
    const res = await create({
      brandId: tenant.brandA,
      name: "<b>Ștefan</b> Popescu",
      emails: ["Stefan.Popescu@Example.RO", "stefan.popescu@example.ro"],
      phones: ["+40 (721) 123-456"],
      notes: "VIP; prefers email",
      locale: "ro",
    });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.equal(body.name, "<b>Ștefan</b> Popescu");
    assert.deepEqual(body.emails, ["stefan.popescu@example.ro"]);
    assert.deepEqual(body.phones, ["+40721123456"]);
    assert.equal(body.locale, "ro");
    assert.equal(body.tickets.total, 0);
    assert.equal(body.mergedIntoId, null);

    const found = await call(
      t.app,
      tenant.ownerToken,
      "GET",
      `/api/v1/customers?q=stefan&brandId=${tenant.brandA}`,
    );
    assert.deepEqual(
      found.json().items.map((c: { id: string }) => c.id),
      [body.id],
    );
  });

  test("refuses bad input with 400 naming the field", async () => {
    const badEmail = await create({ brandId: tenant.brandA, name: "Ana", emails: ["ana@"] });
    assert.equal(badEmail.statusCode, 400);
    assert.equal(badEmail.json().error.code, "validation_failed");
    assert.match(badEmail.json().error.message, /^emails\.0:/);

    const badPhone = await create({ brandId: tenant.brandA, name: "Ana", phones: ["call me"] });
    assert.equal(badPhone.statusCode, 400);
    assert.match(badPhone.json().error.message, /^phones\.0:/);

    const unknown = await create({ brandId: tenant.brandA, name: "Ana", vip: true });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().error.message, /vip/);

    const noName = await create({ brandId: tenant.brandA, name: "   " });
    assert.equal(noName.statusCode, 400);
    assert.match(noName.json().error.message, /^name:/);

    const { id } = (await create({ brandId: tenant.brandA, name: "Bogdan" })).json();
    const badPatch = await call(t.app, tenant.ownerToken, "PATCH", `/api/v1/customers/${id}`, {
      addEmails: ["not-an-email"],
    });
    assert.equal(badPatch.statusCode, 400);
    assert.match(badPatch.json().error.message, /^addEmails\.0:/);
  });

  test("an email or phone of another customer of the brand answers 409 identity_taken, case-insensitively", async () => {
    await create({
      brandId: tenant.brandA,
      name: "First",
      emails: ["dup@shop.test"],
      phones: ["0721 000 111"],
    });
    const again = await create({ brandId: tenant.brandA, name: "Second", emails: ["DUP@Shop.Test"] });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, "identity_taken");
    const phone = await create({ brandId: tenant.brandA, name: "Second", phones: ["0721-000-111"] });
    assert.equal(phone.statusCode, 409);

    const otherBrand = await create({
      brandId: tenant.brandB,
      name: "Same person, other shop",
      emails: ["dup@shop.test"],
    });
    assert.equal(otherBrand.statusCode, 201, "identities are unique per brand");

    const second = (await create({ brandId: tenant.brandA, name: "Second" })).json();
    const patch = await call(t.app, tenant.ownerToken, "PATCH", `/api/v1/customers/${second.id}`, {
      addEmails: ["Dup@shop.test"],
    });
    assert.equal(patch.statusCode, 409);
    assert.equal(patch.json().error.code, "identity_taken");
    const unchanged = await call(t.app, tenant.ownerToken, "GET", `/api/v1/customers/${second.id}`);
    assert.deepEqual(unchanged.json().emails, []);
  });

  test("updates fields and identities and keeps search in step", async () => {
    const c = (
      await create({
        brandId: tenant.brandA,
        name: "Zofia Kowalska",
        emails: ["zofia@old.test"],
        phones: ["+48 600 100 200"],
      })
    ).json();
    const oldEmail = c.identities.find((i: { kind: string }) => i.kind === "email").id;
    const res = await call(t.app, tenant.agentToken, "PATCH", `/api/v1/customers/${c.id}`, {
      name: "Zofia Nowak",
      notes: "Moved to Łódź",
      locale: "pl",
      removeIdentityIds: [oldEmail],
      addEmails: ["Zofia@New.test"],
      addPhones: ["+48 600 100 300"],
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.name, "Zofia Nowak");
    assert.equal(body.notes, "Moved to Łódź");
    assert.equal(body.locale, "pl");
    assert.deepEqual(body.emails, ["zofia@new.test"]);
    assert.deepEqual(body.phones, ["+48600100200", "+48600100300"]);

    const search = async (q: string) =>
      (
        await call(
          t.app,
          tenant.ownerToken,
          "GET",
          `/api/v1/search?type=customers&q=${encodeURIComponent(q)}`,
        )
      )
        .json()
        .customers.map((x: { id: string }) => x.id);
    assert.deepEqual(await search("nowak"), [c.id]);
    assert.deepEqual(await search("zofia@new.test"), [c.id]);
    assert.deepEqual(await search("kowalska"), []);
    assert.deepEqual(await search("old.test"), []);

    const foreignIdentity = await call(t.app, tenant.ownerToken, "PATCH", `/api/v1/customers/${c.id}`, {
      removeIdentityIds: [oldEmail],
    });
    assert.equal(foreignIdentity.statusCode, 404);

    const light = await call(t.app, tenant.lightAgentToken, "PATCH", `/api/v1/customers/${c.id}`, {
      name: "x",
    });
    assert.equal(light.statusCode, 403, "light agents may read customers but not change them");
  });

  test("lists customers newest first with brand filter, prefix search and cursor pages", async () => {
    const ids: string[] = [];
    for (const n of ["Paged One", "Paged Two", "Paged Three"]) {
      ids.push(
        (
          await create({ brandId: tenant.brandB, name: n, emails: [`${n.replace(" ", ".")}@paged.test`] })
        ).json().id,
      );
    }
    const first = await call(
      t.app,
      tenant.ownerToken,
      "GET",
      `/api/v1/customers?brandId=${tenant.brandB}&q=paged&limit=2`,
    );
    assert.equal(first.statusCode, 200);
    assert.deepEqual(
      first.json().items.map((c: { id: string }) => c.id),
      [ids[2], ids[1]],
    );
    const second = await call(
      t.app,
      tenant.ownerToken,
      "GET",
      `/api/v1/customers?brandId=${tenant.brandB}&q=paged&limit=2&cursor=${first.json().nextCursor}`,
    );
    assert.deepEqual(
      second.json().items.map((c: { id: string }) => c.id),
      [ids[0]],
    );
    assert.equal(second.json().nextCursor, null);

    const byEmail = await call(
      t.app,
      tenant.ownerToken,
      "GET",
      `/api/v1/customers?q=${encodeURIComponent("paged.two@")}`,
    );
    assert.deepEqual(
      byEmail.json().items.map((c: { id: string }) => c.id),
      [ids[1]],
    );
    const wildcard = await call(
      t.app,
      tenant.ownerToken,
      "GET",
      `/api/v1/customers?q=${encodeURIComponent("%")}`,
    );
    assert.deepEqual(wildcard.json().items, [], "LIKE wildcards in q are matched literally");

    const agentList = await call(t.app, tenant.agentToken, "GET", "/api/v1/customers?limit=100");
    assert.ok(agentList.json().items.every((c: { brandId: string }) => c.brandId === tenant.brandA));
    assert.ok(agentList.json().items.length > 0);
    const badCursor = await call(t.app, tenant.ownerToken, "GET", "/api/v1/customers?cursor=nope");
    assert.equal(badCursor.statusCode, 400);
  });

  test("shows identities, notes and a summary of the customer's tickets", async () => {
    const c = (
      await create({ brandId: tenant.brandA, name: "Ticket Person", emails: ["tp@shop.test"] })
    ).json();
    const ws = tenant.owner.workspaceId;
    const db = t.database.db;
    const base = Date.now() - 100_000;
    const created = [];
    for (let i = 0; i < 12; i++) {
      created.push(
        await insertTestTicket(db, ws, {
          brandId: tenant.brandA,
          requesterId: c.id,
          subject: `Order question ${i}`,
          status: i < 3 ? "solved" : "open",
          updatedAt: new Date(base + i * 1000),
        }),
      );
    }
    await insertTestTicket(db, ws, {
      brandId: tenant.brandA,
      requesterId: c.id,
      subject: "gone",
      deleted: true,
    });
    await insertTestTicket(db, ws, {
      brandId: tenant.brandA,
      requesterId: c.id,
      subject: "junk",
      isSpam: true,
    });

    const res = await call(t.app, tenant.agentToken, "GET", `/api/v1/customers/${c.id}`);
    assert.equal(res.statusCode, 200);
    const { tickets } = res.json();
    assert.equal(tickets.total, 12);
    assert.equal(tickets.byStatus.open, 9);
    assert.equal(tickets.byStatus.solved, 3);
    assert.equal(tickets.byStatus.closed, 0);
    assert.equal(tickets.latest.length, 10);
    assert.equal(tickets.latest[0].id, created[11]?.id);
    assert.equal(tickets.latest[0].number, created[11]?.number);
    assert.equal(tickets.latest[0].subject, "Order question 11");
    assert.equal(res.json().identities[0].value, "tp@shop.test");
  });

  test("merge moves identities, tickets and CCs into the target and records it", async () => {
    const ws = tenant.owner.workspaceId;
    const db = t.database.db;
    const target = (
      await create({
        brandId: tenant.brandA,
        name: "Maria",
        emails: ["maria@home.test"],
        notes: "target note",
      })
    ).json();
    const source = (
      await create({
        brandId: tenant.brandA,
        name: "Maria (work)",
        emails: ["maria@work.test"],
        phones: ["0722 333 444"],
        notes: "source note",
      })
    ).json();
    const bystander = (await create({ brandId: tenant.brandA, name: "Bystander" })).json();
    const own = await insertTestTicket(db, ws, {
      brandId: tenant.brandA,
      requesterId: source.id,
      subject: "From work",
    });
    const ccd = await insertTestTicket(db, ws, {
      brandId: tenant.brandA,
      requesterId: bystander.id,
      subject: "CC'd",
    });
    await db
      .insertInto("ticket_ccs")
      .values({ workspace_id: ws, ticket_id: ccd.id, customer_id: source.id })
      .execute();

    const res = await call(t.app, tenant.agentToken, "POST", `/api/v1/customers/${target.id}/merge`, {
      sourceCustomerId: source.id,
    });
    assert.equal(res.statusCode, 200);
    const merged = res.json();
    assert.deepEqual(merged.emails.sort(), ["maria@home.test", "maria@work.test"]);
    assert.deepEqual(merged.phones, ["0722333444"]);
    assert.equal(merged.notes, "target note\n\nsource note");
    assert.equal(merged.tickets.total, 1);
    assert.equal(merged.tickets.latest[0].id, own.id);

    const ticket = await db
      .selectFrom("tickets")
      .select("requester_id")
      .where("id", "=", own.id)
      .executeTakeFirstOrThrow();
    assert.equal(ticket.requester_id, target.id);
    const ccs = await db
      .selectFrom("ticket_ccs")
      .select("customer_id")
      .where("ticket_id", "=", ccd.id)
      .execute();
    assert.deepEqual(
      ccs.map((x) => x.customer_id),
      [target.id],
    );

    const gone = await call(t.app, tenant.ownerToken, "GET", `/api/v1/customers/${source.id}`);
    assert.equal(gone.json().mergedIntoId, target.id);
    assert.deepEqual(gone.json().identities, []);
    const list = await call(t.app, tenant.ownerToken, "GET", "/api/v1/customers?q=maria");
    assert.deepEqual(
      list.json().items.map((c: { id: string }) => c.id),
      [target.id],
    );
    const search = await call(t.app, tenant.ownerToken, "GET", "/api/v1/search?type=customers&q=maria");
    assert.deepEqual(
      search.json().customers.map((c: { id: string }) => c.id),
      [target.id],
    );

    const audit = await db
      .selectFrom("audit_events")
      .select(["entity_id", "action", "actor_id"])
      .where("workspace_id", "=", ws)
      .where("action", "in", ["merged", "merged_into"])
      .orderBy("action")
      .execute();
    assert.deepEqual(audit, [
      { entity_id: target.id, action: "merged", actor_id: tenant.agent.userId },
      { entity_id: source.id, action: "merged_into", actor_id: tenant.agent.userId },
    ]);

    // The identity now belongs to the target, so find-or-create lands there too.
    const found = await t.services.customers.findOrCreate(ws, tenant.brandA, {
      identity: { kind: "email", value: "MARIA@work.test" },
    });
    assert.deepEqual(found, { id: target.id, created: false });

    const twice = await call(t.app, tenant.ownerToken, "POST", `/api/v1/customers/${target.id}/merge`, {
      sourceCustomerId: source.id,
    });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error.code, "customer_merged");
  });

  test("merge refuses itself (400) and customers of another brand (400)", async () => {
    const a = (await create({ brandId: tenant.brandA, name: "Self" })).json();
    const b = (await create({ brandId: tenant.brandB, name: "Elsewhere" })).json();
    const self = await call(t.app, tenant.ownerToken, "POST", `/api/v1/customers/${a.id}/merge`, {
      sourceCustomerId: a.id,
    });
    assert.equal(self.statusCode, 400);
    assert.equal(self.json().error.code, "cannot_merge_into_self");
    const brands = await call(t.app, tenant.ownerToken, "POST", `/api/v1/customers/${a.id}/merge`, {
      sourceCustomerId: b.id,
    });
    assert.equal(brands.statusCode, 400);
    assert.equal(brands.json().error.code, "brand_mismatch");
    const extra = await call(t.app, tenant.ownerToken, "POST", `/api/v1/customers/${a.id}/merge`, {
      sourceCustomerId: b.id,
      force: true,
    });
    assert.equal(extra.statusCode, 400);
  });

  test("another workspace's customer and an unassigned brand's customer answer 404", async () => {
    const foreign = (await create({ brandId: other.brandA, name: "Foreign" }, other.ownerToken)).json();
    const brandB = (await create({ brandId: tenant.brandB, name: "Brand B person" })).json();
    const mine = (await create({ brandId: tenant.brandA, name: "Mine" })).json();

    for (const [token, id] of [
      [tenant.ownerToken, foreign.id],
      [tenant.agentToken, brandB.id],
    ] as const) {
      const get = await call(t.app, token, "GET", `/api/v1/customers/${id}`);
      assert.equal(get.statusCode, 404);
      assert.equal(get.json().error.code, "customer_not_found");
      assert.ok(!get.body.includes(id));
      assert.equal(
        (await call(t.app, token, "PATCH", `/api/v1/customers/${id}`, { name: "x" })).statusCode,
        404,
      );
      const mergeInto = await call(t.app, token, "POST", `/api/v1/customers/${id}/merge`, {
        sourceCustomerId: mine.id,
      });
      assert.equal(mergeInto.statusCode, 404);
      const mergeFrom = await call(t.app, token, "POST", `/api/v1/customers/${mine.id}/merge`, {
        sourceCustomerId: id,
      });
      assert.equal(mergeFrom.statusCode, 404);
    }
    const still = await call(t.app, other.ownerToken, "GET", `/api/v1/customers/${foreign.id}`);
    assert.equal(still.json().name, "Foreign");
    assert.equal(still.json().mergedIntoId, null);

    assert.equal((await create({ brandId: tenant.brandB, name: "x" }, tenant.agentToken)).statusCode, 404);
    assert.equal((await create({ brandId: other.brandA, name: "x" })).statusCode, 404);
    assert.equal(
      (await call(t.app, tenant.agentToken, "GET", `/api/v1/customers?brandId=${tenant.brandB}`)).statusCode,
      404,
    );
    assert.equal(
      (await call(t.app, tenant.ownerToken, "GET", `/api/v1/customers?brandId=${other.brandA}`)).statusCode,
      404,
    );
  });
});
