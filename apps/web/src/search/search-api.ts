import type { TSearchResult } from "@switchboard/contracts";
import { http, queryString } from "../lib/http.ts";
import type { TSearchType } from "./search-route.ts";

export type { TSearchCustomerHit, TSearchResult, TSearchTicketHit } from "@switchboard/contracts";

/** Tickets and customers matching `q` in the brands the agent works in; `signal` drops a stale search. */
export const searchEverything = (
  params: { q: string; type?: TSearchType; limit?: number },
  signal?: AbortSignal,
) => http.get<TSearchResult>(`/search?${queryString(params)}`, { signal });
