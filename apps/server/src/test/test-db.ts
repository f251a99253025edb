import { randomBytes } from "node:crypto";
import { after } from "node:test";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { databaseFromPglite, databaseFromUrl, openPglite, type TDatabase } from "../db/connection.ts";
import { migrate } from "../db/migrate.ts";
import { migrateJobQueue } from "../jobs/job-queue.ts";

/**
 * A fresh, migrated database per test. Embedded: one migrated PGlite is cloned (a fresh start costs
 * seconds, a clone well under one). PostgreSQL (DATABASE_URL set): one migrated template database,
 * copied with CREATE DATABASE ... TEMPLATE and dropped afterwards.
 */
let pgliteTemplate: Promise<PGlite> | undefined;
let pgTemplate: Promise<string> | undefined;

// Tests run in one process (--test-isolation=none); this root hook runs after the last one. An open
// PGlite keeps the process alive for seconds, and a killed run leaves sb_tpl_* for .ci/run to sweep.
after(async () => {
  if (pgliteTemplate) await (await pgliteTemplate).close();
  const url = process.env.DATABASE_URL;
  if (url && pgTemplate) {
    const name = await pgTemplate;
    await withAdmin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
});

const adminUrl = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createPgTemplate(url: string): Promise<string> {
  const name = `sb_tpl_${process.pid}_${randomBytes(3).toString("hex")}`;
  await withAdmin(url, (c) => c.query(`CREATE DATABASE ${name}`));
  const database = databaseFromUrl(adminUrl(url, name), 2);
  await migrate(database.db);
  await migrateJobQueue(database);
  await database.close();
  return name;
}

export async function createTestDatabase(): Promise<TDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    pgTemplate ??= createPgTemplate(url);
    const template = await pgTemplate;
    const name = `sb_test_${randomBytes(6).toString("hex")}`;
    await withAdmin(url, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
    const database = databaseFromUrl(adminUrl(url, name), 10);
    return {
      ...database,
      close: async () => {
        await database.close();
        await withAdmin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      },
    };
  }
  pgliteTemplate ??= (async () => {
    const template = await openPglite(undefined);
    const migrating = databaseFromPglite(template, { ownsEngine: false });
    await migrate(migrating.db);
    await migrateJobQueue(migrating);
    await migrating.close();
    return template;
  })();
  const clone = (await (await pgliteTemplate).clone()) as PGlite;
  return databaseFromPglite(clone);
}
