/**
 * Crash test of the email pipeline: a client streams 1,000 distinct mails over SMTP and retries each
 * until it gets a 250; after about 400 are accepted the whole server (the cluster primary and its
 * workers) is killed with SIGKILL and started again on the same database and ports. Afterwards every
 * Message-ID must be stored exactly once, be exactly one ticket, and no mail may be left waiting.
 * Prints one JSON line per store and exits non-zero when an assertion fails.
 *
 * Usage: npm run test:email-crash [-- --store=postgres|embedded|both] [--emails=1000]
 * PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is used to create a
 * fresh database for the run, dropped afterwards.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import pg from "pg";
import { request } from "undici";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN_DB_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const ADMIN = { email: "crash@switchboard.test", password: "crash-test-password" };
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const EMAILS = Number(arg("emails") ?? 1000);
const KILL_AFTER = Math.round(EMAILS * 0.4);
/** Parallel SMTP connections of the client. */
const SENDERS = 6;
/** Mails accepted just before the kill that the client sends once more, as if their 250 had been lost. */
const RESEND = 25;
/** The sweep re-queues mail waiting over 60 s every 30 s: mail whose job died with the server needs that long. */
const PROCESS_TIMEOUT_MS = 150_000;
const START_TIMEOUT_MS = 60_000;

