/**
 * Creates tickets (each with a requester and a first message) through the HTTP API from 32
 * concurrent clients for a fixed time, on the embedded store and on PostgreSQL.
 * Prints one JSON line per store. Usage: npm run bench:tickets [-- --store=postgres] [--seconds=20]
 */
import { Pool } from "undici";
import { percentile, round, startServer, storesFromArgs, type TStore } from "./lib/server.ts";

const CLIENTS = 32;
const SECONDS = Number(process.argv.find((a) => a.startsWith("--seconds="))?.split("=")[1] ?? 20);
// The first seconds measure JIT compilation and connection set-up, not the steady state.
const WARMUP_SECONDS = 3;
const LOCALES = ["en", "ro", "pl", "bg", "fa"] as const;
const SUBJECTS = {
  en: "Where is my order?",
  ro: "Unde este comanda mea? Livrarea întârzie",
  pl: "Gdzie jest moje zamówienie? Przesyłka się spóźnia",
  bg: "Къде е моята поръчка? Доставката закъснява",
  fa: "سفارش من کجاست؟ ارسال دیر شده است",
};

async function run(store: TStore) {
  const server = await startServer(store);
  const pool = new Pool(server.url, { connections: CLIENTS, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let seq = 0;
  let deadline = 0;
  let recording = false;
  const client = async (clientId: number) => {
    while (performance.now() < deadline) {
      const n = seq++;
      const locale = LOCALES[n % LOCALES.length] ?? "en";
      const body = JSON.stringify({
        brandId: server.brandId,
        subject: `${SUBJECTS[locale]} #${n}`,
        requester: { email: `customer${n % 5000}@example.com`, name: `Customer ${n % 5000}` },
        message: { body: `${SUBJECTS[locale]}. Order ${100000 + n}, client ${clientId}.` },
        tags: ["bench"],
      });
      const started = performance.now();
      const res = await pool.request({
        path: "/api/v1/tickets",
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${server.token}` },
        body,
      });
      await res.body.dump();
      if (!recording) continue;
      latencies.push(performance.now() - started);
      if (res.statusCode !== 201) errors++;
    }
  };
  deadline = performance.now() + WARMUP_SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  recording = true;
  deadline = performance.now() + SECONDS * 1000;
  const begin = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  const elapsed = (performance.now() - begin) / 1000;
  await pool.close();
  await server.stop();
  latencies.sort((a, b) => a - b);
  const ok = latencies.length - errors;
  return {
    bench: "tickets",
    store,
    clients: CLIENTS,
    seconds: round(elapsed, 1),
    created: ok,
    errors,
    ticketsPerSecond: round(ok / elapsed, 1),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  };
}

for (const store of storesFromArgs()) console.log(JSON.stringify(await run(store)));
