import {
  REALTIME_CLOSE,
  type TClientFrame,
  type TRealtimeTopic,
  type TServerFrame,
  ZClientFrame,
} from "@switchboard/contracts";
import type { RawData, WebSocket } from "ws";
import type { TCredential } from "../../http/auth-hook.ts";
import type { TActor } from "../../lib/actor.ts";
import type { TRealtimeOptions } from "./realtime.options.ts";

/** One signed-in socket, as the service's topic index and delivery see it. */
export type TConnection = {
  readonly id: string;
  readonly workspaceId: string;
  readonly userId: string;
  readonly name: string;
  /** Re-read on every subscribe and periodically: brand access may change, the session may end. */
  actor: TActor;
  readonly topics: Set<TRealtimeTopic>;
  /** The tickets this socket has told its presence on. */
  readonly presence: Set<string>;
  send(frame: TServerFrame | string): void;
  close(code: number, reason: string): void;
};

/** What a socket asks of the service once it is signed in. */
export type TConnectionHandlers = {
  authenticate(credential: TCredential): Promise<TActor | null>;
  userName(actor: TActor): Promise<string>;
  attach(c: TConnection): void;
  detach(c: TConnection): void;
  frame(c: TConnection, frame: TClientFrame, refresh: () => Promise<boolean>): Promise<void>;
  log(msg: string, err?: unknown): void;
};

/** A token bucket: `burst` frames at once, then `perSecond` sustained. */
export function frameBudget(burst: number, perSecond: number, now: () => number = Date.now) {
  let tokens = burst;
  let last = now();
  return (): boolean => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) * perSecond) / 1000);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

const textOf = (data: RawData): string =>
  Buffer.isBuffer(data)
    ? data.toString("utf8")
    : Array.isArray(data)
      ? Buffer.concat(data).toString("utf8")
      : Buffer.from(data).toString("utf8");

/**
 * Runs one websocket: signs it in (a missing or ended session closes it with 4401, so a browser,
 * which cannot read a refused handshake's status, knows to ask for sign-in), then validates each
 * frame and hands it to the service, one at a time and in order. Returns the keep-alive check that
 * the service calls every ping interval.
 */
export function runConnection(
  socket: WebSocket,
  credential: TCredential | null,
  connId: string,
  handlers: TConnectionHandlers,
  o: TRealtimeOptions,
): { heartbeat(): void } {
  const budget = frameBudget(o.frameBurst, o.framesPerSecond);
  let conn: TConnection | null = null;
  let closing = false;
  let alive = true;
  let sessionTimer: NodeJS.Timeout | null = null;
  // Frames are handled in order, each after the one before (and after signing in) is done.
  let chain: Promise<void> = Promise.resolve();

  const close = (code: number, reason: string) => {
    if (closing) return;
    closing = true;
    socket.close(code, reason);
    // A peer that does not answer the close handshake is cut off rather than waited for.
    setTimeout(() => socket.terminate(), 5_000).unref();
  };
  const send = (frame: TServerFrame | string) => {
    if (closing || socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > o.maxBufferedBytes) {
      close(REALTIME_CLOSE.tooSlow, "too slow: reconnect and refetch");
      return;
    }
    socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  };
  const refresh = async (): Promise<boolean> => {
    const actor = credential ? await handlers.authenticate(credential) : null;
    if (!conn || closing) return false;
    if (!actor) {
      close(REALTIME_CLOSE.sessionEnded, "session_ended");
      return false;
    }
    conn.actor = actor;
    return true;
  };

  socket.on("message", (data, isBinary) => {
    if (closing) return;
    if (!budget()) {
      close(1008, "too many frames");
      return;
    }
    chain = chain
      .then(async () => {
        if (!conn || closing) return;
        const c = conn;
        let json: unknown;
        try {
          json = isBinary ? undefined : JSON.parse(textOf(data));
        } catch {
          send({ type: "error", code: "invalid_json", message: "A frame must be one JSON object" });
          return;
        }
        const parsed = ZClientFrame.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
          send({
            type: "error",
            code: "invalid_frame",
            message: `${where}${issue?.message ?? "invalid frame"}`,
          });
          return;
        }
        await handlers.frame(c, parsed.data, refresh);
      })
      .catch((err: unknown) => {
        handlers.log("realtime: a frame failed", err);
        send({ type: "error", code: "internal_error", message: "Something went wrong on our side" });
      });
  });
  socket.on("pong", () => {
    alive = true;
  });
  socket.on("close", () => {
    closing = true;
    if (sessionTimer) clearInterval(sessionTimer);
    // After the frame in hand, so a subscribe being checked is not indexed after the socket left.
    chain = chain.then(() => {
      if (conn) handlers.detach(conn);
      conn = null;
    });
  });

  chain = chain
    .then(async () => {
      const actor = credential ? await handlers.authenticate(credential) : null;
      if (closing) return;
      if (!actor) {
        close(REALTIME_CLOSE.sessionEnded, "unauthenticated");
        return;
      }
      const name = await handlers.userName(actor);
      if (closing) return;
      conn = {
        id: connId,
        workspaceId: actor.workspaceId,
        userId: actor.userId,
        name,
        actor,
        topics: new Set(),
        presence: new Set(),
        send,
        close,
      };
      handlers.attach(conn);
      send({ type: "ready", userId: actor.userId, presenceHeartbeatMs: o.presenceHeartbeatMs });
      sessionTimer = setInterval(() => {
        chain = chain
          .then(
            () => refresh().then(() => {}),
            // A database that does not answer keeps the socket as it was; the next check tries again.
          )
          .catch((err: unknown) => handlers.log("realtime: checking a session failed", err));
      }, o.sessionCheckMs);
      sessionTimer.unref();
    })
    .catch((err: unknown) => {
      handlers.log("realtime: signing a socket in failed", err);
      close(1011, "internal error");
    });

  return {
    heartbeat() {
      if (closing) return;
      if (!alive) {
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    },
  };
}
