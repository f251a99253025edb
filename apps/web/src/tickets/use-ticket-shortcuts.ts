import type { TTicket, TUpdateTicket } from "@switchboard/contracts";
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import type { RefObject } from "react";
import { lastViewId } from "../app/place.ts";
import { SHORTCUT_GROUPS, SHORTCUTS, useShortcuts } from "../keyboard/shortcuts.ts";
import type { TComposerHandle } from "./Composer.tsx";
import { ticketKeys } from "./ticket-queries.ts";

type TPage = { items: TTicket[] };

/** The ticket `step` places after this one in the view the agent came from, as that view was listed. */
function neighbour(client: QueryClient, ticketId: string, step: number): string | null {
  const lists = client.getQueriesData<{ pages: TPage[] }>({
    queryKey: [...ticketKeys.lists, "view", lastViewId()],
  });
  for (const [, data] of lists) {
    const ids = data?.pages.flatMap((p) => p.items.map((t) => t.id)) ?? [];
    const at = ids.indexOf(ticketId);
    if (at !== -1) return ids[at + step] ?? null;
  }
  return null;
}

/** j/k, reply, note, solve, assign to me and send, while a ticket is open. */
export function useTicketShortcuts(props: {
  ticket: TTicket | undefined;
  userId: string;
  canEdit: boolean;
  composer: RefObject<TComposerHandle | null>;
  save(changes: TUpdateTicket): void;
}) {
  const client = useQueryClient();
  const { ticket } = props;
  const go = (step: number) => {
    const id = ticket && neighbour(client, ticket.id, step);
    if (!id) return false;
    window.location.hash = `#/tickets/${id}`;
  };
  useShortcuts(
    [
      { ...SHORTCUTS.next, run: () => go(1) },
      { ...SHORTCUTS.previous, run: () => go(-1) },
      { ...SHORTCUTS.reply, run: () => props.composer.current?.focus("reply") },
      { ...SHORTCUTS.note, run: () => props.composer.current?.focus("note") },
      {
        ...SHORTCUTS.solve,
        run: () => (props.canEdit && ticket?.status !== "solved" ? props.save({ status: "solved" }) : false),
      },
      {
        ...SHORTCUTS.assignToMe,
        run: () =>
          props.canEdit && ticket?.assigneeId !== props.userId
            ? props.save({ assigneeId: props.userId })
            : false,
      },
      { ...SHORTCUTS.send, run: () => props.composer.current?.send() },
    ],
    { group: SHORTCUT_GROUPS.ticket, enabled: ticket !== undefined },
  );
}
