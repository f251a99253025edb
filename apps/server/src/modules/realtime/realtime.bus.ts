import {
  ZId,
  ZMessageCreatedEvent,
  ZPresenceState,
  ZTicketChangedEvent,
  ZUserMentionedEvent,
} from "@switchboard/contracts";
import { sql } from "kysely";
import pg from "pg";
import { z } from "zod";
import type { TDatabase, TDb } from "../../db/connection.ts";
import type { TLiveEvent } from "../../lib/outbox.ts";

/** One channel for every workspace: each process filters what it delivers to its own sockets. */
export const REALTIME_CHANNEL = "switchboard_realtime";
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; events are packed below that. */
const MAX_PAYLOAD_BYTES = 7_800;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

const ZLiveEvent = z.discriminatedUnion("type", [
  ZTicketChangedEvent.extend({ workspaceId: ZId }),
  ZMessageCreatedEvent.extend({ workspaceId: ZId }),
  ZUserMentionedEvent.extend({ workspaceId: ZId, brandId: ZId, userId: ZId }),
]);

/** A presence entry as one process tells the others (one socket of a user on a ticket). */
const ZPresenceNotice = z.object({
  kind: z.literal("presence"),
  from: z.string(),
  workspaceId: ZId,
  ticketId: ZId,
  key: z.string().max(200),
  userId: ZId,
  name: z.string().max(500),
  state: ZPresenceState,
  ttlMs: z.number().int().positive().max(600_000),
});

/**
 * What travels between processes. `v` lets processes of two releases share a database during a
 * rolling deploy: a message of another version is ignored rather than misread.
 */
const ZBusMessage = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("events"), events: z.array(ZLiveEvent) }),
  ZPresenceNotice,
  /** A process (re)joined: the others tell it their presence entries. */
  z.object({ kind: z.literal("presence_sync"), from: z.string() }),
]);
export type TBusMessage = z.infer<typeof ZBusMessage>;
export type TPresenceNotice = z.infer<typeof ZPresenceNotice>;

const encode = (msg: TBusMessage) => JSON.stringify({ v: 1, ...msg });

