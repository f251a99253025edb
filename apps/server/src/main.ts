import { buildApp } from "./app.ts";
import { bootstrap } from "./bootstrap.ts";
import { loadConfig } from "./config.ts";
import { migrate } from "./db/migrate.ts";
import { openDatabase } from "./db/open.ts";
import { createMetrics } from "./http/metrics.ts";

const config = loadConfig();
const metrics = createMetrics();
let database: Awaited<ReturnType<typeof openDatabase>>;
try {
  database = await openDatabase(config, metrics.observeQuery);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
await migrate(database.db);
const { app, services } = await buildApp({ config, database, metrics });
const firstRun = await bootstrap(services, config);

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, "shutting down");
  await app.close();
  await database.close();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

await app.listen({ port: config.port, host: config.host });
const where = config.databaseUrl ? "PostgreSQL" : `embedded PGlite in ${config.dataDir}`;
console.log(`\nSwitchboard is running at ${config.publicUrl} (database: ${where})`);
console.log(`API docs: ${config.publicUrl}/api/docs`);
if (firstRun) console.log(firstRun);
