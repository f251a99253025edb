import { type RawBuilder, sql } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { TTicketStatus } from "../../db/schema.ts";

/**
 * A search, already folded and split: every value reaches PostgreSQL as a bind parameter.
 * - tsQuery: prefix terms for `to_tsvector('simple', search_text)`, the expression the GIN indexes cover;
 * - folded: the whole folded query, for pg_trgm word similarity (typos) when fuzzy is set;
 * - number: a ticket number to match exactly and rank first.
 */
export type TSearchPlan = {
  tsQuery: string | null;
  folded: string;
  fuzzy: boolean;
  number: number | null;
  firstTerm: string | null;
  brandIds: string[] | null;
  limit: number;
};

/**
 * pg_trgm's default word-similarity threshold (0.6) misses one dropped letter in a short word
 * ("invoce" ~ "invoice" is 0.57). Applies to the current transaction only.
 */
export const FUZZY_THRESHOLD = 0.45;
export const setFuzzyThreshold = (trx: TDb) =>
  sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(FUZZY_THRESHOLD)}, true)`.execute(trx);

const brandFilter = (column: RawBuilder<unknown>, brandIds: string[] | null) =>
  brandIds === null ? sql`` : sql`AND ${column} IN (${sql.join(brandIds)})`;

const SNIPPET_BEFORE = 60;
const SNIPPET_LENGTH = 200;

export type TTicketHitRow = {
  id: string;
  number: string;
  subject: string;
  status: TTicketStatus;
  brand_id: string;
  updated_at: Date;
  snippet: string | null;
};

/** Live tickets (not deleted, spam or merged away) matching the plan, best first. */
export async function searchTickets(
  db: TDb,
  workspaceId: string,
  plan: TSearchPlan,
): Promise<TTicketHitRow[]> {
  const matches = [
    ...(plan.number !== null ? [sql`t.number = ${plan.number}`] : []),
    ...(plan.tsQuery !== null
      ? [sql`to_tsvector('simple', t.search_text) @@ to_tsquery('simple', ${plan.tsQuery})`]
      : []),
    ...(plan.fuzzy ? [sql`${plan.folded}::text <% t.subject`] : []),
  ];
  if (matches.length === 0) return [];
  const exact = plan.number !== null ? sql`(t.number = ${plan.number})` : sql`false`;
  const similarity = plan.fuzzy ? sql`word_similarity(${plan.folded}::text, t.subject)` : sql`0::real`;
  const snippet =
    plan.firstTerm !== null
      ? sql<string | null>`(SELECT substring(s.search_text
            FROM greatest(1, strpos(s.search_text, ${plan.firstTerm}::text) - ${SNIPPET_BEFORE}::int)
            FOR ${SNIPPET_LENGTH}::int)
          FROM tickets s
          WHERE s.workspace_id = h.workspace_id AND s.id = h.id
            AND strpos(s.search_text, ${plan.firstTerm}::text) > 0)`
      : sql<string | null>`NULL::text`;
  const result = await sql<TTicketHitRow>`
    SELECT h.id, h.number, h.subject, h.status, h.brand_id, h.updated_at, ${snippet} AS snippet
    FROM (
      SELECT t.workspace_id, t.id, t.number, t.subject, t.status, t.brand_id, t.updated_at,
        ${exact} AS exact, ${similarity} AS similarity
      FROM tickets t
      WHERE t.workspace_id = ${workspaceId}
        AND t.deleted_at IS NULL AND t.is_spam = false AND t.merged_into_id IS NULL
        ${brandFilter(sql.ref("t.brand_id"), plan.brandIds)}
        AND (${sql.join(matches, sql` OR `)})
      ORDER BY exact DESC, similarity DESC, t.updated_at DESC, t.id DESC
      LIMIT ${plan.limit}
    ) h
    ORDER BY h.exact DESC, h.similarity DESC, h.updated_at DESC, h.id DESC`.execute(db);
  return result.rows;
}

export type TCustomerHitRow = {
  id: string;
  name: string;
  brand_id: string;
  emails: string[];
  phones: string[];
};

/** Customers (not merged away) whose name, email or phone matches the plan, best first. */
export async function searchCustomers(
  db: TDb,
  workspaceId: string,
  plan: TSearchPlan,
): Promise<TCustomerHitRow[]> {
  const matches = [
    ...(plan.tsQuery !== null
      ? [sql`to_tsvector('simple', c.search_text) @@ to_tsquery('simple', ${plan.tsQuery})`]
      : []),
    ...(plan.fuzzy ? [sql`${plan.folded}::text <% c.search_text`] : []),
  ];
  if (matches.length === 0) return [];
  const identities = (kind: "email" | "phone") => sql<string[]>`coalesce((
      SELECT array_agg(i.value ORDER BY i.created_at, i.id) FROM customer_identities i
      WHERE i.workspace_id = h.workspace_id AND i.customer_id = h.id AND i.kind = ${kind}), '{}')`;
  const similarity = plan.fuzzy ? sql`word_similarity(${plan.folded}::text, c.search_text)` : sql`0::real`;
  const result = await sql<TCustomerHitRow>`
    SELECT h.id, h.name, h.brand_id, ${identities("email")} AS emails, ${identities("phone")} AS phones
    FROM (
      SELECT c.workspace_id, c.id, c.name, c.brand_id, ${similarity} AS similarity
      FROM customers c
      WHERE c.workspace_id = ${workspaceId} AND c.merged_into_id IS NULL
        ${brandFilter(sql.ref("c.brand_id"), plan.brandIds)}
        AND (${sql.join(matches, sql` OR `)})
      ORDER BY similarity DESC, c.name, c.id
      LIMIT ${plan.limit}
    ) h
    ORDER BY h.similarity DESC, h.name, h.id`.execute(db);
  return result.rows;
}

export const brandExists = async (db: TDb, workspaceId: string, brandId: string) =>
  (await db
    .selectFrom("brands")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", brandId)
    .executeTakeFirst()) !== undefined;
