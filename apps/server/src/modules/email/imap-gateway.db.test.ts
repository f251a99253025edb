import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import cookie from "@fastify/cookie";
import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { startDovecot, type TDovecot } from "../../../../../tools/dovecot.ts";
import { registerAuthHook } from "../../http/auth-hook.ts";
import { registerErrorHandler } from "../../http/error-handler.ts";
import { systemClock } from "../../lib/clock.ts";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import { createImapGateway, type TImapGateway } from "./imap-gateway.ts";
import * as repo from "./imap-mailboxes.repository.ts";
import { imapMailboxesRoutes } from "./imap-mailboxes.routes.ts";
import { createImapMailboxesService } from "./imap-mailboxes.service.ts";
import type { TInboundStore } from "./inbound-store.ts";

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

/** Resolves once `check` answers truthy; fails after `ms` with what it last saw. */
async function waitFor<T>(what: string, check: () => Promise<T>, ms = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`${what}: still not after ${ms} ms (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ADDRESS = "help@gateway-shop.example";
const LEASE_MS = 900;

const mail = (subject: string, messageId = `<${subject.replace(/\W+/g, ".")}@customer.example>`) =>
  [
    "From: Customer <customer@customer.example>",
    `To: ${ADDRESS}`,
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    "Date: Mon, 1 Dec 2025 10:00:00 +0000",
    "",
    `Body of ${subject}`,
    "",
  ].join("\r\n");

describe("IMAP gateway", () => {
  let t: TTestApp;
  let api: FastifyInstance;
  let dovecot: TDovecot;
  let acme: TTenant;
  const gateways: TImapGateway[] = [];
  const logged: string[] = [];
  let users = 0;

  before(async () => {
    [t, dovecot] = await Promise.all([createTestApp(), startDovecot()]);
    api = await mountMailboxes(t);
    acme = await seedTenant(t.services, "acme");
    const res = await call(t.app, acme.ownerToken, "POST", `/api/v1/brands/${acme.brandA}/addresses`, {
      address: ADDRESS,
    });
    assert.equal(res.statusCode, 201, res.body);
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.stop()));
    // Each test reads only its own mailboxes.
    await t.database.db.updateTable("imap_mailboxes").set({ enabled: false, lease_owner: null }).execute();
  });
  after(async () => {
    await api?.close();
    await t?.close();
    await dovecot?.stop();
  });

  function gateway(
    owner: string,
    store: Pick<TInboundStore, "store"> = t.services.email.store,
    leaseMs = LEASE_MS,
  ) {
    const g = createImapGateway({
      db: t.database.db,
      store,
      clock: systemClock,
      owner,
      leaseMs,
      log: (msg, err) => logged.push(`${owner}: ${msg} ${err instanceof Error ? err.message : ""}`),
      pollIntervalMs: 300,
      minBackoffMs: 100,
      maxBackoffMs: 500,
      healthyAfterMs: 300,
    });
    gateways.push(g);
    return g;
  }

  /** A fresh Dovecot user and a mailbox for it, created through the API. */
  async function mailbox(more: Record<string, unknown> = {}) {
    const user = `gw${++users}`;
    await dovecot.addUser(user, `pw-${user}`);
    const res = await call(api, acme.ownerToken, "POST", `/api/v1/brands/${acme.brandA}/mailboxes`, {
      address: ADDRESS,
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      username: user,
      secret: `pw-${user}`,
      ...more,
    });
    assert.equal(res.statusCode, 201, res.body);
    return { user, id: res.json().id as string };
  }

  const stored = (mailboxId: string) =>
    t.database.db
      .selectFrom("inbound_emails")
      .select(["workspace_id", "brand_id", "source", "recipients", "message_id", "state"])
      .where("mailbox_id", "=", mailboxId)
      .orderBy("received_at")
      .execute();

  const row = (id: string) =>
    t.database.db.selectFrom("imap_mailboxes").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  /** uid → \Seen of every message in the user's folder. */
  const seenFlags = (user: string, folder = "INBOX") =>
    dovecot.withClient(user, async (client) => {
      const box = await client.mailboxOpen(folder);
      const seen = new Map<number, boolean>();
      if (box.exists === 0) return seen;
      for (const m of await client.fetchAll("1:*", { uid: true, flags: true })) {
        seen.set(m.uid, m.flags?.has("\\Seen") ?? false);
      }
      return seen;
    });
  const allSeen = async (user: string, count: number, folder = "INBOX") => {
    const flags = await seenFlags(user, folder);
    return flags.size === count && [...flags.values()].every(Boolean);
  };

  test("unread and new mail is stored as inbound email, then flagged \\Seen; mail already read stays", async () => {
    const { user, id } = await mailbox();
    await dovecot.appendMessage(user, mail("Already read before the mailbox was added"), "INBOX", ["\\Seen"]);
    await dovecot.appendMessage(user, mail("Unread before the mailbox was added"));
    const g = gateway("process-a");
    await g.start();
    assert.deepEqual(g.watching(), [id]);
    await waitFor("the first look at the folder", async () => (await row(id)).uid_validity !== null);
    await dovecot.appendMessage(user, mail("New one"));
    await dovecot.appendMessage(user, mail("New two"));

    const rows = await waitFor("three stored mails", async () => {
      const r = await stored(id);
      return r.length >= 3 ? r : null;
    });
    assert.deepEqual(
      rows.map((r) => r.message_id).sort(),
      // Stored without the angle brackets, lower-cased.
      [
        "new.one@customer.example",
        "new.two@customer.example",
        "unread.before.the.mailbox.was.added@customer.example",
      ],
    );
    for (const r of rows) {
      assert.deepEqual(
        [r.workspace_id, r.brand_id, r.source, r.recipients],
        [acme.owner.workspaceId, acme.brandA, "imap", [ADDRESS]],
      );
      // Its processing job was enqueued with it (the test app may already have run it).
      assert.ok(["received", "processed"].includes(r.state), r.state);
    }
    await waitFor("every message \\Seen", () => allSeen(user, 4));
    const saved = await waitFor("the state saved", async () => {
      const r = await row(id);
      return Number(r.last_uid) === 4 ? r : null;
    });
    assert.equal(saved.last_error, null);
    assert.ok(saved.last_checked_at);
    assert.equal(saved.lease_owner, "process-a");
    const listed = await call(t.app, acme.ownerToken, "GET", "/api/v1/inbound-emails?limit=100");
    assert.equal(
      listed.json().items.filter((m: { source: string; subject: string }) => m.source === "imap").length >= 3,
      true,
    );
    const shown = (await call(api, acme.ownerToken, "GET", `/api/v1/mailboxes/${id}`)).json();
    assert.deepEqual([shown.watched, shown.lastError], [true, null]);
  });

  test("the same message delivered twice is stored once; both copies are flagged", async () => {
    const { user, id } = await mailbox();
    const g = gateway("process-a");
    await g.start();
    await waitFor("the first look at the folder", async () => (await row(id)).uid_validity !== null);
    const raw = mail("Sent twice");
    await dovecot.appendMessage(user, raw);
    await dovecot.appendMessage(user, raw);
    await waitFor("both copies \\Seen", () => allSeen(user, 2));
    assert.equal((await stored(id)).length, 1);
  });

  test("a failed store leaves the message unread, shows the error, and imports it on the next pass", async () => {
    const { user, id } = await mailbox();
    let failures = 0;
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const flaky: Pick<TInboundStore, "store"> = {
      store: async (raw, envelope) => {
        if (failures === 0) {
          failures++;
          throw new Error("the database is away");
        }
        // Hold every later attempt until the test has looked at the mailbox.
        await released;
        return t.services.email.store.store(raw, envelope);
      },
    };
    const g = gateway("process-a", flaky);
    await g.start();
    await waitFor("the first look at the folder", async () => (await row(id)).uid_validity !== null);
    await dovecot.appendMessage(user, mail("Stored on the second try"));
    await waitFor("the failed attempt", async () => failures === 1);
    assert.deepEqual([...(await seenFlags(user)).values()], [false]);
    assert.equal((await stored(id)).length, 0);
    const shown = await waitFor("the error shown", async () => {
      const m = (await call(api, acme.ownerToken, "GET", `/api/v1/mailboxes/${id}`)).json();
      return m.lastError ? m : null;
    });
    assert.match(shown.lastError, /storing UID 1 failed.*the database is away/);
    release();
    await waitFor("the message \\Seen", () => allSeen(user, 1));
    assert.equal((await stored(id)).length, 1);
    await waitFor("the error cleared", async () => (await row(id)).last_error === null);
  });

  test("two processes never read the same mailbox; stopped or crashed owners' mailboxes are taken over", async () => {
    const boxes = await Promise.all([mailbox(), mailbox(), mailbox(), mailbox()]);
    const ids = boxes.map((b) => b.id).sort();
    const a = gateway("process-a");
    const b = gateway("process-b", t.services.email.store);
    await Promise.all([a.start(), b.start()]);
    const sample = async () => {
      const [wa, wb] = [a.watching(), b.watching()];
      assert.deepEqual(
        wa.filter((x) => wb.includes(x)),
        [],
        "no mailbox is read by both",
      );
      const owners = await t.database.db
        .selectFrom("imap_mailboxes")
        .select(["id", "lease_owner"])
        .where("id", "in", ids)
        .execute();
      for (const o of owners) {
        if (wa.includes(o.id)) assert.equal(o.lease_owner, "process-a");
        if (wb.includes(o.id)) assert.equal(o.lease_owner, "process-b");
      }
      return [...wa, ...wb].sort();
    };
    const deadline = Date.now() + 3 * LEASE_MS;
    while (Date.now() < deadline) {
      await sample();
      await new Promise((r) => setTimeout(r, 37));
    }
    assert.deepEqual(await sample(), ids);

    // Mail to every mailbox is stored once, whichever process reads it.
    await Promise.all(
      boxes.map((box) => waitFor("the first look", async () => (await row(box.id)).uid_validity)),
    );
    await Promise.all(boxes.map((box, i) => dovecot.appendMessage(box.user, mail(`To box ${i}`))));
    for (const box of boxes) {
      await waitFor(`mail of ${box.user} stored`, async () => (await stored(box.id)).length === 1);
    }

    // A stopped process gives its leases up: the other takes over at its next round.
    await a.stop();
    await waitFor("process-b reads all four", async () => b.watching().length === 4);
    assert.deepEqual(b.watching().sort(), ids);
    await b.stop();

    // A crashed process gives nothing up: its leases run out, then another process takes over.
    await t.database.db
      .updateTable("imap_mailboxes")
      .set({ lease_owner: "crashed-process", lease_expires_at: new Date(Date.now() + 1500) })
      .where("id", "in", ids)
      .execute();
    const c = gateway("process-c");
    await c.start();
    assert.deepEqual(c.watching(), []);
    await waitFor("process-c takes the mailboxes over", async () => c.watching().length === 4);
    assert.deepEqual((await row(ids[0] as string)).lease_owner, "process-c");
  });

  test("processes racing for one free mailbox: exactly one gets it", async () => {
    const { id } = await mailbox();
    const { workspaceId } = acme.owner;
    for (let round = 0; round < 5; round++) {
      await t.database.db
        .updateTable("imap_mailboxes")
        .set({ enabled: true, lease_owner: null, lease_expires_at: null })
        .where("id", "=", id)
        .execute();
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          repo.claimMailbox(t.database.db, workspaceId, id, `racer-${i}`, 60_000),
        ),
      );
      const winners = claims.filter((c) => c !== undefined);
      assert.equal(winners.length, 1, `round ${round}`);
      assert.equal((await row(id)).lease_owner, winners[0]?.lease_owner);
    }
  });

  test("changed, disabled and deleted mailboxes are picked up within a lease period", async () => {
    const { user, id } = await mailbox();
    await dovecot.withClient(user, (client) => client.mailboxCreate("Support"));
    const g = gateway("process-a");
    await g.start();
    await waitFor("the first look at INBOX", async () => (await row(id)).uid_validity !== null);
    const patch = (b: unknown) => call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${id}`, b);

    // Another folder: the watch restarts there and starts from that folder's unread mail.
    assert.equal((await patch({ folder: "Support" })).statusCode, 200);
    await dovecot.appendMessage(user, mail("In the support folder"), "Support");
    await waitFor("the support folder read", async () => (await stored(id)).length === 1, 4 * LEASE_MS);
    await waitFor("\\Seen in Support", () => allSeen(user, 1, "Support"));

    // Disabled: the watch stops and the lease is given up; mail waits.
    assert.equal((await patch({ enabled: false })).statusCode, 200);
    await waitFor("the watch stopped", async () => g.watching().length === 0, 2 * LEASE_MS);
    assert.equal((await row(id)).lease_owner, null);
    await dovecot.appendMessage(user, mail("While disabled"), "Support");
    await new Promise((r) => setTimeout(r, LEASE_MS));
    assert.equal((await stored(id)).length, 1);

    // Enabled again: the waiting mail comes in.
    assert.equal((await patch({ enabled: true })).statusCode, 200);
    await waitFor("the waiting mail stored", async () => (await stored(id)).length === 2, 4 * LEASE_MS);

    // Deleted: the watch stops.
    assert.equal((await call(api, acme.ownerToken, "DELETE", `/api/v1/mailboxes/${id}`)).statusCode, 204);
    await waitFor("the watch stopped", async () => g.watching().length === 0, 2 * LEASE_MS);
  });

  test("a refused login is shown as the mailbox's error until the password is fixed", async () => {
    const { user, id } = await mailbox();
    await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${id}`, { secret: "wrong" });
    const g = gateway("process-a");
    await g.start();
    const failing = await waitFor("the error saved", async () => (await row(id)).last_error);
    assert.match(failing, /imap|login|auth/i);
    await call(api, acme.ownerToken, "PATCH", `/api/v1/mailboxes/${id}`, { secret: `pw-${user}` });
    await dovecot.appendMessage(user, mail("After the fix"));
    await waitFor("mail stored after the fix", async () => (await stored(id)).length === 1, 4 * LEASE_MS);
    await waitFor("the error cleared", async () => (await row(id)).last_error === null);
  });
});
