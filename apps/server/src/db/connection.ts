import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { createPgConfig } from "@electric-sql/pglite/node-postgres";
import { Kysely, type LogEvent, PostgresDialect } from "kysely";
import pg from "pg";
import type { DB } from "./schema.ts";

export type TDb = Kysely<DB>;
export type TDatabase = {
  db: TDb;
  kind: "pglite" | "postgres";
  /** The embedded engine, when there is one (tests clone it). */
  pglite?: PGlite;
  /** The connection string, for clients that need their own connections (the job queue's listener). */
  url?: string;
  /** Raw SQL through the shared pool; a multi-statement text answers the rows of all its statements. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
};

export type TQueryLog = (event: LogEvent) => void;

const sqlOverPool =
  (pool: pg.Pool) =>
  async (text: string, values?: unknown[]): Promise<{ rows: unknown[] }> => {
    const result = (await pool.query(text, values)) as pg.QueryResult | pg.QueryResult[];
    return { rows: Array.isArray(result) ? result.flatMap((r) => r.rows ?? []) : result.rows };
  };

export const pgliteExtensions = { pg_trgm, btree_gin };

export function openPglite(dataDir: string | undefined): Promise<PGlite> {
  return PGlite.create(dataDir, { extensions: pgliteExtensions });
}

/** Wraps an open PGlite in Kysely over PGlite's node-postgres adapter (one connection). */
export function databaseFromPglite(
  pglite: PGlite,
  opts: { ownsEngine?: boolean; log?: TQueryLog } = {},
): TDatabase {
  const ownsEngine = opts.ownsEngine ?? true;
  // The adapter's config object is what pg.Pool expects, though its declared type is narrower.
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    ...(opts.log ? { log: opts.log } : {}),
  });
  return {
    db,
    kind: "pglite",
    pglite,
    executeSql: sqlOverPool(pool),
    close: async () => {
      await db.destroy();
      if (ownsEngine) await pglite.close();
    },
  };
}

export function databaseFromUrl(url: string, poolSize: number, log?: TQueryLog): TDatabase {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server closes (restart, failover, a dropped test database) must not
  // crash the process: the pool discards it and the next query opens a new one.
  pool.on("error", (err) => {
    if ((err as { code?: string }).code !== "57P01")
      console.warn(`PostgreSQL connection lost: ${err.message}`);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
  return { db, kind: "postgres", url, executeSql: sqlOverPool(pool), close: () => db.destroy() };
}
