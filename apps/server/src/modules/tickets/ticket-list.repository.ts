import type { TSortDirection, TTicketSort } from "@switchboard/contracts";
import { type RawBuilder, sql } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { TTicketChannel, TTicketPriority, TTicketStatus } from "../../db/schema.ts";
import { type TTicketView, ticketViews } from "./tickets.repository.ts";

/** A half-open time range: from ≤ t < to. */
export type TTimeRange = { from?: Date | undefined; to?: Date | undefined };
/** Ids, or also the rows where the column is null ("none"). */
export type TIdsOrNone = { ids: string[]; none: boolean };

/** What a ticket list keeps, already resolved for the actor ("me", brand access, relative dates). */
export type TListFilters = {
  /** null: every brand of the workspace. Never empty (the caller answers an empty list itself). */
  brandIds: string[] | null;
  statuses?: TTicketStatus[] | undefined;
  priorities?: TTicketPriority[] | undefined;
  channels?: TTicketChannel[] | undefined;
  categoryKeys?: string[] | undefined;
  /** Any of these tags. */
  tags?: string[] | undefined;
  assignees?: TIdsOrNone | undefined;
  groups?: TIdsOrNone | undefined;
  requesterId?: string | undefined;
  created?: TTimeRange | undefined;
  updated?: TTimeRange | undefined;
  solved?: TTimeRange | undefined;
  spam: boolean;
  includeMerged: boolean;
  deleted: boolean;
};

export type TListSort = { by: TTicketSort; direction: TSortDirection };
/** Where the previous page ended: its last row's sort value (as text, see sortKeyText) and id. */
export type TListAfter = { value: string | null; id: string };

/** `col = x` for one value (so a composite index still gives the order), `col = ANY(array)` for several. */
const oneOf = (column: RawBuilder<unknown>, values: readonly string[], type: "text" | "uuid") =>
  values.length === 1
    ? sql<boolean>`${column} = ${values[0]}`
    : sql<boolean>`${column} = ANY(${values}::${sql.raw(type)}[])`;

const idsOrNone = (column: RawBuilder<unknown>, v: TIdsOrNone) => {
  const parts = [
    ...(v.ids.length > 0 ? [oneOf(column, v.ids, "uuid")] : []),
    ...(v.none ? [sql<boolean>`${column} IS NULL`] : []),
  ];
  return parts.length === 1
    ? (parts[0] as RawBuilder<boolean>)
    : sql<boolean>`(${sql.join(parts, sql` OR `)})`;
};

const inRange = (column: RawBuilder<unknown>, r: TTimeRange) => [
  ...(r.from ? [sql<boolean>`${column} >= ${r.from}`] : []),
  ...(r.to ? [sql<boolean>`${column} < ${r.to}`] : []),
];

/** The WHERE of a ticket list over `tickets` (no joins needed), so lists and counts share it. */
function filterSql(workspaceId: string, f: TListFilters): RawBuilder<boolean> {
  const t = (column: string) => sql.ref(`tickets.${column}`);
  const parts: RawBuilder<boolean>[] = [
    sql`tickets.workspace_id = ${workspaceId}`,
    sql`tickets.is_spam = ${f.spam}`,
    f.deleted ? sql`tickets.deleted_at IS NOT NULL` : sql`tickets.deleted_at IS NULL`,
  ];
  const add = (part: RawBuilder<boolean>) => parts.push(part);
  if (!f.includeMerged) add(sql`tickets.merged_into_id IS NULL`);
  if (f.brandIds) add(oneOf(t("brand_id"), f.brandIds, "uuid"));
  if (f.statuses) add(oneOf(t("status"), f.statuses, "text"));
  if (f.priorities) add(oneOf(t("priority"), f.priorities, "text"));
  if (f.channels) add(oneOf(t("channel"), f.channels, "text"));
  if (f.categoryKeys) {
    add(sql`tickets.category_id IN (SELECT c.id FROM categories c WHERE c.workspace_id = ${workspaceId}
      AND ${oneOf(sql.ref("c.key"), f.categoryKeys, "text")})`);
  }
  if (f.tags) add(sql`tickets.tags && ${f.tags}::text[]`);
  if (f.assignees) add(idsOrNone(t("assignee_id"), f.assignees));
  if (f.groups) add(idsOrNone(t("group_id"), f.groups));
  if (f.requesterId) add(sql`tickets.requester_id = ${f.requesterId}`);
  for (const part of [
    ...inRange(t("created_at"), f.created ?? {}),
    ...inRange(t("updated_at"), f.updated ?? {}),
    ...inRange(t("solved_at"), f.solved ?? {}),
  ])
    add(part);
  return sql.join(parts, sql` AND `) as RawBuilder<boolean>;
}

