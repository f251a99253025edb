/**
 * Prints how PostgreSQL runs the ticket list of the common views and sorts, and the counts statement,
 * on a database left by the views bench: `BENCH_KEEP_DB=1 npm run bench:views`, then
 * `npx tsx bench/views-plans.ts <database> [label]`. Each plan is EXPLAIN (ANALYZE) of the exact
 * statement the repository sends, for an agent of two of the three brands.
 */
import { databaseFromUrl } from "../apps/server/src/db/connection.ts";
import {
  countTickets,
  listTickets,
  type TListFilters,
  type TListSort,
} from "../apps/server/src/modules/tickets/ticket-list.repository.ts";

const [name, only] = process.argv.slice(2);
if (!name) throw new Error("usage: tsx bench/views-plans.ts <database> [label]");
const url = new URL(process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
url.pathname = `/${name}`;

let last: { sql: string; parameters: readonly unknown[] } | null = null;
const database = databaseFromUrl(url.toString(), 2, (e) => {
  if (e.level === "query") last = e.query;
});
const explain = async (analyze: string) => {
  const q = last as { sql: string; parameters: readonly unknown[] } | null;
  if (!q) throw new Error("no statement");
  const plan = await database.executeSql(`EXPLAIN (${analyze}) ${q.sql}`, [...q.parameters]);
  return (plan.rows as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"]);
};

const db = database.db;
const ws = (await db.selectFrom("brands").select("workspace_id").executeTakeFirstOrThrow()).workspace_id;
const brands = (await db.selectFrom("brands").select("id").orderBy("created_at").execute()).map((b) => b.id);
const someAgent = (
  await db.selectFrom("users").select("id").where("role", "=", "agent").executeTakeFirstOrThrow()
).id;
const agent: TListFilters = {
  brandIds: brands.slice(0, 2),
  spam: false,
  includeMerged: false,
  deleted: false,
};
const open: TListFilters = { ...agent, statuses: ["new", "open"] };
const updatedDesc: TListSort = { by: "updated_at", direction: "desc" };
const cases: [string, TListFilters, TListSort][] = [
  ["open, updated desc (the default)", open, updatedDesc],
  ["open, priority desc", open, { by: "priority", direction: "desc" }],
  ["open, due asc", open, { by: "due_at", direction: "asc" }],
  ["all, created desc", agent, { by: "created_at", direction: "desc" }],
  ["all, number desc", agent, { by: "number", direction: "desc" }],
  ["all, due asc", agent, { by: "due_at", direction: "asc" }],
  ["mine", { ...open, assignees: { ids: [someAgent], none: false } }, updatedDesc],
  [
    "unassigned",
    { ...agent, statuses: ["new", "open", "pending", "on_hold"], assignees: { ids: [], none: true } },
    updatedDesc,
  ],
  [
    "recently solved",
    { ...agent, statuses: ["solved", "closed"], solved: { from: new Date(Date.now() - 7 * 86_400_000) } },
    { by: "solved_at", direction: "desc" },
  ],
];
for (const [label, filters, sort] of cases) {
  if (only && !label.includes(only)) continue;
  await listTickets(db, ws, filters, sort, { limit: 25 });
  const plan = await explain("ANALYZE, COSTS OFF");
  // The page is chosen in the innermost Limit; what follows joins 26 rows to their DTO columns.
  const inner = plan.findIndex((l) => l.trim().startsWith("->  Limit"));
  console.log(`=== ${label}: ${plan.at(-1)}`);
  console.log(plan.slice(inner, inner + 8).join("\n"));
}
if (!only || only === "counts") {
  await countTickets(
    db,
    ws,
    cases.map((c) => c[1]),
    10_000,
  );
  const started = performance.now();
  for (let i = 0; i < 20; i++) {
    const q = last as { sql: string; parameters: readonly unknown[] } | null;
    await database.executeSql(q?.sql ?? "", [...(q?.parameters ?? [])]);
  }
  console.log(
    `=== counts of ${cases.length} views: ${((performance.now() - started) / 20).toFixed(1)} ms each time`,
  );
  console.log(
    (await explain("ANALYZE, COSTS OFF")).filter((l) => /Aggregate|Scan|Execution/.test(l)).join("\n"),
  );
}
await database.close();
