import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError } from "../../lib/app-error.ts";
import { changeStatus, statusAfterMessage, statusTimestamps } from "./status-machine.ts";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    return `${err.status} ${err.code}`;
  }
  return "ok";
};

describe("ticket status machine", () => {
  test("staff move a ticket along new → open → pending | on_hold → solved → closed", () => {
    assert.equal(changeStatus("new", "open"), "open");
    assert.equal(changeStatus("open", "pending"), "pending");
    assert.equal(changeStatus("pending", "on_hold"), "on_hold");
    assert.equal(changeStatus("on_hold", "solved"), "solved");
    assert.equal(changeStatus("solved", "closed"), "closed");
    assert.equal(changeStatus("new", "solved"), "solved");
    assert.equal(changeStatus("solved", "open"), "open");
  });

  test("closed is final: every change to it is 409 ticket_closed", () => {
    for (const to of ["new", "open", "pending", "on_hold", "solved", "closed"] as const) {
      assert.equal(
        code(() => changeStatus("closed", to)),
        "409 ticket_closed",
      );
    }
    assert.equal(
      code(() => statusAfterMessage("closed", { author: "customer", kind: "reply" })),
      "409 ticket_closed",
    );
    assert.equal(
      code(() => statusAfterMessage("closed", { author: "staff", kind: "note" })),
      "409 ticket_closed",
    );
  });

  test("nothing goes back to new, and only a solved ticket can be closed", () => {
    assert.equal(
      code(() => changeStatus("open", "new")),
      "409 invalid_status_transition",
    );
    assert.equal(
      code(() => changeStatus("open", "closed")),
      "409 invalid_status_transition",
    );
    assert.equal(
      code(() => changeStatus("new", "closed")),
      "409 invalid_status_transition",
    );
  });

  test("a customer reply reopens solved and pending tickets; notes change nothing", () => {
    assert.equal(statusAfterMessage("solved", { author: "customer", kind: "reply" }), "open");
    assert.equal(statusAfterMessage("pending", { author: "customer", kind: "reply" }), "open");
    assert.equal(statusAfterMessage("on_hold", { author: "customer", kind: "reply" }), "on_hold");
    assert.equal(statusAfterMessage("new", { author: "customer", kind: "reply" }), "new");
    assert.equal(statusAfterMessage("solved", { author: "staff", kind: "note" }), "solved");
  });

  test("a staff reply opens a new ticket and leaves other statuses alone", () => {
    assert.equal(statusAfterMessage("new", { author: "staff", kind: "reply" }), "open");
    assert.equal(statusAfterMessage("pending", { author: "staff", kind: "reply" }), "pending");
    assert.equal(statusAfterMessage("new", { author: "staff", kind: "note" }), "new");
  });

  test("solved_at and closed_at follow the status", () => {
    const t0 = new Date("2025-01-01T00:00:00Z");
    const t1 = new Date("2025-01-02T00:00:00Z");
    const none = { solvedAt: null, closedAt: null };
    assert.deepEqual(statusTimestamps("open", "solved", none, t0), { solvedAt: t0, closedAt: null });
    assert.deepEqual(statusTimestamps("solved", "closed", { solvedAt: t0, closedAt: null }, t1), {
      solvedAt: t0,
      closedAt: t1,
    });
    assert.deepEqual(statusTimestamps("solved", "open", { solvedAt: t0, closedAt: null }, t1), none);
    assert.deepEqual(statusTimestamps("open", "open", { solvedAt: null, closedAt: null }, t1), none);
  });
});
