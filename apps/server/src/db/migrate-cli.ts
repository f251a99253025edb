import { loadConfig } from "../config.ts";
import { migrateJobQueue } from "../jobs/job-queue.ts";
import { migrate } from "./migrate.ts";
import { openDatabase } from "./open.ts";

const config = loadConfig();
const database = await openDatabase(config);
try {
  const applied = await migrate(database.db);
  await migrateJobQueue(database);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
} finally {
  await database.close();
}
