import cluster from "node:cluster";
import { buildApp } from "./app.ts";
import { startBackground } from "./background.ts";
import { bootstrap } from "./bootstrap.ts";
import { loadConfig, type TConfig } from "./config.ts";
import type { TDatabase } from "./db/connection.ts";
import { migrate } from "./db/migrate.ts";
import { openDatabase } from "./db/open.ts";
import { createMetrics } from "./http/metrics.ts";
import { migrateJobQueue } from "./jobs/job-queue.ts";

const config = loadConfig();
const HOUSEKEEPING_MS = 10 * 60 * 1000;

async function open(cfg: TConfig, metrics?: ReturnType<typeof createMetrics>): Promise<TDatabase> {
  try {
    return await openDatabase(cfg, metrics?.observeQuery);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}

/** Migrates and, on an empty database, creates the first workspace. Returns what to print. */
async function prepare(database: TDatabase): Promise<string | null> {
  await migrate(database.db);
  await migrateJobQueue(database);
  const { services, app } = await buildApp({ config: { ...config, logLevel: "silent" }, database });
  const message = await bootstrap(services, config);
  await app.close();
  return message;
}

function banner(message: string | null, smtpPort: number | null) {
  const where = config.databaseUrl
    ? `PostgreSQL, ${config.workers} worker(s)`
    : `embedded PGlite in ${config.dataDir}`;
  console.log(`\nSwitchboard is running at ${config.publicUrl} (database: ${where})`);
  console.log(`API docs: ${config.publicUrl}/api/docs`);
  if (smtpPort !== null) console.log(`Receiving mail by SMTP on port ${smtpPort}`);
  if (message) console.log(message);
}

async function serve(prepared: boolean) {
  const metrics = createMetrics();
  const database = await open(config, metrics);
  const message = prepared ? null : await prepare(database);
  const { app, services } = await buildApp({ config, database, metrics });
  // Every process may run it: the deletes are idempotent.
  const housekeeping = setInterval(() => {
    services.auth.purgeExpired().catch((err: unknown) => app.log.warn({ err }, "housekeeping failed"));
  }, HOUSEKEEPING_MS);
  housekeeping.unref();
  let closing = false;
  let stopBackground: (() => Promise<void>) | null = null;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    await stopBackground?.();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  await app.listen({ port: config.port, host: config.host });
  const background = await startBackground(services, config, (msg, err) => app.log.error({ err }, msg), {
    parallel: database.kind === "postgres" ? 4 : 1,
  });
  stopBackground = background.stop;
  if (!prepared) banner(message, background.smtpPort);
}

if (config.workers > 1 && cluster.isPrimary) {
  // Several stateless processes share the port; the primary only prepares the database and supervises.
  const database = await open(config);
  const message = await prepare(database);
  await database.close();
  let stopping = false;
  let listening = 0;
  cluster.on("listening", (_worker, address) => {
    if (address.port === config.port && ++listening === config.workers)
      banner(message, config.email.smtp?.port ?? null);
  });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  for (let i = 0; i < config.workers; i++) cluster.fork();
} else {
  await serve(cluster.isWorker);
}
