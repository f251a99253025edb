import { loadConfig } from "../config.ts";
import { migrate } from "./migrate.ts";
import { openDatabase } from "./open.ts";

const config = loadConfig();
const database = await openDatabase(config);
try {
  const applied = await migrate(database.db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
} finally {
  await database.close();
}
