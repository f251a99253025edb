import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startDovecot, type TDovecot } from "../../../../../tools/dovecot.ts";
import { AppError } from "../../lib/app-error.ts";
import {
  importNewMessages,
  probeMailbox,
  type TImapMailboxConfigInput,
  type TImapMailboxState,
  type TImapMessageMeta,
  watchMailbox,
} from "./imap-mailbox.ts";

let dovecot: TDovecot;

let userCount = 0;
/** A fresh user, so every test has its own empty mailbox. */
async function newUser() {
  const name = `agent${++userCount}`;
  await dovecot.addUser(name, `pw-${name}`);
  return name;
}

const config = (user: string, more: Partial<TImapMailboxConfigInput> = {}): TImapMailboxConfigInput => ({
  host: dovecot.host,
  port: dovecot.port,
  secure: false,
  username: user,
  auth: { kind: "password", password: `pw-${user}` },
  afterImport: "seen",
  ...more,
});

const fresh: TImapMailboxState = { uidValidity: null, lastUid: 0 };

const mail = (subject: string) =>
  [
    "From: Customer <customer@example.com>",
    "To: help@shop.example",
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W+/g, ".")}@example.com>`,
    "Date: Mon, 1 Dec 2025 10:00:00 +0000",
    "",
    `Body of ${subject}`,
    "",
  ].join("\r\n");

const subjectOf = (raw: Buffer) => /^Subject: (.*)$/m.exec(raw.toString())?.[1]?.trim();

/** uid → flags of every message in `folder`. */
const flagsOf = (user: string, folder = "INBOX") =>
  dovecot.withClient(user, async (client) => {
    const box = await client.mailboxOpen(folder);
    const flags = new Map<number, string[]>();
    if (box.exists === 0) return flags;
    for (const m of await client.fetchAll("1:*", { uid: true, flags: true })) {
      flags.set(m.uid, [...(m.flags ?? [])]);
    }
    return flags;
  });

/** Fails the test when `promise` takes longer than `ms`: a generous guard, not a timing assertion. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Collects the messages handed over; `next()` resolves with the next one to arrive. */
function collector() {
  const seen: Array<{ subject: string | undefined; meta: TImapMessageMeta }> = [];
  const waiters: Array<() => void> = [];
  return {
    seen,
    onMessage: async (raw: Buffer, meta: TImapMessageMeta) => {
      seen.push({ subject: subjectOf(raw), meta });
      for (const w of waiters.splice(0)) w();
    },
    next(count: number) {
      return new Promise<void>((resolve) => {
        const check = () => (seen.length >= count ? resolve() : waiters.push(check));
        check();
      });
    },
  };
}

/** Against a real Dovecot from Debian, started once for these tests (tools/dovecot.ts). */
describe("IMAP mailbox reader against Dovecot", () => {
  before(async () => {
    dovecot = await startDovecot();
  });
  after(async () => {
    await dovecot?.stop();
  });

  test("imports three messages in UID order with a password, and sets \\Seen only after the callback resolved", async () => {
    const user = await newUser();
    const raws = ["Order 1001 late", "Order 1002 broken", "Order 1003 refund"].map(mail);
    for (const raw of raws) await dovecot.appendMessage(user, raw);

    const handed: Array<{ raw: Buffer; meta: TImapMessageMeta; seenBefore: boolean }> = [];
    const result = await importNewMessages(config(user), fresh, async (raw, meta) => {
      // Another session sees the message unflagged while our callback is still running.
      const flags = await flagsOf(user);
      handed.push({ raw, meta, seenBefore: flags.get(meta.uid)?.includes("\\Seen") ?? true });
    });

    assert.deepEqual(
      handed.map((h) => h.raw.toString()),
      raws,
    );
    assert.deepEqual(
      handed.map((h) => [h.meta.uid, h.meta.folder, h.seenBefore]),
      [
        [1, "INBOX", false],
        [2, "INBOX", false],
        [3, "INBOX", false],
      ],
    );
    assert.deepEqual(result.imported, [1, 2, 3]);
    assert.deepEqual(result.failed, []);
    assert.equal(result.state.lastUid, 3);
    assert.equal(result.state.uidValidity, handed[0]?.meta.uidValidity);
    assert.ok([...(await flagsOf(user)).values()].every((f) => f.includes("\\Seen")));

    const again = await importNewMessages(config(user), result.state, async () => {
      throw new Error("nothing should be imported twice when all went well");
    });
    assert.deepEqual(again.imported, []);
    assert.deepEqual(again.state, result.state);
  });

  test("a throwing callback leaves its message unseen, lastUid stays below it, and the next run imports it", async () => {
    const user = await newUser();
    for (const s of ["First", "Poison", "Third"]) await dovecot.appendMessage(user, mail(s));

    const first = await importNewMessages(config(user), fresh, async (raw) => {
      if (subjectOf(raw) === "Poison") throw new Error("database is down");
    });
    assert.deepEqual(first.imported, [1, 3]);
    assert.deepEqual(
      first.failed.map((f) => [f.uid, (f.error as Error).message]),
      [[2, "database is down"]],
    );
    assert.equal(first.state.lastUid, 1);
    const flags = await flagsOf(user);
    assert.deepEqual(
      [1, 2, 3].map((uid) => flags.get(uid)?.includes("\\Seen")),
      [true, false, true],
    );

    const c = collector();
    const second = await importNewMessages(config(user), first.state, c.onMessage);
    // UID 3 comes again (it is above lastUid): the store is idempotent, and nothing was lost.
    assert.deepEqual(
      c.seen.map((s) => s.subject),
      ["Poison", "Third"],
    );
    assert.deepEqual(second.failed, []);
    assert.equal(second.state.lastUid, 3);
    assert.ok((await flagsOf(user)).get(2)?.includes("\\Seen"));
  });

  test("mail read in another client (above lastUid) and mail stored but never flagged (below it) are both imported", async () => {
    const user = await newUser();
    const { uidValidity } = await dovecot.appendMessage(user, mail("Stored then crashed"));
    await dovecot.appendMessage(user, mail("Read in webmail first"), "INBOX", ["\\Seen"]);

    const c = collector();
    // The state says UID 1 is done, as if we crashed after saving it but before STORE \Seen.
    const result = await importNewMessages(config(user), { uidValidity, lastUid: 1 }, c.onMessage);
    assert.deepEqual(
      c.seen.map((s) => s.subject),
      ["Stored then crashed", "Read in webmail first"],
    );
    assert.equal(result.state.lastUid, 2);
  });

  test("move mode moves each message to moveTo after its callback, and refuses a missing moveTo up front", async () => {
    const user = await newUser();
    await dovecot.withClient(user, (client) => client.mailboxCreate("Imported"));
    for (const s of ["Move me 1", "Move me 2"]) await dovecot.appendMessage(user, mail(s));

    const c = collector();
    const result = await importNewMessages(
      config(user, { afterImport: "move", moveTo: "Imported" }),
      fresh,
      c.onMessage,
    );
    assert.deepEqual(
      c.seen.map((s) => s.subject),
      ["Move me 1", "Move me 2"],
    );
    assert.deepEqual(result.imported, [1, 2]);
    assert.equal((await flagsOf(user, "INBOX")).size, 0);
    assert.equal((await flagsOf(user, "Imported")).size, 2);

    await dovecot.appendMessage(user, mail("Nowhere to go"));
    let called = false;
    await assert.rejects(
      importNewMessages(
        config(user, { afterImport: "move", moveTo: "Archive/Missing" }),
        result.state,
        async () => {
          called = true;
        },
      ),
      (err: unknown) =>
        err instanceof AppError &&
        err.code === "imap_folder_not_found" &&
        /Archive\/Missing/.test(err.message),
    );
    assert.equal(called, false);
    await assert.rejects(
      importNewMessages(config(user, { afterImport: "move" }), fresh, async () => {}),
      /moveTo/,
    );
  });

  test("a new UIDVALIDITY (folder recreated) starts the UIDs over", async () => {
    const user = await newUser();
    for (const s of ["Old 1", "Old 2"]) await dovecot.appendMessage(user, mail(s), "Support");
    const cfg = config(user, { folder: "Support" });
    const first = await importNewMessages(cfg, fresh, async () => {});
    assert.equal(first.state.lastUid, 2);

    await dovecot.withClient(user, async (client) => {
      await client.mailboxDelete("Support");
      await client.mailboxCreate("Support");
    });
    // Already \Seen, so only the UIDVALIDITY reset can bring it in.
    const { uidValidity } = await dovecot.appendMessage(user, mail("New after recreate"), "Support", [
      "\\Seen",
    ]);
    assert.notEqual(uidValidity, first.state.uidValidity);

    const c = collector();
    const second = await importNewMessages(cfg, first.state, c.onMessage);
    assert.deepEqual(
      c.seen.map((s) => [s.subject, s.meta.uid, s.meta.uidValidity]),
      [["New after recreate", 1, uidValidity]],
    );
    assert.deepEqual(second.state, { uidValidity, lastUid: 1 });
  });

  test("watchMailbox: IDLE delivers a message appended while watching; abort stops it with the last state", async () => {
    const user = await newUser();
    await dovecot.appendMessage(user, mail("Before watching"));
    const c = collector();
    const states: TImapMailboxState[] = [];
    const logs: string[] = [];
    const ac = new AbortController();
    const watching = watchMailbox(
      config(user),
      { onMessage: c.onMessage, onState: async (s) => void states.push(s), log: (msg) => logs.push(msg) },
      // A poll far beyond the test's patience: only IDLE can bring the second message in time.
      { signal: ac.signal, state: fresh, pollIntervalMs: 10 * 60_000 },
    );
    try {
      await within(c.next(1), 15_000, "the first import");
      await dovecot.appendMessage(user, mail("While idling"));
      await within(c.next(2), 15_000, "IDLE delivering a new message");
    } finally {
      ac.abort();
    }
    const last = await within(watching, 15_000, "the watch stopping on abort");
    assert.deepEqual(
      c.seen.map((s) => s.subject),
      ["Before watching", "While idling"],
    );
    assert.equal(last.lastUid, 2);
    assert.deepEqual(states.at(-1), last);
    assert.deepEqual(logs, []);
    assert.ok([...(await flagsOf(user)).values()].every((f) => f.includes("\\Seen")));
  });

  test("watchMailbox reconnects after the server drops the connection, and polls when IDLE is off", async () => {
    const user = await newUser();
    const c = collector();
    const logs: string[] = [];
    const ac = new AbortController();
    const watching = watchMailbox(
      config(user),
      { onMessage: c.onMessage, log: (msg) => logs.push(msg) },
      { signal: ac.signal, state: fresh, pollIntervalMs: 10 * 60_000, minBackoffMs: 50 },
    );
    const polling = new AbortController();
    const p = collector();
    const user2 = await newUser();
    const pollingWatch = watchMailbox(
      config(user2),
      { onMessage: p.onMessage, log: (msg) => logs.push(msg) },
      { signal: polling.signal, state: fresh, pollIntervalMs: 100, idle: false },
    );
    try {
      await dovecot.appendMessage(user, mail("Before the drop"));
      await within(c.next(1), 15_000, "the first message");
      await dovecot.kick(user);
      await dovecot.appendMessage(user, mail("After the drop"));
      await within(c.next(2), 15_000, "a message after reconnecting");

      await dovecot.appendMessage(user2, mail("Polled"));
      await within(p.next(1), 15_000, "polling without IDLE");
    } finally {
      ac.abort();
      polling.abort();
    }
    await within(Promise.all([watching, pollingWatch]), 15_000, "both watches stopping");
    assert.deepEqual(
      c.seen.map((s) => s.subject),
      ["Before the drop", "After the drop"],
    );
    assert.deepEqual(
      p.seen.map((s) => s.subject),
      ["Polled"],
    );
    assert.ok(
      logs.some((l) => l.includes(`imap ${user}@127.0.0.1/INBOX`) && /retrying in/.test(l)),
      logs.join("\n"),
    );
  });

  test("XOAUTH2: a valid access token imports; a refused one is imap_auth_failed; watch asks for a fresh token", async () => {
    const user = await newUser();
    await dovecot.appendMessage(user, mail("Via OAuth2"));
    const token = dovecot.addAccessToken(user);
    const oauth = (accessToken: string) => config(user, { auth: { kind: "oauth2", accessToken } });

    const probe = await probeMailbox(oauth(token));
    assert.equal(probe.idle, true);
    assert.equal(probe.messages, 1);

    await assert.rejects(
      importNewMessages(oauth("expired-token"), fresh, async () => {}),
      (err: unknown) => err instanceof AppError && err.code === "imap_auth_failed",
    );

    // The first connection gets a stale token, the retry a fresh one.
    const tokens = ["expired-token", token];
    const c = collector();
    const logs: string[] = [];
    const ac = new AbortController();
    const watching = watchMailbox(
      async () => oauth(tokens.shift() ?? token),
      { onMessage: c.onMessage, log: (msg) => logs.push(msg) },
      { signal: ac.signal, state: fresh, minBackoffMs: 50 },
    );
    try {
      await within(c.next(1), 15_000, "import after a refreshed token");
    } finally {
      ac.abort();
    }
    await within(watching, 15_000, "the watch stopping");
    assert.deepEqual(
      c.seen.map((s) => s.subject),
      ["Via OAuth2"],
    );
    assert.equal(logs.length, 1);
    assert.match(logs[0] ?? "", /refused/);
    assert.match(dovecot.log(), new RegExp(`Login: user=<${user}>, method=XOAUTH2`));
  });

  test("TLS with a self-signed certificate (implicit and STARTTLS), and OAUTHBEARER where offered", async () => {
    const tlsDovecot = await startDovecot({ tls: true, oauthMechanisms: ["xoauth2", "oauthbearer"] });
    try {
      await tlsDovecot.addUser("tls-user", "pw-tls-user");
      await tlsDovecot.appendMessage("tls-user", mail("Over TLS"));
      const base = { ...config("tls-user"), host: "127.0.0.1", port: tlsDovecot.tlsPort ?? 0, secure: true };
      await assert.rejects(
        probeMailbox(base),
        (err: unknown) =>
          err instanceof AppError && err.code === "imap_tls_failed" && /allowSelfSigned/.test(err.message),
      );
      const c = collector();
      const token = tlsDovecot.addAccessToken("tls-user");
      await importNewMessages(
        { ...base, allowSelfSigned: true, auth: { kind: "oauth2", accessToken: token } },
        fresh,
        c.onMessage,
      );
      assert.deepEqual(
        c.seen.map((s) => s.subject),
        ["Over TLS"],
      );
      assert.match(tlsDovecot.log(), /Login: user=<tls-user>, method=OAUTHBEARER/);
      // The plain port offers STARTTLS, which is taken, so the certificate is checked there too.
      const starttls = { ...base, port: tlsDovecot.port, secure: false };
      await assert.rejects(
        probeMailbox(starttls),
        (err: unknown) => err instanceof AppError && err.code === "imap_tls_failed",
      );
      assert.equal((await probeMailbox({ ...starttls, allowSelfSigned: true })).messages, 1);
    } finally {
      await tlsDovecot.stop();
    }
  });

  test("clear errors: wrong password, nothing listening, missing folder", async () => {
    const user = await newUser();
    await assert.rejects(
      importNewMessages(
        config(user, { auth: { kind: "password", password: "wrong" } }),
        fresh,
        async () => {},
      ),
      (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, "imap_auth_failed");
        assert.equal(err.status, 422);
        assert.match(
          err.message,
          new RegExp(`IMAP login as ${user} at 127\\.0\\.0\\.1:\\d+ was refused: Authentication failed`),
        );
        return true;
      },
    );
    const closedPort = await (async () => {
      const net = await import("node:net");
      return new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, "127.0.0.1", () => {
          const { port } = s.address() as import("node:net").AddressInfo;
          s.close(() => resolve(port));
        });
      });
    })();
    await assert.rejects(
      probeMailbox(config(user, { port: closedPort })),
      (err: unknown) =>
        err instanceof AppError && err.code === "imap_connection_failed" && /ECONNREFUSED/.test(err.message),
    );
    await assert.rejects(
      probeMailbox(config(user, { folder: "No/Such/Folder" })),
      (err: unknown) => err instanceof AppError && err.code === "imap_folder_not_found",
    );
  });
});
