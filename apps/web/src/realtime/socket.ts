// Types only: the contracts package carries zod, which the app must not bundle for this.
import type {
  TClientFrame,
  TPresenceState,
  TPresenceUser,
  TRealtimeEvent,
  TRealtimeTopic,
  TServerFrame,
} from "@switchboard/contracts";

/**
 * Live updates for the staff app, framework-free: one websocket that reconnects by itself.
 *
 *   const live = createRealtime({ url: "/api/v1/realtime" });
 *   live.onStatus((s) => showBanner(s));              // "connecting" | "online" | "offline"
 *   live.onSessionEnded(() => askToSignIn());         // the server closed it: no more reconnects
 *   live.onReconnect(() => refetchEverythingShown()); // after each reconnect: what was missed
 *   const stop = live.subscribe(`ticket:${id}`);      // an unsubscribe function
 *   live.onEvent((event, topic) => invalidate(event));
 *   live.onPresence((ticketId, users) => showWhoIsHere(ticketId, users));
 *   live.setPresence(id, "viewing");                  // "typing" while typing, "left" on leaving
 *
 * Events say what changed, by id; the app refetches through the REST API. Subscribe to a
 * ticket's topic before telling presence on it.
 */

export type TRealtimeStatus = "connecting" | "online" | "offline";
export type TRealtimeError = { code: string; message: string; topic?: string | undefined };

/** What this needs of a WebSocket (the browser's fits; tests pass their own). */
export type TSocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
};
export type TSocketConstructor = new (url: string) => TSocketLike;

export type TRealtimeClientOptions = {
  /** "/api/v1/realtime" (same origin, ws: or wss: as the page) or a full ws(s):// address. */
  url: string;
  WebSocket?: TSocketConstructor;
  /** Reconnect delays: base doubling up to max, each with random jitter (half to all of it). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A ping every pingMs; no answer (or any frame) within pongTimeoutMs means the link is dead. */
  pingMs?: number;
  pongTimeoutMs?: number;
  random?: () => number;
};

/** The page, where there is one (a test or a worker may have no location or online event). */
const page = globalThis as {
  location?: { href: string };
  addEventListener?: (type: "online", listener: () => void) => void;
  removeEventListener?: (type: "online", listener: () => void) => void;
};

/** REALTIME_CLOSE.sessionEnded in the contracts (a value import would bundle zod). */
const SESSION_ENDED = 4401;
const OPEN = 1;

type THandlers<T extends unknown[]> = Set<(...args: T) => void>;