// Ranks, not the words: "urgent" < "low" alphabetically. Plain CASE so it stays one expression for
// the planner (and for an index on it, should one ever be needed).
const PRIORITY_RANK = sql`(CASE tickets.priority WHEN 'low' THEN 1 WHEN 'normal' THEN 2 WHEN 'high' THEN 3
  WHEN 'urgent' THEN 4 END)`;
const STATUS_RANK = sql`(CASE tickets.status WHEN 'new' THEN 1 WHEN 'open' THEN 2 WHEN 'pending' THEN 3
  WHEN 'on_hold' THEN 4 WHEN 'solved' THEN 5 WHEN 'closed' THEN 6 END)`;

type TSortColumn = { expr: RawBuilder<unknown>; type: "timestamptz" | "bigint" | "int"; nullable: boolean };
export const SORT_COLUMNS: Record<TTicketSort, TSortColumn> = {
  updated_at: { expr: sql.ref("tickets.updated_at"), type: "timestamptz", nullable: false },
  created_at: { expr: sql.ref("tickets.created_at"), type: "timestamptz", nullable: false },
  number: { expr: sql.ref("tickets.number"), type: "bigint", nullable: false },
  priority: { expr: PRIORITY_RANK, type: "int", nullable: false },
  status: { expr: STATUS_RANK, type: "int", nullable: false },
  due_at: { expr: sql.ref("tickets.due_at"), type: "timestamptz", nullable: true },
  solved_at: { expr: sql.ref("tickets.solved_at"), type: "timestamptz", nullable: true },
};

/**
 * The sort value as text for the cursor. Timestamps keep their microseconds (a JS Date would drop
 * them, and a row written with now() would then be skipped or repeated at a page boundary).
 */
const sortKeyText = (c: TSortColumn) =>
  c.type === "timestamptz"
    ? sql<string | null>`to_char(${c.expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
    : sql<string | null>`(${c.expr})::text`;

/**
 * Rows after the cursor in (value, id) order. Tickets without a value (no due date, not solved) come
 * last in either direction, so the null group is walked by id alone once the values run out.
 */
function afterSql(c: TSortColumn, direction: TSortDirection, after: TListAfter): RawBuilder<boolean> {
  const op = sql.raw(direction === "asc" ? ">" : "<");
  if (after.value === null) return sql`(${c.expr} IS NULL AND tickets.id ${op} ${after.id})`;
  const value = sql`${after.value}::${sql.raw(c.type)}`;
  const beyond = sql<boolean>`(${c.expr}, tickets.id) ${op} (${value}, ${after.id}::uuid)`;
  return c.nullable ? sql`(${beyond} OR ${c.expr} IS NULL)` : beyond;
}

export type TListedTicket = TTicketView & { sort_key: string | null };

/**
 * One page (limit + 1 rows, to tell whether another follows) of the tickets that pass the filters.
 * The page is chosen from `tickets` alone, and only its rows are joined to what the DTO needs: a sort
 * without an index then sorts bare rows, not rows joined to their requesters.
 */
export function listTickets(
  db: TDb,
  workspaceId: string,
  f: TListFilters,
  sort: TListSort,
  page: { after?: TListAfter | undefined; limit: number },
): Promise<TListedTicket[]> {
  const c = SORT_COLUMNS[sort.by];
  const dir = sql.raw(sort.direction === "asc" ? "ASC" : "DESC");
  // NULLS LAST in both directions (PostgreSQL's default puts them first when descending).
  const order = sql`${c.expr} ${dir}${sql.raw(c.nullable ? " NULLS LAST" : "")}, tickets.id ${dir}`;
  const chosen = db
    .selectFrom("tickets")
    .select("tickets.id")
    .where(filterSql(workspaceId, f))
    .$if(page.after !== undefined, (q) => q.where(afterSql(c, sort.direction, page.after as TListAfter)))
    .orderBy(order)
    .limit(page.limit + 1);
  return (
    ticketViews(db, workspaceId)
      .innerJoin(chosen.as("page"), "page.id", "tickets.id")
      // The cursor's text of the sort value, for the page's rows only (to_char is not free).
      .select(sortKeyText(c).as("sort_key"))
      .orderBy(order)
      .execute()
  );
}

/**
 * How many tickets pass each filter set, each counted to at most `cap` + 1 rows (so a big view costs
 * no more than that), in one statement: one round trip however many views.
 */
export async function countTickets(
  db: TDb,
  workspaceId: string,
  filterSets: TListFilters[],
  cap: number,
): Promise<number[]> {
  if (filterSets.length === 0) return [];
  const columns = filterSets.map(
    (f, i) =>
      sql`(SELECT count(*) FROM (SELECT 1 FROM tickets WHERE ${filterSql(workspaceId, f)} LIMIT ${cap + 1}) s)
        AS ${sql.ref(`c${i}`)}`,
  );
  const result = await sql<Record<string, string>>`SELECT ${sql.join(columns)}`.execute(db);
  const row = result.rows[0] ?? {};
  return filterSets.map((_, i) => Number(row[`c${i}`] ?? 0));
}
