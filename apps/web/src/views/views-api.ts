import type { TCreateView, TTicket, TUpdateView, TView, TViewCounts } from "@switchboard/contracts";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { enc, http, queryString } from "../lib/http.ts";
import { ticketKeys } from "../tickets/ticket-queries.ts";

export type { TView };
export type TSortOverride = { sort: TView["sort"]["by"]; direction: TView["sort"]["direction"] } | null;

export const viewKeys = { all: ["views"] as const };

export const useViews = () =>
  useQuery({
    queryKey: viewKeys.all,
    queryFn: () => http.get<{ items: TView[] }>("/views").then((r) => r.items),
    staleTime: 60_000,
  });

/** How many tickets each view holds; re-read when tickets change (see the live updates). */
export const useViewCounts = () =>
  useQuery({
    queryKey: ticketKeys.counts,
    queryFn: () => http.get<TViewCounts>("/views/counts").then((r) => r.counts),
    staleTime: 10_000,
  });

const PAGE = 50;

/** A view's tickets, 50 at a time, in its own order or the one the agent picked. */
export const useViewTickets = (viewId: string, sort: TSortOverride) =>
  useInfiniteQuery({
    queryKey: [...ticketKeys.lists, "view", viewId, sort],
    queryFn: ({ pageParam }) =>
      http.get<{ items: TTicket[]; nextCursor: string | null }>(
        `/views/${enc(viewId)}/tickets?${queryString({ limit: PAGE, cursor: pageParam, sort: sort?.sort, direction: sort?.direction })}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const createView = (view: TCreateView) => http.post<TView>("/views", view);
export const updateView = (id: string, changes: TUpdateView) =>
  http.patch<TView>(`/views/${enc(id)}`, changes);
export const deleteView = (id: string) => http.delete(`/views/${enc(id)}`);