type TStore = "postgres" | "embedded";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[email-crash] ${msg}\n`);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

// The server ----------------------------------------------------------------------------------------

type TServerSpec = {
  httpPort: number;
  smtpPort: number;
  dataDir: string;
  databaseUrl: string;
  logFile: string;
};
type TRunning = { child: ChildProcess; pgid: number; exited: Promise<void> };

/**
 * Starts the server as `npm start` would (tools/server-process.ts does the same), but in its own
 * process group, so that tsx, the cluster primary and every worker can be killed at once, and on
 * fixed ports and a kept data folder, so that the restart is the same server.
 */
async function startServer(spec: TServerSpec): Promise<TRunning> {
  const out = fs.openSync(spec.logFile, "a");
  const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["apps/server/src/main.ts"], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      PORT: String(spec.httpPort),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      SWITCHBOARD_DATA_DIR: spec.dataDir,
      DATABASE_URL: spec.databaseUrl,
      SWITCHBOARD_ADMIN_EMAIL: ADMIN.email,
      SWITCHBOARD_ADMIN_PASSWORD: ADMIN.password,
      SWITCHBOARD_SMTP_PORT: String(spec.smtpPort),
      SWITCHBOARD_SMTP_HOST: "127.0.0.1",
    },
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pgid = child.pid as number;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited at start (see ${spec.logFile})`);
    try {
      if ((await fetch(`http://127.0.0.1:${spec.httpPort}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within a minute`);
    await sleep(100);
  }
  return { child, pgid, exited };
}

/** Live (non-zombie) processes of a process group, read from /proc. */
function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** SIGKILL to the whole group, then waits until not one of its processes is left. */
async function killGroup(server: TRunning): Promise<number> {
  const members = groupMembers(server.pgid).length;
  process.kill(-server.pgid, "SIGKILL");
  const deadline = Date.now() + 10_000;
  while (groupMembers(server.pgid).length > 0) {
    if (Date.now() > deadline) throw new Error(`processes of group ${server.pgid} survived SIGKILL`);
    await sleep(10);
  }
  await server.exited;
  return members;
}

async function stopServer(server: TRunning) {
  if (groupMembers(server.pgid).length === 0) return;
  server.child.kill("SIGTERM");
  await Promise.race([server.exited, sleep(10_000)]);
  if (groupMembers(server.pgid).length > 0) await killGroup(server);
}

// HTTP -----------------------------------------------------------------------------------------------

async function api<T>(
  base: string,
  p: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T; headers: Record<string, string | string[] | undefined> }> {
  const res = await request(`${base}${p}`, {
    method: (init.method ?? "GET") as "GET",
    headers: { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.statusCode, body: (await res.body.json()) as T, headers: res.headers };
}

async function setUp(base: string) {
  const login = await api<{ csrfToken: string }>(base, "/api/v1/auth/login", { method: "POST", body: ADMIN });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  const session = {
    cookie: String(login.headers["set-cookie"]).split(";")[0] ?? "",
    "x-csrf-token": login.body.csrfToken,
  };
  const token = (
    await api<{ token: string }>(base, "/api/v1/tokens", {
      method: "POST",
      body: { name: "email-crash" },
      headers: session,
    })
  ).body.token;
  const auth = { authorization: `Bearer ${token}` };
  const brand = await api<{ id: string }>(base, "/api/v1/brands", {
    method: "POST",
    body: { name: "Crash Shop", slug: "crash-shop", defaultLocale: "en", supportedLocales: ["en"] },
    headers: auth,
  });
  const address = "support@crash-shop.test";
  const created = await api(base, `/api/v1/brands/${brand.body.id}/addresses`, {
    method: "POST",
    body: { address, displayName: "Crash Shop", isDefault: true },
    headers: auth,
  });
  if (created.status !== 201) throw new Error(`creating the support address answered ${created.status}`);
  return { auth, address };
}

/** Every page of a cursor-paginated list. */
async function listAll<T>(base: string, p: string, auth: Record<string, string>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = p.includes("?") ? "&" : "?";
    const page: { status: number; body: { items: T[]; nextCursor: string | null } } = await api(
      base,
      `${p}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { headers: auth },
    );
    if (page.status !== 200) throw new Error(`GET ${p} answered ${page.status}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

// The mail -------------------------------------------------------------------------------------------

type TMail = { i: number; messageId: string; subject: string; from: string; raw: Buffer };

/** Built once: a retry sends the same bytes, as an MTA resends its queued file. */
function buildMail(run: string, i: number, to: string): TMail {
  const messageId = `crash-${run}-${i}@client.example.net`;
  const subject = `Crash test order ${run}-${i}`;
  const from = `customer${i}@client.example.net`;
  const raw = [
    `From: Customer ${i} <${from}>`,
    `To: Crash Shop <${to}>`,
    `Subject: ${subject}`,
    `Message-ID: <${messageId}>`,
    `Date: ${new Date().toUTCString().replace("GMT", "+0000")}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    `Hello, my order ${100000 + i} has not arrived yet. Could you check where the parcel is?`,
    "Mulțumesc, Dziękuję, Благодаря.",
    "",
  ].join("\r\n");
  return { i, messageId, subject, from, raw: Buffer.from(raw, "utf8") };
}

type TSendStats = {
  attempts: number;
  retries: number;
  failures: Record<string, number>;
  permanentRefusals: number;
};

function classify(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  if (e.responseCode) return `${e.responseCode}`;
  return e.code ?? e.message?.slice(0, 40) ?? "unknown";
}

/**
 * One SMTP connection that carries message after message (the server pauses 100 ms before its
 * greeting, so a connection per mail would measure that pause). After any failure the connection
 * is dropped and the next attempt opens a new one.
 */
class Sender {
  private transport: Transporter | null = null;
  private readonly smtpPort: number;
  private readonly to: string;
  private readonly stats: TSendStats;
  constructor(smtpPort: number, to: string, stats: TSendStats) {
    this.smtpPort = smtpPort;
    this.to = to;
    this.stats = stats;
  }

  private connection(): Transporter {
    this.transport ??= nodemailer.createTransport({
      host: "127.0.0.1",
      port: this.smtpPort,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 1,
      maxMessages: Number.POSITIVE_INFINITY,
      connectionTimeout: 3_000,
      greetingTimeout: 3_000,
      socketTimeout: 15_000,
    });
    return this.transport;
  }

  /** Retries on any failure (refused connection, 4xx, timeout, even 5xx, which is counted) until a 250. */
  async deliver(mail: TMail, deadline: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.stats.attempts++;
      try {
        await this.connection().sendMail({ envelope: { from: mail.from, to: [this.to] }, raw: mail.raw });
        return;
      } catch (err) {
        this.transport?.close();
        this.transport = null;
        const kind = classify(err);
        this.stats.failures[kind] = (this.stats.failures[kind] ?? 0) + 1;
        if (/^5\d\d$/.test(kind)) this.stats.permanentRefusals++;
        this.stats.retries++;
        if (Date.now() > deadline) throw new Error(`mail ${mail.i} was not accepted in time (${kind})`);
        await sleep(Math.min(1_000, 50 * attempt));
      }
    }
  }

  close() {
    this.transport?.close();
    this.transport = null;
  }
}

// The run --------------------------------------------------------------------------------------------

type TInboundItem = {
  messageId: string | null;
  state: string;
  outcome: string | null;
  ticketId: string | null;
  receivedAt: string;
};
type TTicketItem = { id: string; subject: string; channel: string };

async function run(store: TStore) {
  const began = performance.now();
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  let databaseUrl = "";
  let dbName = "";
  if (store === "postgres") {
    dbName = `sb_crash_${Date.now()}`;
    const admin = new pg.Client({ connectionString: ADMIN_DB_URL });
    await admin.connect();
    // Databases of runs that were killed an hour or more ago (the name carries the start time).
    const { rows } = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'sb\\_crash\\_%'");
    for (const { datname } of rows as { datname: string }[]) {
      if (Number(datname.slice("sb_crash_".length)) < Date.now() - 3600_000)
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(ADMIN_DB_URL);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-email-crash-"));
  const spec: TServerSpec = {
    httpPort: await freePort(),
    smtpPort: await freePort(),
    dataDir,
    databaseUrl,
    logFile: path.join(dataDir, "server.log"),
  };
  const base = `http://127.0.0.1:${spec.httpPort}`;
  let server: TRunning | null = null;
  try {
    server = await startServer(spec);
    const startedIn = (performance.now() - began) / 1000;
    const { auth, address } = await setUp(base);
    const runId = Date.now().toString(36);
    const mails = Array.from({ length: EMAILS }, (_, i) => buildMail(runId, i, address));
    const stats: TSendStats = { attempts: 0, retries: 0, failures: {}, permanentRefusals: 0 };
    const acceptedOrder: number[] = [];
    const inFlight = new Set<number>();
    let inFlightAtKill: number[] = [];
    let crash: Promise<void> | null = null;
    let killedAt = 0;
    let killedAtWall = 0;
    let sendBeforeKill = 0;
    let restartedAt = 0;
    let processesKilled = 0;
    const sendDeadline = Date.now() + 120_000;

    const restart = async () => {
      inFlightAtKill = [...inFlight];
      killedAt = performance.now();
      killedAtWall = Date.now();
      sendBeforeKill = (killedAt - sendStarted) / 1000;
      processesKilled = await killGroup(server as TRunning);
      log(
        `killed ${processesKilled} processes after ${acceptedOrder.length} accepted in ${sendBeforeKill.toFixed(1)} s; restarting`,
      );
      server = await startServer(spec);
      restartedAt = performance.now();
      log(`restarted in ${((restartedAt - killedAt) / 1000).toFixed(1)} s`);
    };

    const sendStarted = performance.now();
    let next = 0;
    const senders = Array.from({ length: SENDERS }, () => new Sender(spec.smtpPort, address, stats));
    const sender = async (connection: Sender) => {
      for (let i = next++; i < EMAILS; i = next++) {
        const mail = mails[i] as TMail;
        inFlight.add(i);
        await connection.deliver(mail, sendDeadline);
        inFlight.delete(i);
        acceptedOrder.push(i);
        if (acceptedOrder.length === KILL_AFTER) {
          crash = restart();
          // Awaited below; a failed restart shows there, not as an unhandled rejection meanwhile.
          crash.catch(() => {});
        }
      }
    };
    await Promise.all(senders.map(sender));
    await crash;
    // Some mail accepted just before the kill is sent again, as by a sender whose 250 got lost.
    const resent = acceptedOrder.slice(0, KILL_AFTER).slice(-RESEND);
    for (const i of resent) await (senders[0] as Sender).deliver(mails[i] as TMail, sendDeadline);
    for (const s of senders) s.close();
    const sendSeconds = (performance.now() - sendStarted) / 1000;
    log(`all ${EMAILS} accepted in ${sendSeconds.toFixed(1)} s (${stats.retries} retries); waiting`);

    // Wait until nothing is left waiting (the API lists the mail still in state "received").
    const waitStarted = performance.now();
    const processDeadline = Date.now() + PROCESS_TIMEOUT_MS;
    for (;;) {
      const waiting = await api<{ items: unknown[] }>(base, "/api/v1/inbound-emails?state=received&limit=1", {
        headers: auth,
      });
      if (waiting.status === 200 && waiting.body.items.length === 0) break;
      if (Date.now() > processDeadline) {
        failures.push(`mail still waiting ${PROCESS_TIMEOUT_MS / 1000} s after the last send`);
        break;
      }
      await sleep(250);
    }
    const allProcessedAfterKill = (performance.now() - killedAt) / 1000;
    const waitSeconds = (performance.now() - waitStarted) / 1000;

    // Through the API: each Message-ID stored once and processed into its own ticket.
    const inbound = await listAll<TInboundItem>(base, "/api/v1/inbound-emails", auth);
    const tickets = await listAll<TTicketItem>(base, "/api/v1/tickets?channel=email", auth);
    const byMessageId = new Map<string, TInboundItem[]>();
    for (const item of inbound) {
      const key = item.messageId ?? "(none)";
      byMessageId.set(key, [...(byMessageId.get(key) ?? []), item]);
    }
    const missing = mails.filter((m) => !byMessageId.has(m.messageId)).length;
    const storedTwice = mails.filter((m) => (byMessageId.get(m.messageId)?.length ?? 0) > 1).length;
    check(inbound.length === EMAILS, `${inbound.length} inbound mails stored, expected ${EMAILS}`);
    check(missing === 0, `${missing} Message-IDs were never stored`);
    check(storedTwice === 0, `${storedTwice} Message-IDs stored more than once`);
    const states: Record<string, number> = {};
    for (const item of inbound) {
      const key = `${item.state}/${item.outcome}`;
      states[key] = (states[key] ?? 0) + 1;
    }
    check(
      inbound.every((i) => i.state === "processed" && i.outcome === "new_ticket" && i.ticketId),
      `not every mail became a new ticket: ${JSON.stringify(states)}`,
    );
    const ticketIds = new Set(inbound.map((i) => i.ticketId));
    check(ticketIds.size === EMAILS, `${ticketIds.size} distinct tickets for ${EMAILS} mails`);
    const bySubject = new Map<string, number>();
    for (const t of tickets) bySubject.set(t.subject, (bySubject.get(t.subject) ?? 0) + 1);
    const ticketsTwice = mails.filter((m) => (bySubject.get(m.subject) ?? 0) > 1).length;
    const noTicket = mails.filter((m) => !bySubject.has(m.subject)).length;
    check(tickets.length === EMAILS, `${tickets.length} email tickets, expected ${EMAILS}`);
    check(ticketsTwice === 0, `${ticketsTwice} mails became more than one ticket`);
    check(noTicket === 0, `${noTicket} mails have no ticket`);
    check(
      tickets.every((t) => ticketIds.has(t.id)),
      "a ticket exists that no stored mail points at",
    );
    // One ticket read as a customer of the API would (envelope { ticket }).
    const sample = inbound[Math.floor(inbound.length / 2)];
    if (sample?.ticketId) {
      const one = await api<{ ticket: TTicketItem }>(base, `/api/v1/tickets/${sample.ticketId}`, {
        headers: auth,
      });
      const mail = mails.find((m) => m.messageId === sample.messageId);
      check(one.body.ticket?.subject === mail?.subject, "GET /tickets/{id} does not show the mail's subject");
    }

    // Straight from PostgreSQL: the thread holds each mail once, and no job was given up on.
    const database: Record<string, unknown> = {};
    if (store === "postgres") {
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const q = async (sql: string) => (await db.query(sql)).rows as Record<string, string>[];
        const [dupRows] = await q(
          "SELECT count(*) AS n FROM (SELECT message_id FROM inbound_emails GROUP BY message_id HAVING count(*) > 1) d",
        );
        const [dupMessages] = await q(
          "SELECT count(*) AS n, (SELECT count(*) FROM messages WHERE email_message_id IS NOT NULL) AS total FROM (SELECT email_message_id FROM messages WHERE email_message_id IS NOT NULL GROUP BY email_message_id HAVING count(*) > 1) d",
        );
        const [dupTickets] = await q(
          "SELECT count(*) AS n FROM (SELECT subject FROM tickets WHERE channel = 'email' GROUP BY subject HAVING count(*) > 1) d",
        );
        const [waiting] = await q("SELECT count(*) AS n FROM inbound_emails WHERE state = 'received'");
        const jobs = await q(
          "SELECT name, state, count(*) AS n FROM pgboss.job GROUP BY name, state ORDER BY name, state",
        );
        check(Number(dupRows?.n) === 0, `PostgreSQL: ${dupRows?.n} Message-IDs with several rows`);
        check(Number(dupMessages?.n) === 0, `PostgreSQL: ${dupMessages?.n} Message-IDs in several messages`);
        check(Number(dupMessages?.total) === EMAILS, `PostgreSQL: ${dupMessages?.total} email messages`);
        check(Number(dupTickets?.n) === 0, `PostgreSQL: ${dupTickets?.n} subjects with several tickets`);
        check(Number(waiting?.n) === 0, `PostgreSQL: ${waiting?.n} mails still received`);
        database.jobs = Object.fromEntries(jobs.map((j) => [`${j.name}/${j.state}`, Number(j.n)]));
      } finally {
        await db.end();
      }
    }

    // Mail in flight at the kill that the server had committed before dying: its 250 was lost and
    // the client's retry had to find the stored copy.
    const storedUnacknowledged = inFlightAtKill.filter((i) =>
      (byMessageId.get(mails[i]?.messageId ?? "") ?? []).some((r) => Date.parse(r.receivedAt) < killedAtWall),
    ).length;
    return {
      ok: failures.length === 0,
      failures,
      summary: {
        bench: "email-crash",
        store,
        emails: EMAILS,
        killAfterAccepted: KILL_AFTER,
        processesKilled,
        inFlightAtKill: inFlightAtKill.length,
        resentAfterAccepted: resent.length,
        smtpAttempts: stats.attempts,
        retries: stats.retries,
        failuresByKind: stats.failures,
        permanentRefusals: stats.permanentRefusals,
        stored: inbound.length,
        tickets: tickets.length,
        states,
        ...database,
        inFlightStoredBeforeKill: storedUnacknowledged,
        firstStartSeconds: Math.round(startedIn * 10) / 10,
        restartSeconds: Math.round((restartedAt - killedAt) / 100) / 10,
        sendSecondsBeforeKill: Math.round(sendBeforeKill * 10) / 10,
        sendSeconds: Math.round(sendSeconds * 10) / 10,
        processedSecondsAfterLastSend: Math.round(waitSeconds * 10) / 10,
        processedSecondsAfterKill: Math.round(allProcessedAfterKill * 10) / 10,
        totalSeconds: Math.round((performance.now() - began) / 100) / 10,
      },
    };
  } catch (err) {
    failures.push(`run failed: ${(err as Error).stack ?? err}`);
    return { ok: false, failures, summary: { bench: "email-crash", store } };
  } finally {
    if (server) await stopServer(server);
    if (failures.length > 0) {
      const lines = fs.existsSync(spec.logFile) ? fs.readFileSync(spec.logFile, "utf8").split("\n") : [];
      log(`server log (last 60 lines of ${lines.length}):\n${lines.slice(-60).join("\n")}`);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: ADMIN_DB_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  }
}

const storeArg = arg("store") ?? "postgres";
const stores: TStore[] =
  storeArg === "both" ? ["postgres", "embedded"] : storeArg === "embedded" ? ["embedded"] : ["postgres"];
let failed = false;
for (const store of stores) {
  const result = await run(store);
  console.log(JSON.stringify({ ok: result.ok, ...result.summary, failures: result.failures }));
  if (!result.ok) {
    failed = true;
    for (const f of result.failures) log(`FAIL (${store}): ${f}`);
  }
}
process.exit(failed ? 1 : 0);
