import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bootstrap } from "../bootstrap.ts";
import { call, createTestApp, type TTestApp } from "../test/test-app.ts";

describe("first start", () => {
  let t: TTestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test("an empty database gets the demo workspace, and the printed login works", async () => {
    const message = await bootstrap(t.services, t.config);
    assert.match(message ?? "", /owner@demo\.switchboard\.local \/ switchboard-demo/);
    const login = await call(t.app, null, "POST", "/api/v1/auth/login", {
      email: "owner@demo.switchboard.local",
      password: "switchboard-demo",
    });
    assert.equal(login.statusCode, 200);
    const headers = { cookie: `sb_session=${login.cookies.find((c) => c.name === "sb_session")?.value}` };
    const brands = (await call(t.app, null, "GET", "/api/v1/brands", undefined, headers)).json().items;
    assert.equal(brands.length, 2);
    const tickets = (
      await call(
        t.app,
        null,
        "GET",
        "/api/v1/tickets?limit=100&status=new,open,pending,on_hold,solved,closed",
        undefined,
        headers,
      )
    ).json();
    assert.ok(tickets.items.length >= 45, `about 50 tickets, got ${tickets.items.length}`);
    const statuses = new Set(tickets.items.map((x: { status: string }) => x.status));
    for (const s of ["new", "open", "pending", "on_hold", "solved", "closed"])
      assert.ok(statuses.has(s), `a ${s} ticket`);
    const persian = (
      await call(t.app, null, "GET", `/api/v1/search?q=${encodeURIComponent("سفارش")}`, undefined, headers)
    ).json();
    assert.ok(persian.tickets.length > 0, "Persian tickets are searchable");
    const again = await bootstrap(t.services, t.config);
    assert.match(
      again ?? "",
      /^Demo login: owner@demo/,
      "a restart prints the demo login again and creates nothing",
    );
    const count = (await call(t.app, null, "GET", "/api/v1/brands", undefined, headers)).json().items.length;
    assert.equal(count, 2);
  });

  test("with SWITCHBOARD_ADMIN_* set, the first start creates that owner and no demo", async () => {
    const admin = await createTestApp({
      SWITCHBOARD_ADMIN_EMAIL: "Boss@Shop.test",
      SWITCHBOARD_ADMIN_PASSWORD: "a long admin password",
    });
    try {
      await bootstrap(admin.services, admin.config);
      const login = await call(admin.app, null, "POST", "/api/v1/auth/login", {
        email: "boss@shop.test",
        password: "a long admin password",
      });
      assert.equal(login.statusCode, 200);
      assert.equal(login.json().user.role, "owner");
      const headers = { cookie: `sb_session=${login.cookies.find((c) => c.name === "sb_session")?.value}` };
      assert.equal(
        (await call(admin.app, null, "GET", "/api/v1/brands", undefined, headers)).json().items.length,
        0,
      );
    } finally {
      await admin.close();
    }
  });
});
