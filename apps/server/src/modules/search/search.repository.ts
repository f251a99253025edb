import { type RawBuilder, sql } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { TTicketStatus } from "../../db/schema.ts";

/**
 * A search, already folded and split: every value reaches PostgreSQL as a bind parameter.
 * - tsQuery: prefix terms for `to_tsvector('simple', search_text)`, the expression the GIN indexes cover;
 * - folded: the whole folded query, to rank hits that contain it verbatim (an exact email) first;
 * - fuzzyTerms: words to match within a typo (pg_trgm word similarity), each one, when full text
 *   finds nothing; empty for none;
 * - number: a ticket number to match exactly and rank first.
 */
export type TSearchPlan = {
  tsQuery: string | null;
  folded: string;
  fuzzyTerms: string[];
  number: number | null;
  firstTerm: string | null;
  brandIds: string[] | null;
  limit: number;
};

/**
 * Settings for the rest of the search transaction (set_config(..., true) is SET LOCAL):
 * - pg_trgm's default word-similarity threshold (0.6) misses one dropped letter in a short word
 *   ("invoce" ~ "invoice" is 0.57);
 * - the planner prices to_tsvector() on a long search_text far too cheaply (it parses the whole
 *   thread, tens of microseconds a row), so it would rather scan the table and parse every row than
 *   read the GIN index. Without sequential scans, matches come from the GIN indexes.
 */
