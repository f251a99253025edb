import type { TTicketStatus } from "@switchboard/contracts";
import { AppError } from "../../lib/app-error.ts";

/**
 * The ticket status rules, pure.
 *   new → open → pending | on_hold → solved → closed
 * - closed is final: any change to a closed ticket is 409 ticket_closed;
 * - nothing goes back to new; closed is reached from solved only (or by merging);
 * - a customer's reply reopens a solved or pending ticket (to open);
 * - a staff member's public reply on a new ticket opens it.
 */
export const ticketClosed = () =>
  new AppError("ticket_closed", "This ticket is closed; closed tickets cannot be changed", 409);

const invalidTransition = (from: TTicketStatus, to: TTicketStatus) =>
  new AppError("invalid_status_transition", `A ${from} ticket cannot become ${to}`, 409);

export function assertNotClosed(status: TTicketStatus): void {
  if (status === "closed") throw ticketClosed();
}

/** The status a staff member may set; throws when the change is not allowed. */
export function changeStatus(from: TTicketStatus, to: TTicketStatus): TTicketStatus {
  assertNotClosed(from);
  if (from === to) return to;
  if (to === "new") throw invalidTransition(from, to);
  if (to === "closed" && from !== "solved") throw invalidTransition(from, to);
  return to;
}

export type TMessageAuthor = "customer" | "staff";

/** The status after a message is added (notes never change it). */
export function statusAfterMessage(
  current: TTicketStatus,
  message: { author: TMessageAuthor; kind: "reply" | "note" },
): TTicketStatus {
  assertNotClosed(current);
  if (message.kind === "note") return current;
  if (message.author === "customer") {
    return current === "solved" || current === "pending" ? "open" : current;
  }
  return current === "new" ? "open" : current;
}

/** solved_at is set on entering solved and cleared on reopening; closed_at is set on closing. */
export function statusTimestamps(
  from: TTicketStatus,
  to: TTicketStatus,
  current: { solvedAt: Date | null; closedAt: Date | null },
  now: Date,
): { solvedAt: Date | null; closedAt: Date | null } {
  if (from === to) return current;
  if (to === "solved") return { solvedAt: now, closedAt: null };
  if (to === "closed") return { solvedAt: current.solvedAt, closedAt: now };
  return { solvedAt: null, closedAt: null };
}
