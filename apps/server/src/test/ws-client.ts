import type { TClientFrame, TServerFrame } from "@switchboard/contracts";
import WebSocket from "ws";

/** How long a test waits for a frame or a close before it fails, naming what it waited for. */
const WAIT_MS = 10_000;

export type TTestSocket = {
  /** Every frame received so far, in order. */
  frames: TServerFrame[];
  send(frame: TClientFrame | string): void;
  /** The first frame (received already or to come) after those already taken that matches. */
  next<T extends TServerFrame>(what: string, match: (f: TServerFrame) => f is T): Promise<T>;
  next(what: string, match: (f: TServerFrame) => boolean): Promise<TServerFrame>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
};

/**
 * A real websocket client for tests (the `ws` package, so it can send cookies, tokens and an
 * Origin). Resolves once the connection is open; rejects with the HTTP status of a refused handshake.
 */
export function openSocket(
  baseUrl: string,
  opts: { cookie?: string; token?: string; origin?: string } = {},
): Promise<TTestSocket> {
  const url = `${baseUrl.replace(/^http/, "ws")}/api/v1/realtime`;
  const headers: Record<string, string> = {
    ...(opts.cookie ? { cookie: opts.cookie } : {}),
    ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
  };
  const socket = new WebSocket(url, { headers, ...(opts.origin ? { origin: opts.origin } : {}) });
  const frames: TServerFrame[] = [];
  let taken = 0;
  const waiters = new Set<() => void>();
  socket.on("message", (data) => {
    frames.push(JSON.parse(data.toString()) as TServerFrame);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on("close", (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const w of [...waiters]) w();
    });
  });
  const client: TTestSocket = {
    frames,
    send: (frame) => socket.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    next(what: string, match: (f: TServerFrame) => boolean) {
      return new Promise<TServerFrame>((resolve, reject) => {
        const check = () => {
          for (let i = taken; i < frames.length; i++) {
            const f = frames[i] as TServerFrame;
            if (match(f)) {
              taken = i + 1;
              done();
              resolve(f);
              return;
            }
          }
          if (socket.readyState === WebSocket.CLOSED) {
            done();
            reject(new Error(`socket closed while waiting for ${what}; got ${JSON.stringify(frames)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(frames)}`));
        }, WAIT_MS);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    closed,
    close: () => socket.close(),
  } as TTestSocket;
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(client));
    socket.once("unexpected-response", (_req, res) => {
      reject(Object.assign(new Error(`handshake refused: ${res.statusCode}`), { status: res.statusCode }));
      socket.terminate();
    });
    socket.once("error", (err) => reject(err));
  });
}

/** Resolves with the close code, or fails after the wait. */
export function closeCode(s: TTestSocket, what: string): Promise<{ code: number; reason: string }> {
  return Promise.race([
    s.closed,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`timed out waiting for the socket to close (${what})`)),
        WAIT_MS,
      ).unref(),
    ),
  ]);
}

export const isType =
  <K extends TServerFrame["type"]>(type: K) =>
  (f: TServerFrame): f is Extract<TServerFrame, { type: K }> =>
    f.type === type;

/** An event frame of this topic and event type (and ticket, when given). */
export const isEvent =
  (topic: string, type: string, ticketId?: string) =>
  (f: TServerFrame): f is Extract<TServerFrame, { type: "event" }> =>
    f.type === "event" &&
    f.topic === topic &&
    f.event.type === type &&
    (ticketId === undefined || f.event.ticketId === ticketId);

/** A socket, signed in: resolves after the ready frame. */
export async function readySocket(
  baseUrl: string,
  opts: { cookie?: string; token?: string; origin?: string },
): Promise<TTestSocket> {
  const s = await openSocket(baseUrl, opts);
  await s.next("ready", isType("ready"));
  return s;
}

/** Subscribes and waits for the answer (subscribed, or an error frame of the topic). */
export async function subscribe(s: TTestSocket, topic: string): Promise<TServerFrame> {
  s.send(JSON.stringify({ type: "subscribe", topic }));
  return s.next(
    `subscribe ${topic}`,
    (f) => (f.type === "subscribed" && f.topic === topic) || (f.type === "error" && f.topic === topic),
  );
}
