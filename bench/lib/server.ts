import pg from "pg";
import { request } from "undici";
import { startServerProcess } from "../../tools/server-process.ts";

export type TStore = "embedded" | "postgres";
export type TBenchServer = {
  url: string;
  token: string;
  brandId: string;
  databaseUrl: string | null;
  stop(): Promise<void>;
};

const PG_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ADMIN = { email: "bench@switchboard.test", password: "benchmark-password" };

async function json<T>(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T; headers: Record<string, string | string[] | undefined> }> {
  const res = await request(url, {
    method: (init.method ?? "GET") as "GET",
    headers: { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.statusCode, body: (await res.body.json()) as T, headers: res.headers };
}

/** Starts Switchboard as its own process on a fresh store, signs in and returns an API token and a brand. */
export async function startServer(store: TStore): Promise<TBenchServer> {
  let databaseUrl: string | null = null;
  if (store === "postgres") {
    const name = `sb_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
  }
  const server = await startServerProcess({
    // BENCH_NODE_ARGS passes flags to the server's Node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    nodeArgs: (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean),
    env: {
      SWITCHBOARD_ADMIN_EMAIL: ADMIN.email,
      SWITCHBOARD_ADMIN_PASSWORD: ADMIN.password,
      // BENCH_POOL_SIZE: connections per server process (32 by default here, 20 in the server).
      ...(databaseUrl
        ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? "32" }
        : {}),
    },
  });
  const url = server.url;
  const login = await json<{ csrfToken: string }>(`${url}/api/v1/auth/login`, {
    method: "POST",
    body: ADMIN,
  });
  const cookie = String(login.headers["set-cookie"]).split(";")[0] ?? "";
  const session = { cookie, "x-csrf-token": login.body.csrfToken };
  const token = (
    await json<{ token: string }>(`${url}/api/v1/tokens`, {
      method: "POST",
      body: { name: "bench" },
      headers: session,
    })
  ).body.token;
  const brand = await json<{ id: string }>(`${url}/api/v1/brands`, {
    method: "POST",
    body: {
      name: "Bench Shop",
      slug: `bench-${new URL(url).port}`,
      defaultLocale: "en",
      supportedLocales: ["en", "ro", "pl", "bg", "fa"],
    },
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    url,
    token,
    brandId: brand.body.id,
    databaseUrl,
    async stop() {
      await server.stop();
      // BENCH_KEEP_DB=1 leaves the database for a look at its plans (EXPLAIN) afterwards.
      if (databaseUrl && !process.env.BENCH_KEEP_DB) {
        const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
        await admin.end();
      }
    },
  };
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export const storesFromArgs = (): TStore[] => {
  const arg = process.argv.find((a) => a.startsWith("--store="))?.split("=")[1];
  return arg === "embedded" || arg === "postgres" ? [arg] : ["embedded", "postgres"];
};
