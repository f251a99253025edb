import type { TServices } from "./app.ts";
import type { TConfig } from "./config.ts";
import { createSmtpListener, type TSmtpListener } from "./modules/email/index.ts";

const SWEEP_MS = 15_000;

export type TBackground = { smtpPort: number | null; stop(): Promise<void> };

/**
 * What runs beside the HTTP server in every process: the job workers, the sweep that re-queues
 * mail whose job was lost, and the SMTP listener (processes share its port, like the HTTP one).
 */
export async function startBackground(
  services: TServices,
  config: TConfig,
  log: (msg: string, err?: unknown) => void,
  opts: { parallel: number },
): Promise<TBackground> {
  await services.jobs.start();
  await services.email.startWorkers(opts.parallel);
  const sweep = () =>
    services.email.requeueStale().catch((err: unknown) => log("requeueing waiting mail failed", err));
  void sweep();
  const sweeper = setInterval(sweep, SWEEP_MS);
  sweeper.unref();
  let smtp: TSmtpListener | null = null;
  let smtpPort: number | null = null;
  if (config.email.smtp) {
    smtp = createSmtpListener(services.email.store, {
      ...config.email.smtp,
      maxMessageBytes: config.email.maxMessageBytes,
      hostname: new URL(config.publicUrl).hostname,
      log,
    });
    smtpPort = await smtp.listen();
  }
  await services.imapGateway.start();
  return {
    smtpPort,
    async stop() {
      clearInterval(sweeper);
      await smtp?.close();
      // Before the job queue: the store enqueues jobs.
      await services.imapGateway.stop();
      await services.jobs.stop();
      services.email.outbound.close();
    },
  };
}
