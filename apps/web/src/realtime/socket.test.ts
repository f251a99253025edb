import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { REALTIME_CLOSE, type TClientFrame, type TServerFrame } from "@switchboard/contracts";
import { createRealtime, type TSocketLike } from "./socket.ts";

const USER = "01900000-0000-7000-8000-00000000000a";
const TICKET = "01900000-0000-7000-8000-000000000001";

/** A socket the test plays the server of. */
class FakeSocket implements TSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: TClientFrame[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as TClientFrame);
  }
  close(code = 1000, reason = "") {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  /** Opens and signs in, as the server does. */
  open(presenceHeartbeatMs = 20_000) {
    this.readyState = 1;
    this.onopen?.({});
    this.receive({ type: "ready", userId: USER, presenceHeartbeatMs });
  }
  receive(frame: TServerFrame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  /** The server or the network ends it. */
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: "" });
  }
}

const last = () => {
  const s = FakeSocket.all.at(-1);
  assert.ok(s, "no socket was opened");
  return s;
};

beforeEach(() => {
  FakeSocket.all = [];
  mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
});
afterEach(() => mock.timers.reset());

const open = (extra: { random?: () => number } = {}) =>
  createRealtime({ url: "ws://app.test/api/v1/realtime", WebSocket: FakeSocket, random: () => 1, ...extra });

test("subscribes once signed in; subscriptions are counted per caller", () => {
  const live = open();
  const statuses: string[] = [];
  live.onStatus((s) => statuses.push(s));
  const stopA = live.subscribe(`ticket:${TICKET}`);
  const stopB = live.subscribe(`ticket:${TICKET}`);
  assert.equal(live.status, "connecting");
  last().open();
  assert.deepEqual(statuses, ["online"]);
  assert.deepEqual(last().sent, [{ type: "subscribe", topic: `ticket:${TICKET}` }]);
  stopA();
  stopA();
  assert.equal(last().sent.length, 1);
  stopB();
  assert.deepEqual(last().sent.at(-1), { type: "unsubscribe", topic: `ticket:${TICKET}` });
  live.close();
});

test("events and presence reach their handlers", () => {
  const live = open();
  const got: unknown[] = [];
  live.onEvent((event, topic) => got.push([topic, event.type]));
  live.onPresence((ticketId, users) => got.push([ticketId, users.length]));
  last().open();
  last().receive({
    type: "event",
    topic: "tickets",
    event: {
      type: "ticket.changed",
      ticketId: TICKET,
      brandId: TICKET,
      number: 1001,
      status: "open",
      assigneeId: null,
      updatedAt: "2026-12-01T10:00:00.000Z",
      reason: "updated",
    },
  });
  last().receive({
    type: "presence",
    ticketId: TICKET,
    users: [{ userId: USER, name: "Ana", state: "typing" }],
  });
  assert.deepEqual(got, [
    ["tickets", "ticket.changed"],
    [TICKET, 1],
  ]);
  live.close();
});

test("reconnects by itself, subscribes and tells presence again, then asks the app to refetch", () => {
  const live = open();
  let reconnects = 0;
  live.onReconnect(() => reconnects++);
  live.subscribe("tickets");
  live.subscribe(`ticket:${TICKET}`);
  live.setPresence(TICKET, "viewing");
  const first = last();
  first.open();
  first.receive({ type: "subscribed", topic: "tickets" });
  assert.equal(reconnects, 0, "not on the first connect");
  first.drop();
  assert.equal(live.status, "offline");
  mock.timers.tick(500);
  const second = last();
  assert.notEqual(second, first);
  second.open();
  assert.deepEqual(second.sent, [
    { type: "subscribe", topic: "tickets" },
    { type: "subscribe", topic: `ticket:${TICKET}` },
    { type: "presence", ticketId: TICKET, state: "viewing" },
  ]);
  second.receive({ type: "subscribed", topic: "tickets" });
  assert.equal(reconnects, 0, "not before every topic is subscribed again");
  second.receive({ type: "subscribed", topic: `ticket:${TICKET}` });
  assert.equal(reconnects, 1);
  second.receive({ type: "resync" });
  assert.equal(reconnects, 2);
  live.close();
});

test("backoff doubles with jitter up to about 15 s, and starts over once connected", () => {
  const delays: number[] = [];
  let random = 1;
  const live = open({ random: () => random });
  for (let i = 0; i < 8; i++) {
    const before = FakeSocket.all.length;
    last().drop();
    let waited = 0;
    while (FakeSocket.all.length === before) {
      mock.timers.tick(250);
      waited += 250;
    }
    delays.push(waited);
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  last().open();
  random = 0;
  const before = FakeSocket.all.length;
  last().drop();
  mock.timers.tick(250);
  assert.equal(
    FakeSocket.all.length,
    before + 1,
    "half the base delay with no jitter, after a good connection",
  );
  live.close();
});

test("a session that ended stops it for good and says so", () => {
  const live = open();
  let ended = 0;
  live.onSessionEnded(() => ended++);
  last().open();
  last().drop(REALTIME_CLOSE.sessionEnded);
  assert.equal(ended, 1);
  assert.equal(live.status, "offline");
  mock.timers.tick(60_000);
  assert.equal(FakeSocket.all.length, 1);
});

test("a link that does not answer a ping is dropped and reconnected; one that answers is kept", () => {
  const live = open();
  last().open();
  mock.timers.tick(25_000);
  assert.deepEqual(last().sent.at(-1), { type: "ping" });
  last().receive({ type: "pong" });
  mock.timers.tick(10_000);
  assert.equal(FakeSocket.all.length, 1);
  mock.timers.tick(15_000);
  mock.timers.tick(10_000);
  assert.equal(live.status, "offline");
  mock.timers.tick(500);
  assert.equal(FakeSocket.all.length, 2);
  live.close();
});

test("presence is repeated as a heartbeat until left", () => {
  const live = open();
  live.subscribe(`ticket:${TICKET}`);
  last().open(20_000);
  const presence = () => last().sent.filter((f) => f.type === "presence");
  live.setPresence(TICKET, "viewing");
  live.setPresence(TICKET, "viewing");
  assert.equal(presence().length, 1);
  live.setPresence(TICKET, "typing");
  mock.timers.tick(20_000);
  assert.deepEqual(presence().at(-1), { type: "presence", ticketId: TICKET, state: "typing" });
  assert.equal(presence().length, 3);
  live.setPresence(TICKET, "left");
  mock.timers.tick(40_000);
  assert.deepEqual(presence().at(-1), { type: "presence", ticketId: TICKET, state: "left" });
  assert.equal(presence().length, 4);
  live.close();
});

test("close() ends it without reconnecting; an http address becomes ws", () => {
  const live = createRealtime({ url: "https://app.test/api/v1/realtime", WebSocket: FakeSocket });
  assert.equal(last().url, "wss://app.test/api/v1/realtime");
  last().open();
  live.close();
  assert.equal(live.status, "offline");
  mock.timers.tick(60_000);
  assert.equal(FakeSocket.all.length, 1);
});
