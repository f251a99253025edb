import type { TTicket } from "@switchboard/contracts";
import type { QueryClient } from "@tanstack/react-query";
import type { TMessage } from "./tickets-api.ts";

/** Cache keys of a ticket's data; live updates and edits refresh exactly these. */
export const ticketKeys = {
  ticket: (ref: string) => ["ticket", ref] as const,
  thread: (ref: string) => ["thread", ref] as const,
  lists: ["tickets"] as const,
  counts: ["view-counts"] as const,
};

/** Every view's tickets and counts are read again. */
export function refreshTicketLists(client: QueryClient) {
  void client.invalidateQueries({ queryKey: ticketKeys.lists });
  void client.invalidateQueries({ queryKey: ticketKeys.counts });
}

/** A ticket and its thread are read again, however the page named it (id or number). */
export function refreshTicket(client: QueryClient, ticket: Pick<TTicket, "id" | "number">) {
  for (const ref of [ticket.id, String(ticket.number)]) {
    void client.invalidateQueries({ queryKey: ticketKeys.ticket(ref) });
    void client.invalidateQueries({ queryKey: ticketKeys.thread(ref) });
  }
}

/** A ticket changed here or elsewhere: refresh it, its thread, and every list showing it. */
export function ticketChanged(client: QueryClient, ticket: Pick<TTicket, "id" | "number">) {
  refreshTicket(client, ticket);
  refreshTicketLists(client);
}

/** A message the agent just sent joins the cached thread at once. */
export function appendToThread(client: QueryClient, ref: string, message: TMessage) {
  client.setQueryData<TMessage[]>(ticketKeys.thread(ref), (thread) =>
    thread && !thread.some((m) => m.id === message.id) ? [...thread, message] : thread,
  );
}
