import { CompiledQuery } from "kysely";
import { type Db as IDatabase, PgBoss, type WorkOptions } from "pg-boss";
import type { z } from "zod";
import type { TDatabase, TDb } from "../db/connection.ts";

/**
 * The job queue (pg-boss 12) on the same database as everything else, embedded or PostgreSQL.
 * Jobs are sent inside the caller's transaction, so a job exists exactly when the change that
 * asked for it was committed: that is our outbox.
 */
export const JOB_SCHEMA = "pgboss";

export type TJobDefinition<T> = {
  name: string;
  payload: z.ZodType<T>;
  /** Seconds a job may run before pg-boss hands it to another worker. */
  expireInSeconds?: number;
  retryLimit?: number;
  retryDelay?: number;
  /**
   * Wake workers at once with NOTIFY (default). Off for jobs that are only a backstop: PostgreSQL
   * serialises the commits of transactions that notify.
   */
  notify?: boolean;
};

/** pg-boss over a Kysely executor (the pool, or a transaction), so its statements join our transaction. */
const overExecutor = (executor: TDb): IDatabase => ({
  executeSql: async (text, values) => {
    const result = await executor.executeQuery(CompiledQuery.raw(text, values ?? []));
    return { rows: result.rows as unknown[] };
  },
});

function bossFor(database: TDatabase, opts: { migrate: boolean; supervise: boolean }): PgBoss {
  const common = { schema: JOB_SCHEMA, migrate: opts.migrate, supervise: opts.supervise, schedule: false };
  // The embedded database has one connection: pg-boss shares our pool, so its statements queue behind
  // an open transaction instead of landing inside it. PostgreSQL gets its own small pool, for LISTEN.
  return database.kind === "pglite" || !database.url
    ? new PgBoss({ ...common, db: { executeSql: database.executeSql }, backend: "pglite" })
    : new PgBoss({ ...common, connectionString: database.url, max: 4, useListenNotify: true });
}

/** Creates or upgrades the queue's own tables (run with our migrations). */
export async function migrateJobQueue(database: TDatabase): Promise<void> {
  const boss = bossFor(database, { migrate: true, supervise: false });
  await boss.start();
  await boss.stop({ graceful: false, close: true });
}

export type TJobQueue = ReturnType<typeof createJobQueue>;

export function createJobQueue(database: TDatabase, log: (msg: string, err: unknown) => void) {
  const boss = bossFor(database, { migrate: false, supervise: true });
  boss.on("error", (err) => log("job queue error", err));
  const definitions = new Map<string, TJobDefinition<unknown>>();
  let started: Promise<unknown> | null = null;

  async function ensureQueue(def: TJobDefinition<unknown>) {
    await boss.createQueue(def.name, {
      expireInSeconds: def.expireInSeconds ?? 300,
      retryLimit: def.retryLimit ?? 5,
      retryDelay: def.retryDelay ?? 5,
      retryBackoff: true,
      notify: def.notify ?? true,
    });
  }

  return {
    define<T>(def: TJobDefinition<T>): void {
      definitions.set(def.name, def as TJobDefinition<unknown>);
    },

    /** Starts the queue and creates the defined queues; workers are added with work(). */
    async start(): Promise<void> {
      started ??= boss.start().then(async () => {
        for (const def of definitions.values()) await ensureQueue(def);
      });
      await started;
    },

    async stop(): Promise<void> {
      if (!started) return;
      await boss.stop({ graceful: true, timeout: 5000, close: true });
      started = null;
    },

    /** Sends a job inside the executor's transaction (or on its own with the plain pool). */
    async send<T extends object>(
      executor: TDb,
      def: TJobDefinition<T>,
      payload: T,
      opts: { startAfterSeconds?: number; singletonKey?: string } = {},
    ): Promise<void> {
      await boss.send(def.name, def.payload.parse(payload) as object, {
        db: overExecutor(executor),
        ...(opts.startAfterSeconds ? { startAfter: opts.startAfterSeconds } : {}),
        ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      });
    },

    /** Sends several jobs of one kind in one statement, inside the executor's transaction. */
    async sendMany<T extends object>(executor: TDb, def: TJobDefinition<T>, payloads: T[]): Promise<void> {
      if (payloads.length === 0) return;
      await boss.insert(
        def.name,
        payloads.map((p) => ({ data: def.payload.parse(p) as object })),
        { db: overExecutor(executor) },
      );
    },

    /**
     * Runs the handler once for each fetched batch of jobs (up to batchSize), for handlers that do
     * a batch's work in fewer statements than one job at a time. A throw retries the whole batch.
     */
    async workBatch<T>(
      def: TJobDefinition<T>,
      handler: (payloads: T[]) => Promise<void>,
      opts: Pick<WorkOptions, "batchSize" | "pollingIntervalSeconds"> = {},
    ): Promise<void> {
      await boss.work<object>(
        def.name,
        { batchSize: 20, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true, ...opts },
        (jobs) => handler(jobs.map((job) => def.payload.parse(job.data))),
      );
    },
  };
}
