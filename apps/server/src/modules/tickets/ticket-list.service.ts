import type { TTicket, TTicketFilters, TTicketListQuery } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import type { TActor } from "../../lib/actor.ts";
import type { TClock } from "../../lib/clock.ts";
import { requireDeleter } from "./ticket-access.ts";
import { countTickets, listTickets, type TListSort } from "./ticket-list.repository.ts";
import {
  decodeListCursor,
  encodeListCursor,
  LIVE_TICKETS,
  resolveFilters,
  type TListFlags,
} from "./ticket-list.ts";
import { toTicketDto } from "./tickets.dto.ts";

export type TTicketPage = { items: TTicket[]; nextCursor: string | null };
export type TPageRequest = { cursor?: string | undefined; limit: number };
export type TTicketCount = { count: number; capped: boolean };

/** Ticket lists and counts: GET /tickets, and the views module through the tickets module's front door. */
export function createTicketLists({ db, clock }: { db: TDb; clock: TClock }) {
  async function page(
    actor: TActor,
    filters: TTicketFilters,
    sort: TListSort,
    flags: TListFlags,
    req: TPageRequest,
  ): Promise<TTicketPage> {
    // Decoded first: a cursor of another order is refused even when the list would be empty.
    const after = decodeListCursor(req.cursor, sort);
    const resolved = resolveFilters(actor, filters, clock.now(), flags);
    if (!resolved) return { items: [], nextCursor: null };
    const rows = await listTickets(db, actor.workspaceId, resolved, sort, { after, limit: req.limit });
    const items = rows.slice(0, req.limit);
    const last = items.at(-1);
    return {
      items: items.map(toTicketDto),
      nextCursor: rows.length > req.limit && last ? encodeListCursor(sort, last.sort_key, last.id) : null,
    };
  }

  return {
    async listTickets(actor: TActor, q: TTicketListQuery): Promise<TTicketPage> {
      if (q.deleted) requireDeleter(actor);
      const { cursor, limit, sort, direction, requesterId, spam, merged, deleted, ...filters } = q;
      const flags = {
        spam: spam ?? false,
        includeMerged: merged ?? false,
        deleted: deleted ?? false,
        ...(requesterId ? { requesterId } : {}),
      };
      return page(actor, filters, { by: sort, direction }, flags, { cursor, limit });
    },

    /** Live tickets (not spam, merged or deleted) that pass the filters, within the actor's brands. */
    listByFilters: (actor: TActor, filters: TTicketFilters, sort: TListSort, req: TPageRequest) =>
      page(actor, filters, sort, LIVE_TICKETS, req),

    /** For each filter set, how many live tickets of the actor's brands pass it, counted up to `cap`. */
    async countByFilters(actor: TActor, filterSets: TTicketFilters[], cap: number): Promise<TTicketCount[]> {
      const now = clock.now();
      const resolved = filterSets.map((f) => resolveFilters(actor, f, now));
      const counts = await countTickets(
        db,
        actor.workspaceId,
        resolved.filter((r) => r !== null),
        cap,
      );
      let next = 0;
      return resolved.map((r) => {
        if (r === null) return { count: 0, capped: false };
        const n = counts[next++] ?? 0;
        return { count: Math.min(n, cap), capped: n > cap };
      });
    },
  };
}
export type TTicketLists = ReturnType<typeof createTicketLists>;
