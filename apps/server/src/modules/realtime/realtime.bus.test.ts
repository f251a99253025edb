import assert from "node:assert/strict";
import { test } from "node:test";
import type { TLiveEvent } from "../../lib/outbox.ts";
import { decodeBusMessage, packEvents } from "./realtime.bus.ts";

const ws = "01900000-0000-7000-8000-000000000001";
const brand = "01900000-0000-7000-8000-000000000002";
const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, "0")}`;

const changed = (ticket: number, status: "new" | "open"): TLiveEvent => ({
  type: "ticket.changed",
  workspaceId: ws,
  ticketId: id(ticket),
  brandId: brand,
  number: 1000 + ticket,
  status,
  assigneeId: null,
  updatedAt: "2026-12-01T10:00:00.000Z",
  reason: "message",
});
const created = (message: number, ticket: number): TLiveEvent => ({
  type: "message.created",
  workspaceId: ws,
  ticketId: id(ticket),
  brandId: brand,
  messageId: id(100_000 + message),
  kind: "reply",
  authorType: "customer",
});

test("a batch of mail fits in payloads under PostgreSQL's 8000-byte limit, each readable", () => {
  const events = Array.from({ length: 200 }, (_, i) => [created(i, i), changed(i, "open")]).flat();
  const payloads = packEvents(events);
  assert.ok(payloads.length > 1);
  for (const p of payloads) assert.ok(Buffer.byteLength(p) < 8000, `${Buffer.byteLength(p)} bytes`);
  const decoded = payloads.flatMap((p) => {
    const msg = decodeBusMessage(p);
    assert.equal(msg?.kind, "events");
    return msg?.kind === "events" ? msg.events : [];
  });
  assert.deepEqual(decoded, events);
});

test("a ticket changed several times in one transaction is told once, in its last state", () => {
  const events = [changed(1, "new"), created(1, 1), changed(2, "new"), changed(1, "open")];
  const [payload, ...rest] = packEvents(events);
  assert.deepEqual(rest, []);
  const msg = decodeBusMessage(payload as string);
  assert.deepEqual(msg?.kind === "events" && msg.events, [
    created(1, 1),
    changed(2, "new"),
    changed(1, "open"),
  ]);
});

test("nothing to tell is no payload; unreadable or foreign notifications are dropped", () => {
  assert.deepEqual(packEvents([]), []);
  assert.equal(decodeBusMessage("not json"), null);
  assert.equal(decodeBusMessage(JSON.stringify({ v: 2, kind: "events", events: [] })), null);
  assert.equal(decodeBusMessage(JSON.stringify({ v: 1, kind: "events", events: [{ type: "x" }] })), null);
  assert.equal(decodeBusMessage("null"), null);
});
