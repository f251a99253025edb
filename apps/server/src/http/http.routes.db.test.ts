import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../test/test-app.ts";

describe("HTTP edge", () => {
  let t: TTestApp;
  let tenant: TTenant;
  before(async () => {
    t = await createTestApp();
    tenant = await seedTenant(t.services);
  });
  after(() => t.close());

  test("malformed JSON answers 400 invalid_json", async () => {
    const res = await call(t.app, tenant.ownerToken, "POST", "/api/v1/brands", '{"name": "x",', {
      "content-type": "application/json",
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "invalid_json");
  });

  test("a 10 MB JSON body answers 413 without being parsed", async () => {
    const big = JSON.stringify({ name: "x".repeat(10 * 1024 * 1024) });
    const res = await call(t.app, tenant.ownerToken, "POST", "/api/v1/brands", big, {
      "content-type": "application/json",
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, "payload_too_large");
  });

  test("unknown fields are refused and the error names them", async () => {
    const res = await call(t.app, tenant.ownerToken, "POST", "/api/v1/brands", {
      name: "Shop",
      slug: "shop-x",
      isAdmin: true,
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "validation_failed");
    assert.match(JSON.stringify(res.json().error), /isAdmin/);
  });

  test("an invalid email names the field", async () => {
    const res = await call(t.app, tenant.ownerToken, "POST", "/api/v1/users", {
      email: "not-an-email",
      name: "X",
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details[0].field, "email");
  });

  test("unknown routes answer a JSON 404", async () => {
    const res = await call(t.app, tenant.ownerToken, "GET", "/api/v1/nothing-here");
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, "route_not_found");
  });

  test("health, readiness, metrics and the OpenAPI document", async () => {
    assert.equal((await call(t.app, null, "GET", "/healthz")).json().status, "ok");
    assert.equal((await call(t.app, null, "GET", "/readyz")).json().status, "ready");
    const metrics = await call(t.app, null, "GET", "/metrics");
    assert.match(metrics.body, /switchboard_http_request_duration_seconds_bucket/);
    assert.match(metrics.body, /switchboard_db_query_duration_seconds/);
    const doc = (await call(t.app, null, "GET", "/api/v1/openapi.json")).json();
    assert.equal(doc.openapi, "3.1.0");
    assert.ok(doc.paths["/api/v1/brands/{id}"]?.patch, "routes are documented");
    assert.equal((await call(t.app, null, "GET", "/api/docs/")).statusCode, 200);
  });

  test("every answer carries a request id, and a given one is echoed", async () => {
    const res = await call(t.app, null, "GET", "/healthz", undefined, { "x-request-id": "abc-123" });
    assert.equal(res.headers["x-request-id"], "abc-123");
  });

  test("Idempotency-Key: a retried create returns the first answer and creates nothing new", async () => {
    const body = { name: "Retry shop", slug: "retry-shop" };
    const key = { "idempotency-key": "create-retry-shop" };
    const first = await call(t.app, tenant.ownerToken, "POST", "/api/v1/brands", body, key);
    const second = await call(t.app, tenant.ownerToken, "POST", "/api/v1/brands", body, key);
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.equal(second.json().id, first.json().id);
    assert.equal(second.headers["idempotent-replayed"], "true");
    const reused = await call(
      t.app,
      tenant.ownerToken,
      "POST",
      "/api/v1/brands",
      { ...body, name: "Other" },
      key,
    );
    assert.equal(reused.statusCode, 422);
  });

  test("one Idempotency-Key on two different tickets is two requests, not a replay", async () => {
    const create = (subject: string) =>
      call(t.app, tenant.ownerToken, "POST", "/api/v1/tickets", {
        brandId: tenant.brandA,
        subject,
        requester: { email: "idem@example.com" },
        message: { body: "x" },
      });
    const a = (await create("first")).json().ticket.id;
    const b = (await create("second")).json().ticket.id;
    const key = { "idempotency-key": "note-1" };
    const onA = await call(
      t.app,
      tenant.ownerToken,
      "POST",
      `/api/v1/tickets/${a}/messages`,
      { kind: "note", body: "same" },
      key,
    );
    const onB = await call(
      t.app,
      tenant.ownerToken,
      "POST",
      `/api/v1/tickets/${b}/messages`,
      { kind: "note", body: "same" },
      key,
    );
    assert.equal(onB.statusCode, 201);
    assert.equal(onB.headers["idempotent-replayed"], undefined);
    assert.notEqual(onB.json().message.id, onA.json().message.id);
    assert.equal(onB.json().message.ticketId, b);
  });
});