export const FUZZY_THRESHOLD = 0.45;
export const configureSearchTransaction = (trx: TDb) =>
  sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(FUZZY_THRESHOLD)}, true),
    set_config('enable_seqscan', 'off', true)`.execute(trx);

/** Every word within a typo of some word of the column (served by its GIN trigram index). */
const fuzzyMatch = (terms: string[], column: RawBuilder<unknown>) =>
  sql`(${sql.join(
    terms.map((term) => sql`${term}::text <% ${column}`),
    sql` AND `,
  )})`;
const similarity = (terms: string[], column: RawBuilder<unknown>) =>
  sql`(${sql.join(
    terms.map((term) => sql`word_similarity(${term}::text, ${column})`),
    sql` + `,
  )})`;

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

type TTicketRow = Omit<TTicketHitRow, "snippet">;

/** Live tickets (not deleted, spam or merged away) of the plan's brands that match, in the given order. */
async function liveTickets(
  db: TDb,
  workspaceId: string,
  plan: TSearchPlan,
  stage: {
    match: RawBuilder<unknown>;
    /** Answer the match from its GIN index alone (see configureSearchTransaction). */
    fenced: boolean;
    orderBy: RawBuilder<unknown>;
    limit: number;
    exclude: string[];
  },
): Promise<TTicketRow[]> {
  if (stage.limit <= 0) return [];
  // OFFSET 0 keeps the brand and state conditions out of the inner scan, so PostgreSQL cannot fetch
  // all of the workspace's tickets through a btree index and parse each thread to filter; the
  // workspace is inside, as the leading column of the (workspace_id, ...) GIN indexes.
  const source = stage.fenced
    ? sql`(SELECT t.workspace_id, t.id, t.number, t.subject, t.status, t.brand_id, t.updated_at,
          t.deleted_at, t.is_spam, t.merged_into_id
        FROM tickets t WHERE t.workspace_id = ${workspaceId} AND ${stage.match} OFFSET 0) t`
    : sql`tickets t`;
  const result = await sql<TTicketRow>`
    SELECT t.id, t.number, t.subject, t.status, t.brand_id, t.updated_at
    FROM ${source}
    WHERE t.workspace_id = ${workspaceId}
      AND t.deleted_at IS NULL AND t.is_spam = false AND t.merged_into_id IS NULL
      ${brandFilter(sql.ref("t.brand_id"), plan.brandIds)}
      ${stage.fenced ? sql`` : sql`AND ${stage.match}`}
      ${stage.exclude.length > 0 ? sql`AND t.id NOT IN (${sql.join(stage.exclude)})` : sql``}
    ORDER BY ${stage.orderBy}
    LIMIT ${stage.limit}`.execute(db);
  return result.rows;
}

const COMMON_SHARE = 0.2;

/** The planner's estimate of the share of all tickets whose search_text matches (from ANALYZE's statistics). */
async function estimatedShare(db: TDb, tsQuery: string): Promise<number> {
  const explained = await sql<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>`
    EXPLAIN (FORMAT JSON) SELECT 1 FROM tickets t
    WHERE to_tsvector('simple', t.search_text) @@ to_tsquery('simple', ${tsQuery})`.execute(db);
  const total = await sql<{ n: number }>`
    SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'tickets'::regclass`.execute(db);
  const rows = explained.rows[0]?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? 0;
  const n = total.rows[0]?.n ?? 0;
  return n > 1000 ? rows / n : 0;
}

/**
 * Best first: the ticket with the typed number; then full-text matches on subject and thread, most
 * recently updated first; only when neither finds anything, subjects within a typo of the query.
 * Each stage is a plain indexed query (unique number, GIN on to_tsvector('simple', search_text),
 * GIN trigram on subject), and ordering by updated_at lets PostgreSQL stop early on common words.
 */
export async function searchTickets(
  db: TDb,
  workspaceId: string,
  plan: TSearchPlan,
): Promise<TTicketHitRow[]> {
  const hits: TTicketRow[] = [];
  const recent = sql`t.updated_at DESC, t.id DESC`;
  const next = async (match: RawBuilder<unknown>, orderBy: RawBuilder<unknown>, fenced = true) => {
    const exclude = hits.map((h) => h.id);
    hits.push(
      ...(await liveTickets(db, workspaceId, plan, {
        match,
        fenced,
        orderBy,
        limit: plan.limit - hits.length,
        exclude,
      })),
    );
  };
  if (plan.number !== null) await next(sql`t.number = ${plan.number}`, recent, false);
  if (plan.tsQuery !== null) {
    // A word in a large share of tickets: walking the newest tickets finds enough at once, where
    // the GIN bitmap would fetch and sort every match. Anything rarer: the GIN bitmap.
    const common = (await estimatedShare(db, plan.tsQuery)) > COMMON_SHARE;
    await next(
      sql`to_tsvector('simple', t.search_text) @@ to_tsquery('simple', ${plan.tsQuery})`,
      recent,
      !common,
    );
  }
  if (hits.length === 0 && plan.fuzzyTerms.length > 0)
    await next(
      fuzzyMatch(plan.fuzzyTerms, sql.ref("t.subject")),
      sql`${similarity(plan.fuzzyTerms, sql.ref("t.subject"))} DESC, ${recent}`,
    );
  if (hits.length === 0 || plan.firstTerm === null) return hits.map((h) => ({ ...h, snippet: null }));
  const snippets = await sql<{ id: string; snippet: string }>`
    SELECT id, substring(search_text
        FROM greatest(1, strpos(search_text, ${plan.firstTerm}::text) - ${SNIPPET_BEFORE}::int)
        FOR ${SNIPPET_LENGTH}::int) AS snippet
    FROM tickets
    WHERE workspace_id = ${workspaceId} AND id IN (${sql.join(hits.map((h) => h.id))})
      AND strpos(search_text, ${plan.firstTerm}::text) > 0`.execute(db);
  const byId = new Map(snippets.rows.map((r) => [r.id, r.snippet]));
  return hits.map((h) => ({ ...h, snippet: byId.get(h.id) ?? null }));
}

export type TCustomerHitRow = {
  id: string;
  name: string;
  brand_id: string;
  emails: string[];
  phones: string[];
};

/**
 * Customers (not merged away) whose name, email or phone matches: full-text matches first (those
 * containing the whole query, such as the exact email, ahead); only when there are none, customers
 * within a typo of the query. Both stages are answered from the GIN indexes on search_text.
 */
export async function searchCustomers(
  db: TDb,
  workspaceId: string,
  plan: TSearchPlan,
): Promise<TCustomerHitRow[]> {
  const hits: TCustomerHitRow[] = [];
  const identities = (kind: "email" | "phone") => sql<string[]>`coalesce((
      SELECT array_agg(i.value ORDER BY i.created_at, i.id) FROM customer_identities i
      WHERE i.workspace_id = h.workspace_id AND i.customer_id = h.id AND i.kind = ${kind}), '{}')`;
  const next = async (match: RawBuilder<unknown>, rank: RawBuilder<unknown>) => {
    const limit = plan.limit - hits.length;
    if (limit <= 0) return;
    const exclude = hits.map((h) => h.id);
    const result = await sql<TCustomerHitRow>`
      SELECT h.id, h.name, h.brand_id, ${identities("email")} AS emails, ${identities("phone")} AS phones
      FROM (
        SELECT c.workspace_id, c.id, c.name, c.brand_id, ${rank} AS rank
        FROM (
          -- OFFSET 0: answered from the GIN index alone, as for tickets.
          SELECT c.workspace_id, c.id, c.name, c.brand_id, c.merged_into_id, c.search_text
          FROM customers c WHERE c.workspace_id = ${workspaceId} AND ${match} OFFSET 0
        ) c
        WHERE c.workspace_id = ${workspaceId} AND c.merged_into_id IS NULL
          ${brandFilter(sql.ref("c.brand_id"), plan.brandIds)}
          ${exclude.length > 0 ? sql`AND c.id NOT IN (${sql.join(exclude)})` : sql``}
        ORDER BY rank DESC, c.name, c.id
        LIMIT ${limit}
      ) h
      ORDER BY h.rank DESC, h.name, h.id`.execute(db);
    hits.push(...result.rows);
  };
  if (plan.tsQuery !== null)
    await next(
      sql`to_tsvector('simple', c.search_text) @@ to_tsquery('simple', ${plan.tsQuery})`,
      sql`(strpos(c.search_text, ${plan.folded}::text) > 0)`,
    );
  if (hits.length === 0 && plan.fuzzyTerms.length > 0)
    await next(
      fuzzyMatch(plan.fuzzyTerms, sql.ref("c.search_text")),
      similarity(plan.fuzzyTerms, sql.ref("c.search_text")),
    );
  return hits;
}
