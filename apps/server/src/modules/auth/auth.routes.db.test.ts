import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";

describe("auth routes", () => {
  let t: TTestApp;
  let tenant: TTenant;
  before(async () => {
    t = await createTestApp();
    tenant = await seedTenant(t.services);
  });
  after(() => t.close());

  const ownerEmail = async () => (await t.services.users.getUser(tenant.owner, tenant.owner.userId)).email;

  test("login sets an httpOnly SameSite cookie; cookie writes need the CSRF token", async () => {
    const login = await call(t.app, null, "POST", "/api/v1/auth/login", {
      email: (await ownerEmail()).toUpperCase(),
      password: "correct horse battery",
    });
    assert.equal(login.statusCode, 200);
    const cookie = login.cookies.find((c) => c.name === "sb_session");
    assert.ok(cookie?.httpOnly);
    assert.equal(cookie?.sameSite, "Lax");
    const csrf = login.json().csrfToken as string;
    const headers = { cookie: `sb_session=${cookie?.value}` };

    const me = await call(t.app, null, "GET", "/api/v1/auth/session", undefined, headers);
    assert.equal(me.json().user.role, "owner");

    const noCsrf = await call(t.app, null, "POST", "/api/v1/tokens", { name: "ci" }, headers);
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().error.code, "csrf_failed");

    const withCsrf = await call(
      t.app,
      null,
      "POST",
      "/api/v1/tokens",
      { name: "ci" },
      { ...headers, "x-csrf-token": csrf },
    );
    assert.equal(withCsrf.statusCode, 201);

    const logout = await call(t.app, null, "POST", "/api/v1/auth/logout", undefined, {
      ...headers,
      "x-csrf-token": csrf,
    });
    assert.equal(logout.statusCode, 204);
    const afterLogout = await call(t.app, null, "GET", "/api/v1/auth/session", undefined, headers);
    assert.equal(afterLogout.statusCode, 401);
  });

  test("a wrong password is refused, and an account is throttled after repeated failures", async () => {
    const email = (await t.services.users.getUser(tenant.owner, tenant.agent.userId)).email;
    for (let i = 0; i < 10; i++) {
      const res = await call(
        t.app,
        null,
        "POST",
        "/api/v1/auth/login",
        { email, password: `wrong-${i}` },
        { "x-forwarded-for": `10.0.0.${i}` },
      );
      assert.equal(res.statusCode, 401);
    }
    const blocked = await call(t.app, null, "POST", "/api/v1/auth/login", {
      email,
      password: "correct horse battery",
    });
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.json().error.code, "too_many_attempts");
  });

  test("an API token carries the user's rights and stops working once revoked", async () => {
    const created = await call(t.app, tenant.ownerToken, "POST", "/api/v1/tokens", { name: "shop backend" });
    assert.equal(created.statusCode, 201);
    const { token, id } = created.json();
    assert.equal((await call(t.app, token, "GET", "/api/v1/brands")).json().items.length, 2);
    const listed = await call(t.app, tenant.ownerToken, "GET", "/api/v1/tokens");
    assert.ok(!JSON.stringify(listed.json()).includes(token), "a token is shown only once");
    assert.equal((await call(t.app, tenant.ownerToken, "DELETE", `/api/v1/tokens/${id}`)).statusCode, 204);
    const revoked = await call(t.app, token, "GET", "/api/v1/brands");
    assert.equal(revoked.statusCode, 401);
  });

  test("changing the password ends other sessions and the old password stops working", async () => {
    const email = (await t.services.users.getUser(tenant.owner, tenant.lightAgent.userId)).email;
    const first = await call(t.app, null, "POST", "/api/v1/auth/login", {
      email,
      password: "correct horse battery",
    });
    const second = await call(t.app, null, "POST", "/api/v1/auth/login", {
      email,
      password: "correct horse battery",
    });
    const cookieOf = (r: typeof first) => ({
      cookie: `sb_session=${r.cookies.find((c) => c.name === "sb_session")?.value}`,
    });
    const changed = await call(
      t.app,
      null,
      "POST",
      "/api/v1/auth/password",
      { currentPassword: "correct horse battery", newPassword: "a much better passphrase" },
      { ...cookieOf(first), "x-csrf-token": first.json().csrfToken },
    );
    assert.equal(changed.statusCode, 204);
    assert.equal(
      (await call(t.app, null, "GET", "/api/v1/auth/session", undefined, cookieOf(first))).statusCode,
      200,
    );
    assert.equal(
      (await call(t.app, null, "GET", "/api/v1/auth/session", undefined, cookieOf(second))).statusCode,
      401,
    );
    const old = await call(t.app, null, "POST", "/api/v1/auth/login", {
      email,
      password: "correct horse battery",
    });
    assert.equal(old.statusCode, 401);
  });

  test("requests without credentials get 401 with a JSON error", async () => {
    const res = await call(t.app, null, "GET", "/api/v1/users");
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, "unauthenticated");
  });

  test("an expired session answers 401, and housekeeping removes it with old failed logins", async () => {
    const email = await ownerEmail();
    const login = await call(t.app, null, "POST", "/api/v1/auth/login", {
      email,
      password: "correct horse battery",
    });
    const headers = { cookie: `sb_session=${login.cookies.find((c) => c.name === "sb_session")?.value}` };
    const db = t.database.db;
    await db
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("user_id", "=", tenant.owner.userId)
      .execute();
    await db
      .insertInto("login_failures")
      .values({ email: "old@example.com", ip: "192.0.2.1", created_at: new Date(Date.now() - 86_400_000) })
      .execute();
    assert.equal(
      (await call(t.app, null, "GET", "/api/v1/auth/session", undefined, headers)).statusCode,
      401,
    );
    await t.services.auth.purgeExpired();
    const left = await db
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", tenant.owner.userId)
      .execute();
    assert.equal(left.length, 0);
    const failures = await db
      .selectFrom("login_failures")
      .select("id")
      .where("email", "=", "old@example.com")
      .execute();
    assert.equal(failures.length, 0);
  });

  test("sign-in accepts JSON only, so a cross-site form cannot sign anyone in", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: `email=${encodeURIComponent(await ownerEmail())}&password=correct+horse+battery`,
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.cookies.length, 0);
  });

  test("percent-encoded paths still go through authentication", async () => {
    for (const url of ["/%61pi/v1/tokens", "/api/%761/auth/logout", "/api/v1/%74okens"]) {
      const res = await call(t.app, null, url.endsWith("logout") ? "POST" : "GET", url);
      assert.equal(res.statusCode, 401, url);
    }
  });
});
