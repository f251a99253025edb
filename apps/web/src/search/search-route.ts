import type { TSearchQuery } from "@switchboard/contracts";
import { useMemo, useSyncExternalStore } from "react";
import { queryString } from "../lib/http.ts";

export type TSearchType = TSearchQuery["type"];
/** The results page's place in the address: `#/search?q=refund&type=tickets`. */
export type TSearchRoute = { q: string; type: TSearchType };

const TYPES: readonly TSearchType[] = ["all", "tickets", "customers"];

export function parseSearchHash(hash: string): TSearchRoute | null {
  const match = /^#\/search(?:\?(.*))?$/.exec(hash);
  if (!match) return null;
  const params = new URLSearchParams(match[1] ?? "");
  const type = TYPES.find((t) => t === params.get("type")) ?? "all";
  return { q: params.get("q") ?? "", type };
}

export function searchHref({ q, type }: TSearchRoute): string {
  const query = queryString({ q: q.trim(), type: type === "all" ? undefined : type });
  return query ? `#/search?${query}` : "#/search";
}

/** "1042" or "#1042" (as the server reads a ticket number): the number, else null. */
export function ticketNumberIn(text: string): string | null {
  return /^#?\s*(\d{1,15})$/.exec(text.trim())?.[1] ?? null;
}

const subscribeHash = (listener: () => void) => {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
};
const currentHash = () => window.location.hash;

/** The search in the address, or null away from the results page; follows the address as it changes. */
export function useSearchRoute(): TSearchRoute | null {
  const hash = useSyncExternalStore(subscribeHash, currentHash);
  return useMemo(() => parseSearchHash(hash), [hash]);
}
