import type {
  TClientFrame,
  TPresenceState,
  TRealtimeEvent,
  TRealtimeTopic,
  TServerFrame,
} from "@switchboard/contracts";
import type { WebSocket } from "ws";
import type { TDatabase } from "../../db/connection.ts";
import type { TCredential } from "../../http/auth-hook.ts";
import { canSeeBrand, type TActor } from "../../lib/actor.ts";
import { AppError } from "../../lib/app-error.ts";
import { newId } from "../../lib/ids.ts";
import type { TLiveEvent, TOutbox, TOutboxEvent } from "../../lib/outbox.ts";
import { createPresenceRegistry } from "./presence.ts";
import { createRealtimeBus, type TBusMessage } from "./realtime.bus.ts";
import { runConnection, type TConnection } from "./realtime.connection.ts";
import { REALTIME_DEFAULTS, type TRealtimeOptions } from "./realtime.options.ts";

export type TRealtimeDeps = {
  database: TDatabase;
  outbox: TOutbox;
  /** The actor of a credential now, or null (revoked, signed out, expired, deactivated). */
  authenticate(credential: TCredential): Promise<TActor | null>;
  userName(actor: TActor): Promise<string>;
  /** The ticket's brand when the actor may see it, as GET /tickets/:id decides; else a 404 AppError. */
  ticketBrand(actor: TActor, ticketId: string): Promise<string>;
  log(msg: string, err?: unknown): void;
  options?: Partial<TRealtimeOptions>;
};

const LIVE_TYPES = ["ticket.changed", "message.created", "user.mentioned"] as const;
const isLiveEvent = (e: TOutboxEvent): e is TLiveEvent => (LIVE_TYPES as readonly string[]).includes(e.type);

/** The client's form of an event: the internal routing fields (workspace, recipient) left out. */
function clientEvent(e: TLiveEvent): TRealtimeEvent {
  switch (e.type) {
    case "ticket.changed": {
      const { workspaceId: _w, ...event } = e;
      return event;
    }
    case "message.created": {
      const { workspaceId: _w, ...event } = e;
      return event;
    }
    case "user.mentioned": {
      const { workspaceId: _w, brandId: _b, userId: _u, ...event } = e;
      return event;
    }
  }
}

/**
 * Live updates for the staff: sockets subscribe to topics; events come from the outbox as NOTIFY
 * in the writing transaction, so every process hears them once they are committed, and each
 * delivers to its own sockets what their user may see. Presence lives in each process's memory and
 * is told to the others (best effort), with heartbeats and expiry.
 */