export function createRealtime(options: TRealtimeClientOptions) {
  const Socket = options.WebSocket ?? (globalThis.WebSocket as unknown as TSocketConstructor);
  const baseMs = options.backoffBaseMs ?? 500;
  const maxMs = options.backoffMaxMs ?? 15_000;
  const pingMs = options.pingMs ?? 25_000;
  const pongTimeoutMs = options.pongTimeoutMs ?? 10_000;
  const random = options.random ?? Math.random;

  const handlers = {
    event: new Set() as THandlers<[TRealtimeEvent, TRealtimeTopic]>,
    presence: new Set() as THandlers<[string, TPresenceUser[]]>,
    status: new Set() as THandlers<[TRealtimeStatus]>,
    reconnect: new Set() as THandlers<[]>,
    sessionEnded: new Set() as THandlers<[]>,
    error: new Set() as THandlers<[TRealtimeError]>,
  };
  const emit = <T extends unknown[]>(set: THandlers<T>, ...args: T) => {
    for (const h of [...set]) {
      try {
        h(...args);
      } catch (err) {
        // One broken handler must not stop the others nor the socket.
        console.error("realtime handler failed", err);
      }
    }
  };
  const on =
    <T extends unknown[]>(set: THandlers<T>) =>
    (handler: (...args: T) => void): (() => void) => {
      set.add(handler);
      return () => set.delete(handler);
    };

  /** Topics wanted, with how many subscribe() calls hold each. */
  const topics = new Map<TRealtimeTopic, number>();
  /** The presence states to tell (and repeat) on each ticket. */
  const presence = new Map<string, Exclude<TPresenceState, "left">>();

  let socket: TSocketLike | null = null;
  let status: TRealtimeStatus = "offline";
  let stopped = false;
  let ready = false;
  let everReady = false;
  let attempt = 0;
  let presenceHeartbeatMs = 20_000;
  /** After a reconnect, the topics whose subscribe is not answered yet: onReconnect waits for them. */
  let awaitingAcks: Set<string> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let pingTimer: ReturnType<typeof setInterval> | null = null;
  let deadTimer: ReturnType<typeof setTimeout> | null = null;
  let presenceTimer: ReturnType<typeof setInterval> | null = null;

  const setStatus = (next: TRealtimeStatus) => {
    if (next === status) return;
    status = next;
    emit(handlers.status, next);
  };

  const send = (frame: TClientFrame) => {
    if (ready && socket?.readyState === OPEN) socket.send(JSON.stringify(frame));
  };

  function resolveUrl(): string {
    if (/^wss?:\/\//.test(options.url)) return options.url;
    const u = new URL(options.url, page.location?.href);
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    return u.toString();
  }

  function clearTimers() {
    for (const t of [pingTimer, presenceTimer]) if (t) clearInterval(t);
    for (const t of [retryTimer, deadTimer]) if (t) clearTimeout(t);
    pingTimer = presenceTimer = retryTimer = deadTimer = null;
  }

  function connect() {
    retryTimer = null;
    if (stopped) return;
    setStatus("connecting");
    ready = false;
    const s = new Socket(resolveUrl());
    socket = s;
    s.onmessage = (ev) => {
      if (socket !== s) return;
      // Any frame shows the link is alive.
      if (deadTimer) clearTimeout(deadTimer);
      deadTimer = null;
      let frame: TServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as TServerFrame;
      } catch {
        return;
      }
      receive(frame);
    };
    s.onclose = (ev) => {
      if (socket !== s) return;
      socket = null;
      ready = false;
      clearTimers();
      if (ev.code === SESSION_ENDED) {
        stopped = true;
        setStatus("offline");
        emit(handlers.sessionEnded);
        return;
      }
      if (stopped) {
        setStatus("offline");
        return;
      }
      setStatus("offline");
      scheduleReconnect();
    };
    // A failed connection is followed by close, which reconnects.
    s.onerror = () => {};
    s.onopen = () => {};
  }

  function scheduleReconnect() {
    const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
    attempt++;
    retryTimer = setTimeout(connect, ceiling / 2 + random() * (ceiling / 2));
  }

  /** Drops the link (it went quiet) and reconnects as after any loss. */
  function dropDeadLink() {
    const s = socket;
    if (!s) return;
    s.onclose?.({ code: 4000, reason: "no answer to ping" });
    s.onclose = s.onmessage = null;
    try {
      s.close();
    } catch {
      // Closing a socket that never opened may throw; it is abandoned either way.
    }
  }

  function maybeReconnected(topic?: string) {
    if (!awaitingAcks) return;
    if (topic) awaitingAcks.delete(topic);
    if (awaitingAcks.size > 0) return;
    awaitingAcks = null;
    emit(handlers.reconnect);
  }

  function receive(frame: TServerFrame) {
    switch (frame.type) {
      case "ready": {
        ready = true;
        attempt = 0;
        presenceHeartbeatMs = frame.presenceHeartbeatMs;
        setStatus("online");
        // Subscriptions and presence are per connection: told again after every reconnect, and
        // onReconnect runs once they are answered, so that a refetch misses nothing.
        if (everReady) awaitingAcks = new Set(topics.keys());
        for (const topic of topics.keys()) send({ type: "subscribe", topic });
        for (const [ticketId, state] of presence) send({ type: "presence", ticketId, state });
        if (everReady) maybeReconnected();
        everReady = true;
        pingTimer = setInterval(() => {
          send({ type: "ping" });
          if (!deadTimer) deadTimer = setTimeout(dropDeadLink, pongTimeoutMs);
        }, pingMs);
        presenceTimer = setInterval(() => {
          for (const [ticketId, state] of presence) send({ type: "presence", ticketId, state });
        }, presenceHeartbeatMs);
        return;
      }
      case "subscribed":
        maybeReconnected(frame.topic);
        return;
      case "unsubscribed":
      case "pong":
        return;
      case "error":
        if (frame.topic) {
          // A topic refused (the ticket is gone or not ours) is not asked for again.
          if (frame.code === "not_found") topics.delete(frame.topic as TRealtimeTopic);
          maybeReconnected(frame.topic);
        }
        emit(handlers.error, { code: frame.code, message: frame.message, topic: frame.topic });
        return;
      case "event":
        emit(handlers.event, frame.event, frame.topic);
        return;
      case "presence":
        emit(handlers.presence, frame.ticketId, frame.users);
        return;
      case "resync":
        emit(handlers.reconnect);
        return;
    }
  }

  const onBrowserOnline = () => {
    // Back online: try now rather than at the end of a long backoff.
    if (retryTimer && !stopped) {
      clearTimeout(retryTimer);
      attempt = 0;
      connect();
    }
  };
  page.addEventListener?.("online", onBrowserOnline);

  function unsubscribe(topic: TRealtimeTopic): void {
    if (!topics.delete(topic)) return;
    send({ type: "unsubscribe", topic });
  }

  connect();

  return {
    get status(): TRealtimeStatus {
      return status;
    },

    /** Starts receiving a topic's events; call the returned function to stop (counted per call). */
    subscribe(topic: TRealtimeTopic): () => void {
      const held = topics.get(topic) ?? 0;
      topics.set(topic, held + 1);
      if (held === 0) send({ type: "subscribe", topic });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const n = topics.get(topic) ?? 0;
        if (n > 1) topics.set(topic, n - 1);
        else if (n === 1) unsubscribe(topic);
      };
    },

    /** Stops a topic whoever subscribed it. */
    unsubscribe,

    /** "viewing" or "typing" is repeated as a heartbeat until "left" (or the socket closes). */
    setPresence(ticketId: string, state: TPresenceState): void {
      if (state === "left") {
        if (presence.delete(ticketId)) send({ type: "presence", ticketId, state });
        return;
      }
      if (presence.get(ticketId) === state) return;
      presence.set(ticketId, state);
      send({ type: "presence", ticketId, state });
    },

    onEvent: on(handlers.event),
    onPresence: on(handlers.presence),
    /** Status changes: "connecting", "online" (signed in and ready), "offline" (waiting to retry, or closed). */
    onStatus: on(handlers.status),
    /** After every reconnect (not the first connect) and when the server says events were missed. */
    onReconnect: on(handlers.reconnect),
    /** The server closed the socket because the session ended: sign in again, then create a new one. */
    onSessionEnded: on(handlers.sessionEnded),
    /** Error frames: a refused topic (not_found), a frame the server could not read. */
    onError: on(handlers.error),

    /** Closes for good (signing out, leaving the app). */
    close(): void {
      stopped = true;
      clearTimers();
      page.removeEventListener?.("online", onBrowserOnline);
      const s = socket;
      socket = null;
      ready = false;
      s?.close(1000, "closed by the app");
      setStatus("offline");
    },
  };
}
export type TRealtime = ReturnType<typeof createRealtime>;
