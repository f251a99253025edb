import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";

describe("support addresses", () => {
  let t: TTestApp;
  let acme: TTenant;
  let other: TTenant;
  before(async () => {
    t = await createTestApp();
    acme = await seedTenant(t.services, "acme");
    other = await seedTenant(t.services, "globex");
  });
  after(() => t.close());

  const add = (token: string, brandId: string, body: unknown) =>
    call(t.app, token, "POST", `/api/v1/brands/${brandId}/addresses`, body);

  test("a brand's first address is its default; another can take over", async () => {
    const first = await add(acme.ownerToken, acme.brandA, {
      address: "Help@Acme-Shop.example",
      displayName: "Acme Help",
    });
    assert.equal(first.statusCode, 201);
    assert.equal(first.json().address, "help@acme-shop.example");
    assert.equal(first.json().isDefault, true);
    const second = await add(acme.ownerToken, acme.brandA, { address: "returns@acme-shop.example" });
    assert.equal(second.json().isDefault, false);
    const promoted = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/addresses/${second.json().id}`, {
      isDefault: true,
    });
    assert.equal(promoted.json().isDefault, true);
    const list = (await call(t.app, acme.agentToken, "GET", `/api/v1/brands/${acme.brandA}/addresses`)).json()
      .items;
    assert.deepEqual(
      list.map((a: { address: string; isDefault: boolean }) => [a.address, a.isDefault]),
      [
        ["returns@acme-shop.example", true],
        ["help@acme-shop.example", false],
      ],
    );
  });

  test("an address receives mail for one brand only, across all workspaces", async () => {
    await add(acme.ownerToken, acme.brandB, { address: "orders@unique.example" });
    const clash = await add(other.ownerToken, other.brandA, { address: "ORDERS@unique.example" });
    assert.equal(clash.statusCode, 409);
    assert.equal(clash.json().error.code, "address_taken");
    const routed = await t.services.supportAddresses.resolveRecipient(" Orders@Unique.example ");
    assert.deepEqual([routed?.workspaceId, routed?.brandId], [acme.owner.workspaceId, acme.brandB]);
    assert.equal(await t.services.supportAddresses.resolveRecipient("nobody@unique.example"), null);
  });

  test("removing an address frees it; agents may read but not change addresses", async () => {
    const created = await add(acme.ownerToken, acme.brandA, { address: "temp@acme-shop.example" });
    const id = created.json().id;
    assert.equal((await call(t.app, acme.agentToken, "DELETE", `/api/v1/addresses/${id}`)).statusCode, 403);
    assert.equal(
      (await add(acme.agentToken, acme.brandA, { address: "agent@acme-shop.example" })).statusCode,
      403,
    );
    assert.equal((await call(t.app, acme.ownerToken, "DELETE", `/api/v1/addresses/${id}`)).statusCode, 204);
    assert.equal(await t.services.supportAddresses.resolveRecipient("temp@acme-shop.example"), null);
    assert.equal(
      (await add(other.ownerToken, other.brandA, { address: "temp@acme-shop.example" })).statusCode,
      201,
    );
  });

  test("an invalid address names the field", async () => {
    const res = await add(acme.ownerToken, acme.brandA, { address: "not an address" });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details[0].field, "address");
  });
});
