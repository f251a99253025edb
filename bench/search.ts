/**
 * Loads 100,000 tickets (3 messages each, five languages) into PostgreSQL, then measures through the
 * HTTP API the p50/p95 of ticket search and of fetching one ticket with its thread.
 * Prints one JSON line. Usage: npm run bench:search [-- --tickets=100000] [--queries=400]
 */
import pg from "pg";
import { Pool } from "undici";
import { foldForSearch } from "../apps/server/src/lib/search-text.ts";
import { percentile, round, startServer } from "./lib/server.ts";

const TICKETS = Number(process.argv.find((a) => a.startsWith("--tickets="))?.split("=")[1] ?? 100_000);
const QUERIES = Number(process.argv.find((a) => a.startsWith("--queries="))?.split("=")[1] ?? 400);

const WORDS = [
  "order",
  "delivery",
  "refund",
  "invoice",
  "broken",
  "package",
  "courier",
  "warranty",
  "payment",
  "account",
  "comandă",
  "livrare",
  "rambursare",
  "factură",
  "garanție",
  "plată",
  "colet",
  "întârziere",
  "ștergere",
  "mulțumesc",
  "zamówienie",
  "dostawa",
  "zwrot",
  "płatność",
  "reklamacja",
  "przesyłka",
  "gwarancja",
  "faktura",
  "łódź",
  "uszkodzony",
  "поръчка",
  "доставка",
  "възстановяване",
  "плащане",
  "гаранция",
  "фактура",
  "пратка",
  "рекламация",
  "сметка",
  "куриер",
  "سفارش",
  "ارسال",
  "بازپرداخت",
  "پرداخت",
  "گارانتی",
  "فاکتور",
  "بسته",
  "شکایت",
  "حساب",
  "پیک",
];

async function load(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {}); // the database is dropped with FORCE when the bench ends
  await client.connect();
  const { rows } = await client.query<{ workspace_id: string; id: string }>(
    "SELECT workspace_id, id FROM brands LIMIT 1",
  );
  const brand = rows[0];
  if (!brand) throw new Error("no brand");
  const words = WORDS;
  const folded = WORDS.map(foldForSearch);
  const ws = brand.workspace_id;
  const started = performance.now();
  await client.query("BEGIN");
  await client.query(
    `INSERT INTO customers (workspace_id, id, brand_id, name, search_text, created_at, updated_at)
     SELECT $1, gen_random_uuid(), $2, 'Customer ' || g, 'customer ' || g || ' customer' || g || '@example.com', now(), now()
     FROM generate_series(1, 20000) g`,
    [ws, brand.id],
  );
  await client.query(
    `CREATE TEMP TABLE bench_customers AS SELECT row_number() OVER () AS n, id FROM customers WHERE workspace_id = $1`,
    [ws],
  );
  await client.query(
    `INSERT INTO tickets (workspace_id, id, brand_id, number, subject, status, channel, requester_id, public_token_hash,
       search_text, custom_fields, last_message_at, created_at, updated_at)
     SELECT $1, gen_random_uuid(), $2, 10000 + g,
       ($3::text[])[1 + g % 50] || ' ' || ($3::text[])[1 + (g * 7) % 50] || ' ' || g,
       (ARRAY['new','open','pending','solved','closed'])[1 + g % 5], 'email', c.id, md5(g::text),
       ($4::text[])[1 + g % 50] || ' ' || ($4::text[])[1 + (g * 7) % 50] || ' ' || g || ' ' ||
         ($4::text[])[1 + (g * 11) % 50] || ' ' || ($4::text[])[1 + (g * 13) % 50] || ' ' || ($4::text[])[1 + (g * 17) % 50],
       '{}', now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
     FROM generate_series(1, $5::int) g JOIN bench_customers c ON c.n = 1 + g % 20000`,
    [ws, brand.id, words, folded, TICKETS],
  );
  await client.query(
    `INSERT INTO messages (workspace_id, id, ticket_id, kind, channel, author_customer_id, body_text, created_at)
     SELECT t.workspace_id, gen_random_uuid(), t.id, 'reply', 'email', t.requester_id,
       t.subject || ' — message ' || m || ': ' || ($2::text[])[1 + (m * 11) % 50] || ' ' || ($2::text[])[1 + (m * 13) % 50],
       t.created_at + (m || ' minutes')::interval
     FROM tickets t CROSS JOIN generate_series(1, 3) m WHERE t.workspace_id = $1`,
    [ws, words],
  );
  await client.query("SELECT setval($1::regclass, $2)", [
    `ticket_number_${ws.replace(/-/g, "")}`,
    10000 + TICKETS,
  ]);
  await client.query("COMMIT");
  await client.query("ANALYZE");
  const ids = (
    await client.query<{ id: string }>(
      "SELECT id FROM tickets WHERE workspace_id = $1 ORDER BY random() LIMIT 200",
      [ws],
    )
  ).rows.map((r) => r.id);
  await client.end();
  return { loadSeconds: round((performance.now() - started) / 1000, 1), ticketIds: ids };
}

async function timeRequests(pool: Pool, token: string, paths: string[]) {
  const latencies: number[] = [];
  for (const path of paths) {
    const started = performance.now();
    const res = await pool.request({ path, method: "GET", headers: { authorization: `Bearer ${token}` } });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}

const server = await startServer("postgres");
try {
  const { loadSeconds, ticketIds } = await load(server.databaseUrl as string);
  const pool = new Pool(server.url, { connections: 4 });
  const queries = Array.from({ length: QUERIES }, (_, i) => {
    const w = WORDS[(i * 17) % WORDS.length] ?? "order";
    const q =
      i % 4 === 0
        ? `${w} ${WORDS[(i * 3) % WORDS.length]}`
        : i % 4 === 1
          ? w.slice(0, 4)
          : i % 4 === 2
            ? `#${10000 + ((i * 97) % TICKETS)}`
            : w;
    return `/api/v1/search?type=tickets&q=${encodeURIComponent(q)}`;
  });
  await timeRequests(pool, server.token, queries.slice(0, 20)); // warm-up
  const search = await timeRequests(pool, server.token, queries);
  const fetchPaths = ticketIds.flatMap((id) => [`/api/v1/tickets/${id}`, `/api/v1/tickets/${id}/messages`]);
  // One "fetch" is the ticket plus its thread: time the pair.
  const pairs: number[] = [];
  for (let i = 0; i < fetchPaths.length; i += 2) {
    const started = performance.now();
    await timeRequests(pool, server.token, fetchPaths.slice(i, i + 2));
    pairs.push(performance.now() - started);
  }
  pairs.sort((a, b) => a - b);
  await pool.close();
  console.log(
    JSON.stringify({
      bench: "search",
      store: "postgres",
      tickets: TICKETS,
      messages: TICKETS * 3,
      loadSeconds,
      searchQueries: search.length,
      searchP50Ms: round(percentile(search, 50)),
      searchP95Ms: round(percentile(search, 95)),
      ticketWithThreadP50Ms: round(percentile(pairs, 50)),
      ticketWithThreadP95Ms: round(percentile(pairs, 95)),
    }),
  );
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await server.stop();
}
