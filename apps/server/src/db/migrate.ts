import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { TDb } from "./connection.ts";

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
// Any constant: every process that migrates takes this lock, so two starting servers do not race.
const MIGRATION_LOCK_KEY = 4_711_042;

export type TMigration = { name: string; sql: string; checksum: string };

export function readMigrations(dir = MIGRATIONS_DIR): TMigration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(dir, name), "utf8");
      return { name, sql: text, checksum: createHash("sha256").update(text).digest("hex") };
    });
}

/** Applies pending forward-only migrations, each in its own transaction. Returns the names applied. */
export async function migrate(db: TDb, migrations = readMigrations()): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
    db,
  );
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      const row = await sql<{
        checksum: string;
      }>`SELECT checksum FROM schema_migrations WHERE name = ${migration.name}`.execute(trx);
      const existing = row.rows[0];
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await sql.raw(migration.sql).execute(trx);
      await sql`INSERT INTO schema_migrations (name, checksum) VALUES (${migration.name}, ${migration.checksum})`.execute(
        trx,
      );
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
