/**
 * Loads 50,000 tickets (three brands, a year of history, most of it solved or closed, as in a live
 * workspace) into PostgreSQL, then measures through the HTTP API the p50/p95 of the view counts (the
 * six built-in views and four shared ones, re-read on every realtime ticket change) for an owner and
 * for an agent of two brands, and of the first page of a view in the main sorts.
 * Prints one JSON line. Usage: npm run bench:views [-- --tickets=50000] [--requests=100]
 */
import pg from "pg";
import { Pool, request } from "undici";
import { percentile, round, startServer } from "./lib/server.ts";

const TICKETS = Number(process.argv.find((a) => a.startsWith("--tickets="))?.split("=")[1] ?? 50_000);
const REQUESTS = Number(process.argv.find((a) => a.startsWith("--requests="))?.split("=")[1] ?? 100);
const AGENTS = 20;

async function api<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(`${base}${path}`, {
    method: method as "GET",
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.body.json()) as T;
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${JSON.stringify(json)}`);
  return json;
}

async function load(databaseUrl: string, brandIds: string[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {}); // the database is dropped with FORCE when the bench ends
  await client.connect();
  const ws = (await client.query<{ workspace_id: string }>("SELECT workspace_id FROM brands LIMIT 1")).rows[0]
    ?.workspace_id;
  if (!ws) throw new Error("no workspace");
  const started = performance.now();
  await client.query("BEGIN");
  // Agents straight into the table: the bench needs assignees, not logins.
  await client.query(
    `INSERT INTO users (workspace_id, id, email, name, role)
     SELECT $1, gen_random_uuid(), 'agent' || g || '@bench.test', 'Agent ' || g, 'agent' FROM generate_series(1, $2::int) g`,
    [ws, AGENTS],
  );
  await client.query(
    `INSERT INTO customers (workspace_id, id, brand_id, name, created_at, updated_at)
     SELECT $1, gen_random_uuid(), ($2::uuid[])[1 + g % 3], 'Customer ' || g, now(), now() FROM generate_series(1, 10000) g`,
    [ws, brandIds],
  );
  // Status mix of a live workspace: 60% closed, 15% solved, 10% open, 5% each new, pending, on hold.
  // A fifth of the tickets have a due date; a tenth are unassigned.
  await client.query(
    `WITH c AS (SELECT row_number() OVER () AS n, id, brand_id FROM customers WHERE workspace_id = $1),
       a AS (SELECT row_number() OVER () AS n, id FROM users WHERE workspace_id = $1 AND role = 'agent'),
       g AS (SELECT g, now() - ((g * 631) % 31536000 || ' seconds')::interval AS updated,
         (ARRAY['closed','closed','closed','closed','closed','closed','closed','closed','closed','closed','closed','closed',
           'solved','solved','solved','open','open','new','pending','on_hold'])[1 + (g * 7) % 20] AS status
         FROM generate_series(1, $2::int) g)
     INSERT INTO tickets (workspace_id, id, brand_id, number, subject, status, priority, channel, requester_id,
       assignee_id, tags, due_at, public_token_hash, solved_at, closed_at, last_message_at, created_at, updated_at)
     SELECT $1, gen_random_uuid(), c.brand_id, 1000 + g.g, 'Ticket ' || g.g, g.status,
       (ARRAY['low','normal','normal','normal','high','urgent'])[1 + (g.g * 5) % 6],
       (ARRAY['email','web','chat','phone','api'])[1 + g.g % 5], c.id,
       CASE WHEN (g.g / 20) % 10 = 0 THEN NULL ELSE a.id END,
       CASE WHEN g.g % 7 = 0 THEN ARRAY['vip'] WHEN g.g % 11 = 0 THEN ARRAY['refund'] ELSE '{}' END,
       CASE WHEN g.g % 5 = 0 THEN g.updated + ((g.g % 240) || ' hours')::interval END,
       md5(g.g::text),
       CASE WHEN g.status IN ('solved', 'closed') THEN g.updated END,
       CASE WHEN g.status = 'closed' THEN g.updated END,
       g.updated, g.updated - interval '2 days', g.updated
     FROM g JOIN c ON c.n = 1 + g.g % 10000 JOIN a ON a.n = 1 + g.g % ${AGENTS}`,
    [ws, TICKETS],
  );
  await client.query("SELECT setval($1::regclass, $2)", [
    `ticket_number_${ws.replace(/-/g, "")}`,
    1000 + TICKETS,
  ]);
  await client.query("COMMIT");
  await client.query("VACUUM ANALYZE tickets");
  await client.end();
  return round((performance.now() - started) / 1000, 1);
}

async function time(pool: Pool, token: string, path: string, times: number) {
  const latencies: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const res = await pool.request({ path, method: "GET", headers: { authorization: `Bearer ${token}` } });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  return { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)) };
}

const server = await startServer("postgres");
try {
  const base = server.url;
  const owner = server.token;
  const brandIds = [server.brandId];
  for (const n of [2, 3]) {
    const brand = await api<{ id: string }>(base, owner, "POST", "/api/v1/brands", {
      name: `Bench Shop ${n}`,
      slug: `bench-${n}-${new URL(base).port}`,
      defaultLocale: "en",
      supportedLocales: ["en"],
    });
    brandIds.push(brand.id);
  }
  const agentLogin = { email: "agent@bench.test", password: "benchmark-password" };
  await api(base, owner, "POST", "/api/v1/users", {
    ...agentLogin,
    name: "Bench Agent",
    role: "agent",
    brandIds: brandIds.slice(0, 2),
  });
  const login = await request(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(agentLogin),
  });
  const session = {
    cookie: String(login.headers["set-cookie"]).split(";")[0] ?? "",
    "x-csrf-token": ((await login.body.json()) as { csrfToken: string }).csrfToken,
  };
  const tokenRes = await request(`${base}/api/v1/tokens`, {
    method: "POST",
    headers: { ...session, "content-type": "application/json" },
    body: JSON.stringify({ name: "bench" }),
  });
  const agent = ((await tokenRes.body.json()) as { token: string }).token;

  const loadSeconds = await load(server.databaseUrl as string, brandIds);
  for (const [name, filters] of [
    ["Urgent", { priority: ["urgent"], status: ["new", "open"] }],
    ["Shop 2", { brandId: [brandIds[1]], status: ["new", "open", "pending"] }],
    ["VIP", { tag: ["vip"], status: ["new", "open", "pending", "on_hold"] }],
    ["This week", { createdWithinDays: 7 }],
  ] as const) {
    await api(base, owner, "POST", "/api/v1/views", { name, shared: true, filters });
  }

  const pool = new Pool(base, { connections: 2 });
  await time(pool, owner, "/api/v1/views/counts", 10); // warm-up
  const counts = await time(pool, owner, "/api/v1/views/counts", REQUESTS);
  const agentCounts = await time(pool, agent, "/api/v1/views/counts", REQUESTS);
  const pages: Record<string, { p50: number; p95: number }> = {};
  for (const [label, path] of [
    ["open", "/api/v1/views/open/tickets"],
    ["openByPriority", "/api/v1/views/open/tickets?sort=priority"],
    ["openByDue", "/api/v1/views/open/tickets?sort=due_at&direction=asc"],
    ["unassigned", "/api/v1/views/unassigned/tickets"],
    ["solved", "/api/v1/views/solved/tickets"],
    ["allByCreated", "/api/v1/tickets?sort=created_at"],
    ["allByNumber", "/api/v1/tickets?sort=number"],
    ["allByDue", "/api/v1/tickets?sort=due_at&direction=asc"],
  ] as const) {
    pages[label] = await time(pool, agent, path, Math.ceil(REQUESTS / 2));
  }
  await pool.close();
  const sample = await api<{ counts: { viewId: string; count: number; capped: boolean }[] }>(
    base,
    owner,
    "GET",
    "/api/v1/views/counts",
  );
  console.log(
    JSON.stringify({
      bench: "views",
      store: "postgres",
      tickets: TICKETS,
      views: sample.counts.length,
      loadSeconds,
      countsOwnerP50Ms: counts.p50,
      countsOwnerP95Ms: counts.p95,
      countsAgentP50Ms: agentCounts.p50,
      countsAgentP95Ms: agentCounts.p95,
      firstPageMs: pages,
      ownerCounts: Object.fromEntries(sample.counts.map((c) => [c.viewId.slice(0, 8), c.count])),
    }),
  );
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await server.stop();
}
