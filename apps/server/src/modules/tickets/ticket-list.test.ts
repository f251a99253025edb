import assert from "node:assert/strict";
import { test } from "node:test";
import type { TActor } from "../../lib/actor.ts";
import { AppError } from "../../lib/app-error.ts";
import { decodeListCursor, encodeListCursor, resolveFilters } from "./ticket-list.ts";

const ID = "0190a000-0000-7000-8000-000000000001";
const [A, B, C] = ["a", "b", "c"].map((x) => `0190a000-0000-7000-8000-00000000000${x}`) as [
  string,
  string,
  string,
];
const agent: TActor = { workspaceId: ID, userId: ID, role: "agent", brandIds: [A, B], via: "token" };
const admin: TActor = { ...agent, role: "admin", brandIds: null };
const now = new Date("2030-06-10T12:00:00Z");

const refusesCursor = (fn: () => unknown) =>
  assert.throws(fn, (e) => e instanceof AppError && e.code === "invalid_cursor" && e.status === 400);

test("a cursor continues only the order it was made for", () => {
  const byPriority = { by: "priority", direction: "desc" } as const;
  const cursor = encodeListCursor(byPriority, "3", ID);
  assert.deepEqual(decodeListCursor(cursor, byPriority), { value: "3", id: ID });
  refusesCursor(() => decodeListCursor(cursor, { by: "priority", direction: "asc" }));
  refusesCursor(() => decodeListCursor(cursor, { by: "status", direction: "desc" }));
  refusesCursor(() => decodeListCursor("bm90IGpzb24", byPriority));
  // A value that does not fit the column is refused before it reaches SQL.
  refusesCursor(() => decodeListCursor(encodeListCursor(byPriority, "urgent", ID), byPriority));
  const byUpdate = { by: "updated_at", direction: "desc" } as const;
  refusesCursor(() => decodeListCursor(encodeListCursor(byUpdate, "'; DROP TABLE tickets", ID), byUpdate));
  // Only columns that can be empty take a null value (the group of tickets without one comes last).
  refusesCursor(() => decodeListCursor(encodeListCursor(byUpdate, null, ID), byUpdate));
  const byDue = { by: "due_at", direction: "asc" } as const;
  assert.deepEqual(decodeListCursor(encodeListCursor(byDue, null, ID), byDue), { value: null, id: ID });
  const micro = "2030-01-01T10:00:00.123456Z";
  assert.deepEqual(decodeListCursor(encodeListCursor(byDue, micro, ID), byDue), { value: micro, id: ID });
});

test("cursors handed out before lists could be sorted still continue the default order", () => {
  const legacy = Buffer.from(JSON.stringify({ at: "2030-01-01T10:00:00.000Z", id: ID })).toString(
    "base64url",
  );
  assert.deepEqual(decodeListCursor(legacy, { by: "updated_at", direction: "desc" }), {
    value: "2030-01-01T10:00:00.000Z",
    id: ID,
  });
  refusesCursor(() => decodeListCursor(legacy, { by: "created_at", direction: "desc" }));
});

test("filters are resolved for the actor: brands they see, 'me', relative dates", () => {
  const f = resolveFilters(agent, { brandId: [B, C], assigneeId: ["me", "none", A], groupId: ["none"] }, now);
  assert.deepEqual(f?.brandIds, [B], "brand C is not the agent's");
  assert.deepEqual(f?.assignees, { ids: [ID, A], none: true });
  assert.deepEqual(f?.groups, { ids: [], none: true });
  assert.equal(resolveFilters(agent, { brandId: [C] }, now), null, "nothing can pass");
  assert.deepEqual(resolveFilters(agent, {}, now)?.brandIds, [A, B]);
  assert.equal(resolveFilters(admin, {}, now)?.brandIds, null);
  assert.equal(resolveFilters({ ...agent, brandIds: [] }, {}, now), null);

  // Both given: the later start wins.
  const dates = resolveFilters(
    admin,
    { createdFrom: "2030-06-01T00:00:00Z", createdWithinDays: 3, updatedTo: "2030-06-05T00:00:00+02:00" },
    now,
  );
  assert.deepEqual(dates?.created, { from: new Date("2030-06-07T12:00:00Z") });
  assert.deepEqual(dates?.updated, { to: new Date("2030-06-04T22:00:00Z") });
  assert.deepEqual(
    resolveFilters(admin, { createdFrom: "2030-06-09T00:00:00Z", createdWithinDays: 30 }, now)?.created,
    { from: new Date("2030-06-09T00:00:00Z") },
  );
  assert.equal(dates?.solved, undefined);
});
