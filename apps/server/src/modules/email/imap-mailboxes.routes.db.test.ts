import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import cookie from "@fastify/cookie";
import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { startDovecot, type TDovecot } from "../../../../../tools/dovecot.ts";
import { registerAuthHook } from "../../http/auth-hook.ts";
import { registerErrorHandler } from "../../http/error-handler.ts";
import { systemClock } from "../../lib/clock.ts";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import { imapMailboxesRoutes } from "./imap-mailboxes.routes.ts";
import { createImapMailboxesService } from "./imap-mailboxes.service.ts";

/** The mailbox routes on their own Fastify instance, over the test app's services and database. */
async function mountMailboxes(t: TTestApp): Promise<FastifyInstance> {
  const mailboxes = createImapMailboxesService({
    db: t.database.db,
    clock: systemClock,
    brands: t.services.brands,
  });
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(cookie);
  registerAuthHook(app, t.services.auth);
  await app.register(imapMailboxesRoutes(mailboxes, t.services.idempotency), { prefix: "/api/v1" });
  await app.ready();
  return app;
}

const SECRET = "s3cret-password-never-shown";

describe("IMAP mailbox admin API", () => {
  let t: TTestApp;
  let api: FastifyInstance;
  let dovecot: TDovecot;
  let acme: TTenant;
  let other: TTenant;
  let otherMailbox: string;

  const body = (more: Record<string, unknown> = {}) => ({
    address: "help@acme-imap.example",
    host: "imap.acme-imap.example",
    port: 993,
    username: "help@acme-imap.example",
    secret: SECRET,
    ...more,
  });
  const create = (token: string, brandId: string, b: unknown) =>
    call(api, token, "POST", `/api/v1/brands/${brandId}/mailboxes`, b);

  before(async () => {
    [t, dovecot] = await Promise.all([createTestApp(), startDovecot()]);
    api = await mountMailboxes(t);
    acme = await seedTenant(t.services, "acme");
    other = await seedTenant(t.services, "globex");
    for (const [tenant, brand, address] of [
      [acme, acme.brandA, "help@acme-imap.example"],
      [acme, acme.brandA, "dovecot@acme-imap.example"],
      [acme, acme.brandB, "b@acme-imap.example"],
      [other, other.brandA, "help@globex-imap.example"],
    ] as const) {
      const res = await call(t.app, tenant.ownerToken, "POST", `/api/v1/brands/${brand}/addresses`, {
        address,
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const created = await create(
      other.ownerToken,
      other.brandA,
      body({ address: "help@globex-imap.example" }),
    );
    assert.equal(created.statusCode, 201, created.body);
    otherMailbox = created.json().id;
  });
  after(async () => {
    await api?.close();
    await t?.close();
    await dovecot?.stop();
  });

  test("create, list, read, change and delete; the secret never comes back", async () => {
    const created = await create(acme.ownerToken, acme.brandA, body({ address: "HELP@acme-imap.example" }));
    assert.equal(created.statusCode, 201, created.body);
    const mailbox = created.json();
    assert.deepEqual(
      {
        address: mailbox.address,
        secure: mailbox.secure,
        authKind: mailbox.authKind,
        hasSecret: mailbox.hasSecret,
        folder: mailbox.folder,
        afterImport: mailbox.afterImport,
        moveTo: mailbox.moveTo,
        enabled: mailbox.enabled,
        watched: mailbox.watched,
        lastError: mailbox.lastError,
      },
      {
        address: "help@acme-imap.example",
        secure: true,
        authKind: "password",
        hasSecret: true,
        folder: "INBOX",
        afterImport: "seen",
        moveTo: null,
        enabled: true,
        watched: false,
        lastError: null,
      },
    );
    assert.ok(!created.body.includes(SECRET));
    assert.ok(!("secret" in mailbox));

    const list = await call(api, acme.ownerToken, "GET", `/api/v1/brands/${acme.brandA}/mailboxes`);
    assert.deepEqual(
      list.json().items.map((m: { id: string }) => m.id),
      [mailbox.id],
    );
    assert.ok(!list.body.includes(SECRET));
    const emptyB = await call(api, acme.ownerToken, "GET", `/api/v1/brands/${acme.brandB}/mailboxes`);
    assert.deepEqual(emptyB.json().items, []);

    const patched = await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${mailbox.id}`, {
      afterImport: "move",
      moveTo: "Imported",
      authKind: "oauth2",
      secret: "new-token",
      enabled: false,
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(
      [patched.json().afterImport, patched.json().moveTo, patched.json().authKind, patched.json().enabled],
      ["move", "Imported", "oauth2", false],
    );
    assert.ok(!patched.body.includes("new-token"));
    const row = await t.database.db
      .selectFrom("imap_mailboxes")
      .select(["secret", "auth_kind"])
      .where("id", "=", mailbox.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { secret: "new-token", auth_kind: "oauth2" });
    // Without a secret in the patch, the stored one stays.
    await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${mailbox.id}`, { port: 1993 });
    const kept = await t.database.db
      .selectFrom("imap_mailboxes")
      .select(["secret", "port"])
      .where("id", "=", mailbox.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(kept, { secret: "new-token", port: 1993 });

    const read = await call(api, acme.ownerToken, "GET", `/api/v1/mailboxes/${mailbox.id}`);
    assert.equal(read.json().port, 1993);
    assert.equal(
      (await call(api, acme.ownerToken, "DELETE", `/api/v1/mailboxes/${mailbox.id}`)).statusCode,
      204,
    );
    assert.equal(
      (await call(api, acme.ownerToken, "GET", `/api/v1/mailboxes/${mailbox.id}`)).statusCode,
      404,
    );
  });

  test("another workspace's mailbox and brand answer 404 and leak nothing", async () => {
    for (const [method, path, b] of [
      ["GET", `/api/v1/mailboxes/${otherMailbox}`, undefined],
      ["PATCH", `/api/v1/mailboxes/${otherMailbox}`, { host: "evil.example" }],
      ["POST", `/api/v1/mailboxes/${otherMailbox}/test`, undefined],
      ["DELETE", `/api/v1/mailboxes/${otherMailbox}`, undefined],
      ["GET", `/api/v1/brands/${other.brandA}/mailboxes`, undefined],
      ["POST", `/api/v1/brands/${other.brandA}/mailboxes`, body({ address: "help@globex-imap.example" })],
    ] as const) {
      const res = await call(api, acme.ownerToken, method, path, b);
      assert.equal(res.statusCode, 404, `${method} ${path}: ${res.body}`);
      assert.ok(!res.body.includes("globex"), `${method} ${path} leaked`);
    }
    const still = await call(api, other.ownerToken, "GET", `/api/v1/mailboxes/${otherMailbox}`);
    assert.equal(still.json().host, "imap.acme-imap.example");
  });

  test("agents are refused: 403 in their brand, 404 elsewhere", async () => {
    const created = await create(acme.ownerToken, acme.brandA, body({ username: "agents-test" }));
    const id = created.json().id;
    const own = [
      ["GET", `/api/v1/brands/${acme.brandA}/mailboxes`, undefined],
      ["POST", `/api/v1/brands/${acme.brandA}/mailboxes`, body({ username: "by-agent" })],
      ["GET", `/api/v1/mailboxes/${id}`, undefined],
      ["PATCH", `/api/v1/mailboxes/${id}`, { enabled: false }],
      ["POST", `/api/v1/mailboxes/${id}/test`, undefined],
      ["DELETE", `/api/v1/mailboxes/${id}`, undefined],
    ] as const;
    for (const [method, path, b] of own) {
      const res = await call(api, acme.agentToken, method, path, b);
      assert.equal(res.statusCode, 403, `${method} ${path}: ${res.body}`);
      assert.ok(!res.body.includes(SECRET));
    }
    const brandB = await call(api, acme.agentToken, "GET", `/api/v1/brands/${acme.brandB}/mailboxes`);
    assert.equal(brandB.statusCode, 404);
    assert.equal((await call(api, null, "GET", `/api/v1/mailboxes/${id}`)).statusCode, 401);
    assert.equal((await call(api, acme.ownerToken, "GET", `/api/v1/mailboxes/${id}`)).json().enabled, true);
  });

  test("the address must be a support address of the mailbox's brand (400 naming the field)", async () => {
    for (const address of ["nobody@acme-imap.example", "b@acme-imap.example", "help@globex-imap.example"]) {
      const res = await create(acme.ownerToken, acme.brandA, body({ address, username: `u-${address}` }));
      assert.equal(res.statusCode, 400, `${address}: ${res.body}`);
      assert.equal(res.json().error.code, "validation_failed");
      assert.equal(res.json().error.details[0].field, "address");
    }
    const malformed = await create(acme.ownerToken, acme.brandA, body({ address: "not an address" }));
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.details[0].field, "address");

    const ok = await create(acme.ownerToken, acme.brandA, body({ username: "address-patch" }));
    const patch = await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${ok.json().id}`, {
      address: "b@acme-imap.example",
    });
    assert.equal(patch.statusCode, 400, patch.body);
    assert.equal(patch.json().error.details[0].field, "address");
  });

  test("moving needs a folder to move to; one account's folder is read once per workspace", async () => {
    const noFolder = await create(
      acme.ownerToken,
      acme.brandA,
      body({ username: "move", afterImport: "move" }),
    );
    assert.equal(noFolder.statusCode, 400, noFolder.body);
    assert.equal(noFolder.json().error.details[0].field, "moveTo");
    const same = await create(
      acme.ownerToken,
      acme.brandA,
      body({ username: "move", afterImport: "move", moveTo: "INBOX" }),
    );
    assert.equal(same.statusCode, 400);

    const first = await create(acme.ownerToken, acme.brandA, body({ username: "twice" }));
    assert.equal(first.statusCode, 201);
    const twice = await create(
      acme.ownerToken,
      acme.brandA,
      body({ username: "TWICE", host: "IMAP.acme-imap.example" }),
    );
    assert.equal(twice.statusCode, 409, twice.body);
    assert.equal(twice.json().error.code, "mailbox_exists");
    const otherFolder = await create(
      acme.ownerToken,
      acme.brandA,
      body({ username: "twice", folder: "Support" }),
    );
    assert.equal(otherFolder.statusCode, 201, otherFolder.body);

    const patch = await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${first.json().id}`, {
      afterImport: "move",
    });
    assert.equal(patch.statusCode, 400);
    assert.equal(patch.json().error.details[0].field, "moveTo");
  });

  test("changing the account or folder makes the gateway start over there", async () => {
    const created = await create(acme.ownerToken, acme.brandA, body({ username: "restart" }));
    const id = created.json().id;
    await t.database.db
      .updateTable("imap_mailboxes")
      .set({ uid_validity: "42", last_uid: 17, last_error: "boom" })
      .where("id", "=", id)
      .execute();
    const state = () =>
      t.database.db
        .selectFrom("imap_mailboxes")
        .select(["uid_validity", "last_uid", "last_error"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
    await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${id}`, { enabled: false });
    assert.deepEqual(await state(), { uid_validity: "42", last_uid: "17", last_error: "boom" });
    await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${id}`, { folder: "Support" });
    assert.deepEqual(await state(), { uid_validity: null, last_uid: "0", last_error: null });
  });

  test("testing the connection: the folder's figures, or a clear error", async () => {
    await dovecot.addUser("helpdesk", "pw-helpdesk");
    await dovecot.appendMessage("helpdesk", "Subject: one\r\n\r\nbody\r\n");
    await dovecot.appendMessage("helpdesk", "Subject: two\r\n\r\nbody\r\n");
    const created = await create(acme.ownerToken, acme.brandA, {
      address: "dovecot@acme-imap.example",
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      username: "helpdesk",
      secret: "pw-helpdesk",
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    const testIt = () => call(api, acme.ownerToken, "POST", `/api/v1/mailboxes/${id}/test`);

    const ok = await testIt();
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { ok: true, messages: 2, uidNext: 3, idle: true });

    await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${id}`, { secret: "wrong" });
    const refused = await testIt();
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().error.code, "imap_auth_failed");
    assert.ok(!refused.body.includes("wrong"));

    await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${id}`, {
      secret: "pw-helpdesk",
      folder: "Nope",
    });
    const missing = await testIt();
    assert.equal(missing.statusCode, 422, missing.body);
    assert.equal(missing.json().error.code, "imap_folder_not_found");

    // A port nobody listens on (Dovecot's, after it is stopped, would do; a closed one is simpler).
    await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${id}`, { folder: "INBOX", port: 1 });
    const unreachable = await testIt();
    assert.equal(unreachable.statusCode, 502, unreachable.body);
    assert.equal(unreachable.json().error.code, "imap_connection_failed");
  });
});
