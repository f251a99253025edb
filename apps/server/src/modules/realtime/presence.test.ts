import assert from "node:assert/strict";
import { test } from "node:test";
import { createPresenceRegistry } from "./presence.ts";

const ws = "01900000-0000-7000-8000-000000000001";
const ticket = "01900000-0000-7000-8000-000000000002";
const ana = "01900000-0000-7000-8000-00000000000a";
const bo = "01900000-0000-7000-8000-00000000000b";

function setup() {
  let now = 0;
  const registry = createPresenceRegistry(() => now);
  const set = (key: string, userId: string, name: string, state: "viewing" | "typing" | "left") =>
    registry.set({ workspaceId: ws, ticketId: ticket, key, userId, name, state, ttlMs: 45_000 });
  return { registry, set, advance: (ms: number) => (now += ms) };
}

test("one entry per user, typing over viewing, sorted by name; a change is reported once", () => {
  const { registry, set } = setup();
  assert.equal(set("p1/s1", bo, "Bo", "viewing"), true);
  assert.equal(set("p1/s2", ana, "Ana", "viewing"), true);
  assert.equal(set("p2/s3", ana, "Ana", "typing"), true);
  // A heartbeat repeating the state changes nothing anyone sees.
  assert.equal(set("p2/s3", ana, "Ana", "typing"), false);
  assert.deepEqual(registry.users(ws, ticket), [
    { userId: ana, name: "Ana", state: "typing" },
    { userId: bo, name: "Bo", state: "viewing" },
  ]);
  // Ana's other socket still views the ticket.
  assert.equal(set("p2/s3", ana, "Ana", "left"), true);
  assert.deepEqual(registry.users(ws, ticket)[0], { userId: ana, name: "Ana", state: "viewing" });
  assert.equal(registry.remove(ws, ticket, "p1/s2"), true);
  assert.deepEqual(registry.users(ws, ticket), [{ userId: bo, name: "Bo", state: "viewing" }]);
});

test("entries expire without heartbeats; a heartbeat renews them", () => {
  const { registry, set, advance } = setup();
  set("p1/s1", ana, "Ana", "viewing");
  set("p2/s2", bo, "Bo", "viewing");
  advance(30_000);
  set("p1/s1", ana, "Ana", "viewing");
  advance(20_000);
  assert.deepEqual(registry.sweep(), [{ workspaceId: ws, ticketId: ticket }]);
  assert.deepEqual(registry.users(ws, ticket), [{ userId: ana, name: "Ana", state: "viewing" }]);
  assert.deepEqual(registry.sweep(), []);
  assert.deepEqual(
    registry.entriesWithPrefix("p1/").map((e) => e.key),
    ["p1/s1"],
  );
});
