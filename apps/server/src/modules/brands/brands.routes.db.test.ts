import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";

describe("brands and users routes", () => {
  let t: TTestApp;
  let acme: TTenant;
  let other: TTenant;
  before(async () => {
    t = await createTestApp();
    acme = await seedTenant(t.services, "acme");
    other = await seedTenant(t.services, "globex");
  });
  after(() => t.close());

  test("an agent lists only the brands assigned to them; owners see all", async () => {
    const agentBrands = (await call(t.app, acme.agentToken, "GET", "/api/v1/brands")).json().items;
    assert.deepEqual(
      agentBrands.map((b: { id: string }) => b.id),
      [acme.brandA],
    );
    assert.equal((await call(t.app, acme.ownerToken, "GET", "/api/v1/brands")).json().items.length, 2);
  });

  test("another workspace's brand, or an unassigned brand, answers 404 and leaks nothing", async () => {
    for (const [token, id] of [
      [acme.ownerToken, other.brandA],
      [acme.agentToken, acme.brandB],
    ] as const) {
      const get = await call(t.app, token, "GET", `/api/v1/brands/${id}`);
      assert.equal(get.statusCode, 404);
      assert.equal(get.json().error.code, "brand_not_found");
      assert.ok(!get.body.includes(id));
      assert.equal(
        (await call(t.app, token, "PATCH", `/api/v1/brands/${id}`, { name: "Hijack" })).statusCode,
        404,
      );
    }
  });

  test("agents cannot create or change brands; admins can, and slugs are unique everywhere", async () => {
    assert.equal(
      (await call(t.app, acme.agentToken, "POST", "/api/v1/brands", { name: "X", slug: "agent-brand" }))
        .statusCode,
      403,
    );
    assert.equal(
      (await call(t.app, acme.agentToken, "PATCH", `/api/v1/brands/${acme.brandA}`, { name: "Renamed" }))
        .statusCode,
      403,
    );
    const created = await call(t.app, acme.ownerToken, "POST", "/api/v1/brands", {
      name: "Nordic Knits",
      slug: "nordic-knits",
      defaultLocale: "pl",
    });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(created.json().supportedLocales, ["pl"]);
    const clash = await call(t.app, other.ownerToken, "POST", "/api/v1/brands", {
      name: "Copy",
      slug: "nordic-knits",
    });
    assert.equal(clash.statusCode, 409);
    const badLocale = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/brands/${created.json().id}`, {
      supportedLocales: ["en"],
    });
    assert.equal(badLocale.statusCode, 409);
  });

  test("brand fields keep HTML verbatim as data", async () => {
    const name = `<img src=x onerror=alert(1)>'; DROP TABLE brands; --`;
    const res = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/brands/${acme.brandA}`, { name });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().name, name);
  });

  test("admins manage users and brand access; another workspace's user answers 404", async () => {
    const created = await call(t.app, acme.ownerToken, "POST", "/api/v1/users", {
      email: "New.Agent@Acme.test",
      name: "New Agent",
      role: "agent",
      brandIds: [acme.brandB],
      password: "long enough password",
    });
    assert.equal(created.statusCode, 201);
    assert.equal(created.json().email, "new.agent@acme.test");
    const id = created.json().id;
    const patched = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/users/${id}`, {
      brandIds: [acme.brandA, acme.brandB],
      role: "supervisor",
    });
    assert.deepEqual(new Set(patched.json().brandIds), new Set([acme.brandA, acme.brandB]));
    assert.equal(patched.json().role, "supervisor");
    assert.equal((await call(t.app, other.ownerToken, "GET", `/api/v1/users/${id}`)).statusCode, 404);
    assert.equal(
      (await call(t.app, other.ownerToken, "PATCH", `/api/v1/users/${id}`, { name: "x" })).statusCode,
      404,
    );
    const foreignBrand = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/users/${id}`, {
      brandIds: [other.brandA],
    });
    assert.equal(foreignBrand.statusCode, 404);
    assert.equal(
      (await call(t.app, acme.agentToken, "PATCH", `/api/v1/users/${id}`, { role: "admin" })).statusCode,
      403,
    );
    const dup = await call(t.app, other.ownerToken, "POST", "/api/v1/users", {
      email: "new.agent@acme.test",
      name: "Dup",
    });
    assert.equal(dup.statusCode, 409);
  });

  test("users change their own name, language and time zone, but not their role", async () => {
    const self = await call(t.app, acme.agentToken, "PATCH", `/api/v1/users/${acme.agent.userId}`, {
      locale: "fa",
      timeZone: "Asia/Tehran",
    });
    assert.equal(self.statusCode, 200);
    assert.equal(self.json().locale, "fa");
    assert.equal(
      (await call(t.app, acme.agentToken, "PATCH", `/api/v1/users/${acme.agent.userId}`, { role: "admin" }))
        .statusCode,
      403,
    );
    assert.equal(
      (
        await call(t.app, acme.agentToken, "PATCH", `/api/v1/users/${acme.agent.userId}`, {
          timeZone: "Mars/Base",
        })
      ).statusCode,
      400,
    );
  });

  test("groups hold users of the workspace only", async () => {
    const ok = await call(t.app, acme.ownerToken, "POST", "/api/v1/groups", {
      name: "Returns team",
      memberIds: [acme.agent.userId],
    });
    assert.equal(ok.statusCode, 201);
    assert.deepEqual(ok.json().memberIds, [acme.agent.userId]);
    const foreign = await call(t.app, acme.ownerToken, "POST", "/api/v1/groups", {
      name: "Spies",
      memberIds: [other.agent.userId],
    });
    assert.equal(foreign.statusCode, 404);
    const list = (await call(t.app, other.ownerToken, "GET", "/api/v1/groups")).json().items;
    assert.ok(!list.some((g: { name: string }) => g.name === "Returns team"));
  });

  test("admins rename a group and set its members; agents cannot; another workspace's group answers 404", async () => {
    const group = (
      await call(t.app, acme.ownerToken, "POST", "/api/v1/groups", { name: "Refunds", memberIds: [] })
    ).json();
    const url = `/api/v1/groups/${group.id}`;
    const patched = await call(t.app, acme.ownerToken, "PATCH", url, {
      name: "Refunds and returns",
      description: "Money back",
      memberIds: [acme.agent.userId, acme.lightAgent.userId, acme.agent.userId],
    });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().name, "Refunds and returns");
    assert.equal(patched.json().description, "Money back");
    assert.deepEqual(new Set(patched.json().memberIds), new Set([acme.agent.userId, acme.lightAgent.userId]));
    const agent = (await call(t.app, acme.ownerToken, "GET", `/api/v1/users/${acme.agent.userId}`)).json();
    assert.ok(agent.groupIds.includes(group.id), "the member's groups follow");
    const emptied = await call(t.app, acme.ownerToken, "PATCH", url, { memberIds: [] });
    assert.deepEqual(emptied.json().memberIds, []);
    assert.equal(emptied.json().name, "Refunds and returns", "fields left out stay");

    await call(t.app, acme.ownerToken, "POST", "/api/v1/groups", { name: "Shipping" });
    const clash = await call(t.app, acme.ownerToken, "PATCH", url, { name: "Shipping" });
    assert.equal(clash.statusCode, 409);
    assert.equal(clash.json().error.code, "group_name_taken");
    assert.equal((await call(t.app, acme.agentToken, "PATCH", url, { name: "Mine" })).statusCode, 403);
    const foreignMember = await call(t.app, acme.ownerToken, "PATCH", url, {
      memberIds: [other.agent.userId],
    });
    assert.equal(foreignMember.statusCode, 404);
    const foreign = await call(t.app, other.ownerToken, "PATCH", url, { name: "Hijack" });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, "group_not_found");
    const unknown = await call(t.app, acme.ownerToken, "PATCH", "/api/v1/groups/not-a-uuid", { name: "x" });
    assert.equal(unknown.statusCode, 400);
  });

  test("only an owner may change an owner", async () => {
    const admin = await t.services.users.createUser(acme.owner, {
      email: "second.admin@acme.test",
      name: "Second Admin",
      role: "admin",
      password: "long enough password",
      locale: "en",
      timeZone: "UTC",
      brandIds: [],
      groupIds: [],
    });
    const adminToken = (
      await t.services.auth.createToken({ ...acme.owner, userId: admin.id, role: "admin" }, "t")
    ).token;
    for (const patch of [{ active: false }, { brandIds: [] }, { role: "agent" }, { name: "Renamed" }]) {
      const res = await call(t.app, adminToken, "PATCH", `/api/v1/users/${acme.owner.userId}`, patch);
      assert.equal(res.statusCode, 403, JSON.stringify(patch));
    }
    const owner = await call(t.app, acme.ownerToken, "GET", `/api/v1/users/${acme.owner.userId}`);
    assert.equal(owner.json().active, true);
    const self = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/users/${acme.owner.userId}`, {
      locale: "ro",
    });
    assert.equal(self.statusCode, 200);
  });
});
