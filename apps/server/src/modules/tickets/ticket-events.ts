import type { TMessageCreatedEvent, TTicketChangedEvent } from "@switchboard/contracts";
import type { TLiveEvent } from "../../lib/outbox.ts";

/** What a ticket.changed event says of a ticket: a DTO fits, or a locked row's fields. */
type TTicketState = {
  id: string;
  brandId: string;
  number: number;
  status: TTicketChangedEvent["status"];
  assigneeId: string | null;
  updatedAt: Date | string;
};

/** For the staff's live updates: ids and the fields lists show, never content. */
export const ticketChanged = (
  workspaceId: string,
  t: TTicketState,
  reason: TTicketChangedEvent["reason"],
): TLiveEvent => ({
  type: "ticket.changed",
  workspaceId,
  ticketId: t.id,
  brandId: t.brandId,
  number: Number(t.number),
  status: t.status,
  assigneeId: t.assigneeId,
  updatedAt: typeof t.updatedAt === "string" ? t.updatedAt : t.updatedAt.toISOString(),
  reason,
});

export const messageCreated = (workspaceId: string, m: Omit<TMessageCreatedEvent, "type">): TLiveEvent => ({
  type: "message.created",
  workspaceId,
  ...m,
});