/** A notification from the database: validated like any other input; anything else is dropped. */
export function decodeBusMessage(payload: string): TBusMessage | null {
  try {
    const raw = JSON.parse(payload) as { v?: unknown };
    if (raw?.v !== 1) return null;
    const parsed = ZBusMessage.safeParse(raw);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The events of one transaction as NOTIFY payloads: a ticket changed several times in it (a batch
 * of mail replying to one ticket) is told once, in its last state, and the rest packed in as few
 * payloads as fit under PostgreSQL's limit.
 */
export function packEvents(events: readonly TLiveEvent[]): string[] {
  const seen = new Set<string>();
  const kept: TLiveEvent[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as TLiveEvent;
    if (e.type === "ticket.changed") {
      if (seen.has(e.ticketId)) continue;
      seen.add(e.ticketId);
    }
    kept.push(e);
  }
  kept.reverse();
  const payloads: string[] = [];
  let chunk: string[] = [];
  let bytes = 0;
  const overhead = Buffer.byteLength(encode({ kind: "events", events: [] }));
  for (const e of kept) {
    const json = JSON.stringify(e);
    const size = Buffer.byteLength(json) + 1;
    if (chunk.length > 0 && overhead + bytes + size > MAX_PAYLOAD_BYTES) {
      payloads.push(`{"v":1,"kind":"events","events":[${chunk.join(",")}]}`);
      chunk = [];
      bytes = 0;
    }
    chunk.push(json);
    bytes += size;
  }
  if (chunk.length > 0) payloads.push(`{"v":1,"kind":"events","events":[${chunk.join(",")}]}`);
  return payloads;
}

export type TRealtimeBus = {
  /**
   * Starts listening. `onListening` runs each time the feed starts, `reconnected` when it was
   * interrupted before (events may have been missed meanwhile).
   */
  start(onMessage: (msg: TBusMessage) => void, onListening: (reconnected: boolean) => void): Promise<void>;
  /** NOTIFY inside the writing transaction: delivered to every process on commit, never on rollback. */
  publishInTransaction(trx: TDb, events: readonly TLiveEvent[]): Promise<void>;
  /**
   * Events of changes already committed: NOTIFY'd together a moment later, one statement for all
   * that arrive meanwhile (many writers then cost one round trip between them).
   */
  publishCommitted(events: readonly TLiveEvent[]): void;
  /** Best effort, outside any transaction (presence): to the other processes. */
  broadcast(msg: TBusMessage): void;
  stop(): Promise<void>;
};

export function createRealtimeBus(
  database: TDatabase,
  log: (msg: string, err?: unknown) => void,
): TRealtimeBus {
  async function publishInTransaction(trx: TDb, events: readonly TLiveEvent[]) {
    const payloads = packEvents(events);
    if (payloads.length === 1) {
      await sql`SELECT pg_notify(${REALTIME_CHANNEL}, ${payloads[0]})`.execute(trx);
    } else if (payloads.length > 1) {
      await sql`SELECT pg_notify(${REALTIME_CHANNEL}, p) FROM unnest(${payloads}::text[]) AS p`.execute(trx);
    }
  }

  let pending: TLiveEvent[] = [];
  function flushCommitted() {
    const payloads = packEvents(pending);
    pending = [];
    sql`SELECT pg_notify(${REALTIME_CHANNEL}, p) FROM unnest(${payloads}::text[]) AS p`
      .execute(database.db)
      .catch((err: unknown) => log("realtime: committed events could not be told", err));
  }
  function publishCommitted(events: readonly TLiveEvent[]) {
    if (events.length === 0) return;
    if (pending.length === 0) setImmediate(flushCommitted);
    pending.push(...events);
  }

  const handlePayload = (onMessage: (msg: TBusMessage) => void) => (payload: string) => {
    const msg = decodeBusMessage(payload);
    if (msg) onMessage(msg);
    else log("realtime: an unreadable notification was ignored");
  };

  const { pglite, url } = database;
  if (database.kind === "pglite" && pglite) {
    // One process owns the embedded store: there is nobody to broadcast presence to.
    let unlisten: (() => Promise<void>) | null = null;
    return {
      async start(onMessage, onListening) {
        unlisten = await pglite.listen(REALTIME_CHANNEL, handlePayload(onMessage));
        onListening(false);
      },
      publishInTransaction,
      publishCommitted,
      broadcast() {},
      async stop() {
        await unlisten?.().catch(() => {});
        unlisten = null;
      },
    };
  }
  if (!url) throw new Error("realtime needs the database's connection string to LISTEN");

  // A dedicated connection LISTENs (a pooled one would be handed to queries); it comes back by itself.
  let client: pg.Client | null = null;
  let stopped = false;
  let attempt = 0;
  let everConnected = false;
  let retry: NodeJS.Timeout | null = null;

  async function connect(
    onMessage: (msg: TBusMessage) => void,
    onListening: (reconnected: boolean) => void,
  ): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: "switchboard-realtime" });
    const onPayload = handlePayload(onMessage);
    c.on("notification", (n) => {
      if (n.channel === REALTIME_CHANNEL && n.payload) onPayload(n.payload);
    });
    const lost = (err?: unknown) => {
      if (client !== c) return;
      client = null;
      c.end().catch(() => {});
      if (stopped) return;
      // Expected on a database restart or failover: one line, not a stack.
      log(
        `realtime: the LISTEN connection was lost (${(err as Error | undefined)?.message ?? "ended"}); reconnecting`,
      );
      schedule(onMessage, onListening);
    };
    c.on("error", lost);
    c.on("end", () => lost());
    try {
      await c.connect();
      await c.query(`LISTEN ${REALTIME_CHANNEL}`);
    } catch (err) {
      c.end().catch(() => {});
      throw err;
    }
    if (stopped) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    attempt = 0;
    onListening(everConnected);
    everConnected = true;
  }

  function schedule(onMessage: (msg: TBusMessage) => void, onListening: (reconnected: boolean) => void) {
    if (stopped || retry) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempt++);
    retry = setTimeout(() => {
      retry = null;
      connect(onMessage, onListening).catch((err: unknown) => {
        log("realtime: LISTEN failed; trying again", err);
        schedule(onMessage, onListening);
      });
    }, delay);
    retry.unref();
  }

  // Notices go out on the listening connection, one statement at a time with all that waits.
  const outgoing: string[] = [];
  let flushing = false;
  async function flush() {
    flushing = true;
    while (outgoing.length > 0 && client) {
      const payloads = outgoing.splice(0, 100);
      await client
        .query("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p", [REALTIME_CHANNEL, payloads])
        .catch((err: unknown) => log("realtime: presence notices were not sent", err));
    }
    outgoing.length = 0;
    flushing = false;
  }

  return {
    async start(onMessage, onListening) {
      stopped = false;
      try {
        await connect(onMessage, onListening);
      } catch (err) {
        // The server starts anyway; live updates follow once the database answers.
        log("realtime: LISTEN failed; trying again", err);
        schedule(onMessage, onListening);
      }
    },
    publishInTransaction,
    publishCommitted,
    broadcast(msg) {
      if (!client) return;
      outgoing.push(encode(msg));
      if (!flushing) void flush();
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      retry = null;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
