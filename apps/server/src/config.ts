import os from "node:os";
import path from "node:path";
import { z } from "zod";

const ZEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  SWITCHBOARD_DATA_DIR: z.string().default("./data"),
  SWITCHBOARD_ADMIN_EMAIL: z.email().optional(),
  SWITCHBOARD_ADMIN_PASSWORD: z.string().min(10).optional(),
  SWITCHBOARD_DEMO: z.enum(["auto", "off"]).default("auto"),
  SWITCHBOARD_MAX_ATTACHMENT_MB: z.coerce.number().positive().default(25),
  SWITCHBOARD_SESSION_DAYS: z.coerce.number().positive().default(14),
  SWITCHBOARD_COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  SWITCHBOARD_TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  SWITCHBOARD_WORKERS: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(64)]).default("auto"),
  SWITCHBOARD_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SWITCHBOARD_SMTP_HOST: z.string().default("0.0.0.0"),
  SWITCHBOARD_SMTP_TLS_KEY: z.string().optional(),
  SWITCHBOARD_SMTP_TLS_CERT: z.string().optional(),
  SWITCHBOARD_MAX_EMAIL_MB: z.coerce.number().positive().default(35),
  SWITCHBOARD_SMTP_RELAY: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.string().default("development"),
});

export type TConfig = {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  attachmentsDir: string;
  admin: { email: string; password: string } | undefined;
  demo: boolean;
  maxAttachmentBytes: number;
  maxBodyBytes: number;
  sessionTtlMs: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  logLevel: string;
  email: {
    /** The built-in SMTP listener; off when no port is set. */
    smtp: { port: number; host: string; tls: { key: string; cert: string } | null } | null;
    maxMessageBytes: number;
    /** The install-wide outgoing server (smtp://user:pass@host:port), for brands without their own. */
    relayUrl: string | null;
  };
  /** Server processes sharing the port; always 1 on the embedded store, which one process owns. */
  workers: number;
};

/** Parses the environment once; a bad value stops the process with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TConfig {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (Boolean(e.SWITCHBOARD_SMTP_TLS_KEY) !== Boolean(e.SWITCHBOARD_SMTP_TLS_CERT)) {
    throw new Error(
      "Invalid configuration: set both SWITCHBOARD_SMTP_TLS_KEY and SWITCHBOARD_SMTP_TLS_CERT, or neither",
    );
  }
  if (Boolean(e.SWITCHBOARD_ADMIN_EMAIL) !== Boolean(e.SWITCHBOARD_ADMIN_PASSWORD)) {
    throw new Error(
      "Invalid configuration: set both SWITCHBOARD_ADMIN_EMAIL and SWITCHBOARD_ADMIN_PASSWORD, or neither",
    );
  }
  // npm runs workspace scripts inside apps/server; a relative folder means the one the user started from.
  const dataDir = path.resolve(env.INIT_CWD ?? process.cwd(), e.SWITCHBOARD_DATA_DIR);
  const maxAttachmentBytes = Math.round(e.SWITCHBOARD_MAX_ATTACHMENT_MB * 1024 * 1024);
  const publicUrl = (
    e.PUBLIC_URL ?? `http://${e.HOST === "0.0.0.0" ? "localhost" : e.HOST}:${e.PORT}`
  ).replace(/\/$/, "");
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    databaseUrl: e.DATABASE_URL || undefined,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir,
    attachmentsDir: path.join(dataDir, "attachments"),
    admin:
      e.SWITCHBOARD_ADMIN_EMAIL && e.SWITCHBOARD_ADMIN_PASSWORD
        ? { email: e.SWITCHBOARD_ADMIN_EMAIL, password: e.SWITCHBOARD_ADMIN_PASSWORD }
        : undefined,
    demo: e.SWITCHBOARD_DEMO === "auto",
    maxAttachmentBytes,
    // JSON bodies are small; multipart uploads have their own limit per file.
    maxBodyBytes: 1024 * 1024,
    sessionTtlMs: e.SWITCHBOARD_SESSION_DAYS * 24 * 3600 * 1000,
    cookieSecure:
      e.SWITCHBOARD_COOKIE_SECURE === "auto"
        ? publicUrl.startsWith("https://")
        : e.SWITCHBOARD_COOKIE_SECURE === "true",
    trustProxy: e.SWITCHBOARD_TRUST_PROXY === "true",
    logLevel: e.LOG_LEVEL,
    email: {
      smtp:
        e.SWITCHBOARD_SMTP_PORT === undefined
          ? null
          : {
              port: e.SWITCHBOARD_SMTP_PORT,
              host: e.SWITCHBOARD_SMTP_HOST,
              tls:
                e.SWITCHBOARD_SMTP_TLS_KEY && e.SWITCHBOARD_SMTP_TLS_CERT
                  ? { key: e.SWITCHBOARD_SMTP_TLS_KEY, cert: e.SWITCHBOARD_SMTP_TLS_CERT }
                  : null,
            },
      maxMessageBytes: Math.round(e.SWITCHBOARD_MAX_EMAIL_MB * 1024 * 1024),
      relayUrl: e.SWITCHBOARD_SMTP_RELAY ?? null,
    },
    workers: !e.DATABASE_URL
      ? 1
      : e.SWITCHBOARD_WORKERS === "auto"
        ? os.availableParallelism()
        : e.SWITCHBOARD_WORKERS,
  };
}
