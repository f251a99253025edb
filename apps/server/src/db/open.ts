import path from "node:path";
import type { TConfig } from "../config.ts";
import {
  databaseFromPglite,
  databaseFromUrl,
  openPglite,
  type TDatabase,
  type TQueryLog,
} from "./connection.ts";
import { lockDataDir } from "./data-dir-lock.ts";

/** PostgreSQL when DATABASE_URL is set, else embedded PGlite in the data folder (locked to this process). */
export async function openDatabase(config: TConfig, log?: TQueryLog): Promise<TDatabase> {
  if (config.databaseUrl) return databaseFromUrl(config.databaseUrl, config.databasePoolSize, log);
  const lock = lockDataDir(config.dataDir);
  try {
    const pglite = await openPglite(path.join(config.dataDir, "pgdata"));
    const database = databaseFromPglite(pglite, log ? { log } : {});
    return {
      ...database,
      close: async () => {
        await database.close();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}
