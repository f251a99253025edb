import type { TSearchQuery, TSearchResult } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import { canSeeBrand, type TActor } from "../../lib/actor.ts";
import { notFound } from "../../lib/app-error.ts";
import { foldForSearch, queryTerms, toPrefixTsQuery } from "../../lib/search-text.ts";
import { brandExists } from "../brands/index.ts";
import { toCustomerHitDto, toTicketHitDto } from "./search.dto.ts";
import * as repo from "./search.repository.ts";

export type TSearchDeps = { db: TDb };

const TICKET_NUMBER_RE = /^#?\s*(\d{1,15})$/;
const PHONE_RE = /^\+?[\d\s().\-/]+$/;
// Shorter words have too few trigrams to tell a typo from another word.
const FUZZY_MIN_LENGTH = 4;

/** Turns what a person typed into bind values: folded terms, a ticket number, a phone's digits. */
export function planSearch(q: string, brandIds: string[] | null, limit: number): repo.TSearchPlan {
  const trimmed = q.trim();
  const numberMatch = TICKET_NUMBER_RE.exec(trimmed);
  const digits = trimmed.replace(/\D/g, "");
  // "+40 721 123 456" is one phone number, indexed as its digits: search it as one term.
  const terms = PHONE_RE.test(trimmed) && digits.length >= 5 ? [digits] : queryTerms(trimmed);
  const folded = foldForSearch(trimmed);
  return {
    tsQuery: terms.length > 0 ? toPrefixTsQuery(terms) : null,
    folded,
    fuzzyTerms: numberMatch === null && terms.every((t) => t.length >= FUZZY_MIN_LENGTH) ? terms : [],
    number: numberMatch?.[1] ? Number(numberMatch[1]) : null,
    firstTerm: terms[0] ?? null,
    brandIds,
    limit,
  };
}

export function createSearchService({ db }: TSearchDeps) {
  return {
    async search(actor: TActor, query: TSearchQuery): Promise<TSearchResult> {
      if (
        query.brandId !== undefined &&
        (!canSeeBrand(actor, query.brandId) || !(await brandExists(db, actor.workspaceId, query.brandId)))
      )
        throw notFound("brand");
      const brandIds = query.brandId !== undefined ? [query.brandId] : actor.brandIds;
      if (brandIds?.length === 0) return { tickets: [], customers: [] };
      const plan = planSearch(query.q, brandIds, query.limit);
      return db.transaction().execute(async (trx) => {
        await repo.configureSearchTransaction(trx);
        const tickets =
          query.type === "customers" ? [] : await repo.searchTickets(trx, actor.workspaceId, plan);
        const customers =
          query.type === "tickets" ? [] : await repo.searchCustomers(trx, actor.workspaceId, plan);
        return { tickets: tickets.map(toTicketHitDto), customers: customers.map(toCustomerHitDto) };
      });
    },
  };
}
export type TSearchService = ReturnType<typeof createSearchService>;