export function createRealtimeService(deps: TRealtimeDeps) {
  const o: TRealtimeOptions = { ...REALTIME_DEFAULTS, ...deps.options };
  const processId = newId();
  const bus = createRealtimeBus(deps.database, deps.log);
  const presence = createPresenceRegistry();
  const sockets = new Map<string, { heartbeat(): void }>();
  const connections = new Set<TConnection>();
  /** Subscribers by "<workspace> <topic>"; a user's own topic is "<workspace> me:<user>". */
  const index = new Map<string, Set<TConnection>>();
  const timers: NodeJS.Timeout[] = [];

  deps.outbox.subscribeMany(LIVE_TYPES, (trx, events) => bus.publishInTransaction(trx, events));
  deps.outbox.onCommitted((events) => bus.publishCommitted(events.filter(isLiveEvent)));

  const indexKey = (c: TConnection, topic: TRealtimeTopic) =>
    topic === "me" ? `${c.workspaceId} me:${c.userId}` : `${c.workspaceId} ${topic}`;

  function fanOut(key: string, topic: TRealtimeTopic, event: TRealtimeEvent, brandId: string) {
    const subscribers = index.get(key);
    if (!subscribers) return;
    const frame = JSON.stringify({ type: "event", topic, event } satisfies TServerFrame);
    // Brand access as it is now (re-read periodically), not as it was at subscribe time.
    for (const c of subscribers) if (canSeeBrand(c.actor, brandId)) c.send(frame);
  }

  function deliver(e: TLiveEvent) {
    const event = clientEvent(e);
    const ws = e.workspaceId;
    switch (e.type) {
      case "ticket.changed":
        fanOut(`${ws} tickets`, "tickets", event, e.brandId);
        fanOut(`${ws} ticket:${e.ticketId}`, `ticket:${e.ticketId}`, event, e.brandId);
        return;
      case "message.created":
        fanOut(`${ws} ticket:${e.ticketId}`, `ticket:${e.ticketId}`, event, e.brandId);
        return;
      case "user.mentioned":
        fanOut(`${ws} me:${e.userId}`, "me", event, e.brandId);
        return;
    }
  }

  function showPresence(workspaceId: string, ticketId: string) {
    const subscribers = index.get(`${workspaceId} ticket:${ticketId}`);
    if (!subscribers) return;
    const frame = JSON.stringify({
      type: "presence",
      ticketId,
      users: presence.users(workspaceId, ticketId),
    } satisfies TServerFrame);
    for (const c of subscribers) c.send(frame);
  }

  const presenceKey = (c: TConnection) => `${processId}/${c.id}`;

  function setPresence(c: TConnection, ticketId: string, state: TPresenceState) {
    if (state === "left") c.presence.delete(ticketId);
    else c.presence.add(ticketId);
    const entry = {
      workspaceId: c.workspaceId,
      ticketId,
      key: presenceKey(c),
      userId: c.userId,
      name: c.name,
      state,
      ttlMs: o.presenceTtlMs,
    };
    if (presence.set(entry)) showPresence(c.workspaceId, ticketId);
    // Every heartbeat too: it renews the entry in the other processes.
    bus.broadcast({ kind: "presence", from: processId, ...entry });
  }

  function onBusMessage(msg: TBusMessage) {
    switch (msg.kind) {
      case "events":
        for (const e of msg.events) deliver(e);
        return;
      case "presence":
        if (msg.from !== processId && presence.set(msg)) showPresence(msg.workspaceId, msg.ticketId);
        return;
      case "presence_sync":
        if (msg.from === processId) return;
        for (const e of presence.entriesWithPrefix(`${processId}/`)) {
          const ttlMs = Math.max(1, Math.round(e.expiresAt - Date.now()));
          bus.broadcast({ kind: "presence", from: processId, ...e, ttlMs });
        }
        return;
    }
  }

  function onListening(reconnected: boolean) {
    // Learn the other processes' presence entries now rather than at their next heartbeats.
    bus.broadcast({ kind: "presence_sync", from: processId });
    if (!reconnected) return;
    for (const c of connections) c.send({ type: "resync" });
  }

  async function frame(c: TConnection, f: TClientFrame, refresh: () => Promise<boolean>) {
    switch (f.type) {
      case "ping":
        c.send({ type: "pong" });
        return;
      case "subscribe": {
        const { topic } = f;
        if (c.topics.has(topic)) {
          c.send({ type: "subscribed", topic });
          return;
        }
        if (c.topics.size >= o.maxTopics) {
          c.send({ type: "error", code: "too_many_topics", message: `At most ${o.maxTopics} topics`, topic });
          return;
        }
        // The session is checked on every subscribe: a signed-out user gets nothing new.
        if (!(await refresh())) return;
        const ticketId = topic.startsWith("ticket:") ? topic.slice("ticket:".length) : null;
        if (ticketId) {
          try {
            await deps.ticketBrand(c.actor, ticketId);
          } catch (err) {
            if (!(err instanceof AppError) || err.status !== 404) throw err;
            c.send({ type: "error", code: "not_found", message: "No such ticket", topic });
            return;
          }
        }
        c.topics.add(topic);
        const key = indexKey(c, topic);
        index.set(key, (index.get(key) ?? new Set()).add(c));
        c.send({ type: "subscribed", topic });
        if (ticketId) {
          c.send({ type: "presence", ticketId, users: presence.users(c.workspaceId, ticketId) });
        }
        return;
      }
      case "unsubscribe": {
        const { topic } = f;
        unsubscribe(c, topic);
        c.send({ type: "unsubscribed", topic });
        return;
      }
      case "presence":
        if (!c.topics.has(`ticket:${f.ticketId}`)) {
          c.send({
            type: "error",
            code: "not_subscribed",
            message: `Subscribe to ticket:${f.ticketId} before telling presence on it`,
            topic: `ticket:${f.ticketId}`,
          });
          return;
        }
        // "left" for a ticket this socket was not on changes nothing and need not be told.
        if (f.state === "left" && !c.presence.has(f.ticketId)) return;
        setPresence(c, f.ticketId, f.state);
        return;
    }
  }

  function unsubscribe(c: TConnection, topic: TRealtimeTopic) {
    if (!c.topics.delete(topic)) return;
    const key = indexKey(c, topic);
    const subscribers = index.get(key);
    subscribers?.delete(c);
    if (subscribers?.size === 0) index.delete(key);
    const ticketId = topic.startsWith("ticket:") ? topic.slice("ticket:".length) : null;
    if (ticketId && c.presence.has(ticketId)) setPresence(c, ticketId, "left");
  }

  const handlers = {
    authenticate: deps.authenticate,
    userName: deps.userName,
    log: deps.log,
    frame,
    attach(c: TConnection) {
      connections.add(c);
    },
    detach(c: TConnection) {
      for (const topic of [...c.topics]) unsubscribe(c, topic);
      connections.delete(c);
      sockets.delete(c.id);
    },
  };

  return {
    async start(): Promise<void> {
      await bus.start(onBusMessage, onListening);
      const sweep = setInterval(() => {
        for (const t of presence.sweep()) showPresence(t.workspaceId, t.ticketId);
      }, o.presenceSweepMs);
      const ping = setInterval(() => {
        for (const s of sockets.values()) s.heartbeat();
      }, o.pingMs);
      sweep.unref();
      ping.unref();
      timers.push(sweep, ping);
    },

    async stop(): Promise<void> {
      for (const t of timers.splice(0)) clearInterval(t);
      await bus.stop();
    },

    /** Takes an upgraded socket; its credential (or none) is checked before anything else. */
    accept(socket: WebSocket, credential: TCredential | null): void {
      const id = newId();
      const run = runConnection(socket, credential, id, handlers, o);
      sockets.set(id, run);
      socket.on("close", () => sockets.delete(id));
    },

    /** Open sockets in this process (for metrics and tests). */
    connectionCount: () => sockets.size,
  };
}
export type TRealtimeService = ReturnType<typeof createRealtimeService>;
