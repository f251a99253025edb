import { ImapFlow, type ImapFlowError } from "imapflow";
import { z } from "zod";
import { AppError } from "../../lib/app-error.ts";

/**
 * Reads an IMAP mailbox with imapflow (password, or OAuth2 via XOAUTH2/OAUTHBEARER), hands every
 * message not yet imported to a callback, and marks it \Seen (or moves it) only once that callback
 * has resolved: a crash between storing and flagging imports the message again, never loses it, so
 * the callback must be idempotent. No database code here: the caller keeps the state.
 */

export const ZImapMailboxConfig = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** TLS from the first byte (993). When false, STARTTLS is required unless the host is loopback. */
    secure: z.boolean(),
    username: z.string().min(1),
    auth: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("password"), password: z.string().min(1) }),
      z.object({ kind: z.literal("oauth2"), accessToken: z.string().min(1) }),
    ]),
    folder: z.string().min(1).default("INBOX"),
    afterImport: z.enum(["seen", "move"]),
    moveTo: z.string().min(1).optional(),
    allowSelfSigned: z.boolean().default(false),
  })
  .refine((c) => c.afterImport !== "move" || (c.moveTo !== undefined && c.moveTo !== c.folder), {
    message: 'afterImport "move" needs a moveTo folder other than the one read',
    path: ["moveTo"],
  });
export type TImapMailboxConfig = z.output<typeof ZImapMailboxConfig>;
export type TImapMailboxConfigInput = z.input<typeof ZImapMailboxConfig>;

/**
 * Where the last import stopped. `{ uidValidity: null, lastUid: 0 }` imports every message in the
 * folder, read or not; to take only unread and new mail, start from probeMailbox()'s
 * `{ uidValidity, lastUid: uidNext - 1 }`.
 */
export const ZImapMailboxState = z.object({
  /** The folder's UIDVALIDITY the UIDs below belong to; null before the first import. */
  uidValidity: z.string().nullable(),
  /** Every message up to this UID has been handed over and flagged (or moved). */
  lastUid: z.number().int().min(0),
});
export type TImapMailboxState = z.output<typeof ZImapMailboxState>;

export type TImapMessageMeta = { uid: number; uidValidity: string; folder: string };
export type TOnImapMessage = (raw: Buffer, meta: TImapMessageMeta) => Promise<void>;
export type TImapImportResult = {
  state: TImapMailboxState;
  /** UIDs whose callback resolved and which were then flagged or moved. */
  imported: number[];
  /** Left untouched: imported again on the next run. */
  failed: Array<{ uid: number; error: unknown }>;
  /** The run stopped at `limit` (or on abort) with messages still waiting. */
  more: boolean;
};
export type TImapLog = (msg: string, err?: unknown) => void;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i;

const describe = (err: unknown) => {
  const e = err as ImapFlowError;
  return [e?.responseText || e?.message || String(err), e?.serverResponseCode || e?.code]
    .filter(Boolean)
    .join(" ");
};

/** imapflow's errors → AppError codes an admin screen or a job log can act on. */
function imapError(config: TImapMailboxConfig, err: unknown, during: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as ImapFlowError;
  const where = `${config.username} at ${config.host}:${config.port}`;
  if (e?.authenticationFailed) {
    return new AppError("imap_auth_failed", `IMAP login as ${where} was refused: ${describe(err)}`, 422);
  }
  if (e?.tlsFailed || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(String(e?.code))) {
    const hint = /SELF_SIGNED/.test(String(e?.code))
      ? " (allowSelfSigned accepts a self-signed certificate)"
      : "";
    return new AppError("imap_tls_failed", `IMAP TLS with ${where} failed: ${describe(err)}${hint}`, 502);
  }
  return new AppError("imap_connection_failed", `IMAP ${during} for ${where} failed: ${describe(err)}`, 502);
}

/** Connects and logs in; the client's `error` event is handled, so a dropped socket never crashes us. */
async function connectImap(
  config: TImapMailboxConfig,
  log?: TImapLog,
  signal?: AbortSignal,
): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: config.host,
    port: config.port,
    secure: config.secure,
    doSTARTTLS: config.secure || LOOPBACK.test(config.host) ? undefined : true,
    tls: config.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    auth:
      config.auth.kind === "password"
        ? { user: config.username, pass: config.auth.password }
        : { user: config.username, accessToken: config.auth.accessToken },
    logger: false,
    disableAutoIdle: true,
    // Renew IDLE before imapflow's 5-minute socket timeout on servers that send no keepalive.
    maxIdleTime: 4 * 60_000,
    connectionTimeout: 30_000,
  });
  client.on("error", (err: Error) => log?.(`imap ${config.username}@${config.host}: connection error`, err));
  const onAbort = () => client.close();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw imapError(config, err, "connect");
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  return client;
}

async function closeQuietly(client: ImapFlow) {
  if (client.isClosed) return;
  const timer = setTimeout(() => client.close(), 3000);
  await client.logout().catch(() => client.close());
  clearTimeout(timer);
}

async function openFolder(client: ImapFlow, config: TImapMailboxConfig) {
  if (client.mailbox && client.mailbox.path === config.folder) return client.mailbox;
  try {
    return await client.mailboxOpen(config.folder);
  } catch (err) {
    const e = err as ImapFlowError;
    if (e?.serverResponseCode === "NONEXISTENT" || e?.mailboxMissing || e?.responseStatus === "NO") {
      throw new AppError(
        "imap_folder_not_found",
        `IMAP folder "${config.folder}" cannot be opened: ${describe(err)}`,
        422,
      );
    }
    throw imapError(config, err, "opening the folder");
  }
}

/** STATUS answers NO (imapflow: NotFound, or false) for a missing folder; a dropped connection still throws. */
async function folderExists(client: ImapFlow, folder: string) {
  try {
    return (await client.status(folder, { messages: true })) !== false;
  } catch (err) {
    const e = err as ImapFlowError;
    if (e?.code === "NotFound" || e?.responseStatus === "NO") return false;
    throw err;
  }
}

/** Messages waiting: newer than lastUid, and (seen mode) every unseen one, or (move mode) all still here. */
async function pendingUids(client: ImapFlow, config: TImapMailboxConfig, lastUid: number) {
  const search = async (query: Parameters<ImapFlow["search"]>[0]) => {
    const found = await client.search(query, { uid: true });
    if (!Array.isArray(found)) throw new Error(`SEARCH ${JSON.stringify(query)} was refused`);
    return found;
  };
  if (config.afterImport === "move") return (await search({ all: true })).sort((a, b) => a - b);
  // "N:*" always matches the highest UID, even below N: filter.
  const newer = (await search({ uid: `${lastUid + 1}:*` })).filter((uid) => uid > lastUid);
  const unseen = await search({ seen: false });
  return [...new Set([...newer, ...unseen])].sort((a, b) => a - b);
}

/** One import run on an open connection; see importNewMessages. */
async function importOnClient(
  client: ImapFlow,
  config: TImapMailboxConfig,
  state: TImapMailboxState,
  onMessage: TOnImapMessage,
  opts: { limit?: number; signal?: AbortSignal } = {},
): Promise<TImapImportResult> {
  const mailbox = await openFolder(client, config);
  const uidValidity = String(mailbox.uidValidity);
  // A new UIDVALIDITY makes the old UIDs meaningless: start over (the store is idempotent).
  const lastUid = state.uidValidity === uidValidity ? state.lastUid : 0;
  const result: TImapImportResult = {
    state: { uidValidity, lastUid },
    imported: [],
    failed: [],
    more: false,
  };
  try {
    if (config.afterImport === "move" && config.moveTo) {
      if (!(await folderExists(client, config.moveTo))) {
        throw new AppError(
          "imap_folder_not_found",
          `IMAP folder "${config.moveTo}" to move imported mail to does not exist`,
          422,
        );
      }
    }
    const uids = await pendingUids(client, config, lastUid);
    const limit = opts.limit ?? Number.POSITIVE_INFINITY;
    let done = lastUid;
    let firstFailed = Number.POSITIVE_INFINITY;
    for (const [i, uid] of uids.entries()) {
      if (i >= limit || opts.signal?.aborted) {
        result.more = true;
        break;
      }
      const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (message && message.source !== undefined) {
        try {
          await onMessage(message.source, { uid, uidValidity, folder: config.folder });
        } catch (error) {
          result.failed.push({ uid, error });
          firstFailed = Math.min(firstFailed, uid);
          continue;
        }
        const ok =
          config.afterImport === "move" && config.moveTo
            ? await client.messageMove(String(uid), config.moveTo, { uid: true })
            : await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
        if (!ok)
          throw new Error(
            `${config.afterImport === "move" ? "MOVE" : "STORE \\Seen"} of UID ${uid} was refused`,
          );
        result.imported.push(uid);
      }
      // Gone (expunged meanwhile) or imported: either way past it.
      done = Math.max(done, uid);
      // Never past a message whose callback failed, never back below where we started.
      result.state = { uidValidity, lastUid: Math.max(lastUid, Math.min(done, firstFailed - 1)) };
    }
  } catch (err) {
    throw imapError(config, err, "import");
  }
  return result;
}

/**
 * Connects, hands each waiting message to `onMessage` in UID order, one at a time, flags it \Seen
 * (or moves it to `moveTo`) after the callback resolved, and returns the state to pass next time.
 * A callback that throws leaves its message untouched (listed in `failed`, lastUid kept below it);
 * the others go on. Connection, login and folder problems throw an AppError (`imap_auth_failed`,
 * `imap_connection_failed`, `imap_tls_failed`, `imap_folder_not_found`).
 */
export async function importNewMessages(
  config: TImapMailboxConfigInput,
  state: TImapMailboxState,
  onMessage: TOnImapMessage,
  opts: { limit?: number; signal?: AbortSignal; log?: TImapLog } = {},
): Promise<TImapImportResult> {
  const parsed = ZImapMailboxConfig.parse(config);
  const client = await connectImap(parsed, opts.log);
  try {
    return await importOnClient(client, parsed, ZImapMailboxState.parse(state), onMessage, opts);
  } finally {
    await closeQuietly(client);
  }
}

/** Checks the login and the folders, for an admin's "test connection". */
export async function probeMailbox(config: TImapMailboxConfigInput) {
  const parsed = ZImapMailboxConfig.parse(config);
  const client = await connectImap(parsed);
  try {
    const mailbox = await openFolder(client, parsed);
    if (parsed.afterImport === "move" && parsed.moveTo && !(await folderExists(client, parsed.moveTo))) {
      throw new AppError("imap_folder_not_found", `IMAP folder "${parsed.moveTo}" does not exist`, 422);
    }
    return {
      uidValidity: String(mailbox.uidValidity),
      uidNext: mailbox.uidNext,
      messages: mailbox.exists,
      idle: client.capabilities.has("IDLE"),
    };
  } finally {
    await closeQuietly(client);
  }
}

export type TWatchMailboxHandlers = {
  onMessage: TOnImapMessage;
  /** After every run that moved the state on: persist it. A throw is logged and the watch goes on. */
  onState?: (state: TImapMailboxState) => Promise<void>;
  log: TImapLog;
};
export type TWatchMailboxOptions = {
  signal: AbortSignal;
  state: TImapMailboxState;
  /** Without IDLE: the pause between runs (a fresh connection each). With IDLE: the longest wait
   * before looking again anyway (messages whose callback failed are retried then). Default 60 s. */
  pollIntervalMs?: number;
  /** Use IDLE where the server has it. Default true. */
  idle?: boolean;
  /** The first and the longest pause before reconnecting after a failure. Defaults 1 s and 5 min. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Messages per run, after which the state is saved. Default 100. */
  batchSize?: number;
};

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal, wake?: (fn: () => void) => void) {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    wake?.(done);
  });
}

/**
 * Watches a mailbox until `signal` aborts, then resolves with the last state. Connects, imports,
 * then waits in IDLE and imports again on every new-message (EXISTS) event, and at least every
 * `pollIntervalMs`. Without IDLE it polls: connect, import, disconnect, pause. A failure (login,
 * network, a dropped connection) is logged and retried with a doubling backoff; it never throws
 * once started. `config` may be a function, called before every connection: the place to hand
 * in a fresh OAuth2 access token.
 */
export async function watchMailbox(
  config: TImapMailboxConfigInput | (() => Promise<TImapMailboxConfigInput>),
  handlers: TWatchMailboxHandlers,
  opts: TWatchMailboxOptions,
): Promise<TImapMailboxState> {
  const { signal } = opts;
  const pollIntervalMs = opts.pollIntervalMs ?? 60_000;
  const minBackoff = opts.minBackoffMs ?? 1000;
  const maxBackoff = opts.maxBackoffMs ?? 5 * 60_000;
  const staticConfig = typeof config === "function" ? null : ZImapMailboxConfig.parse(config);
  let state = ZImapMailboxState.parse(opts.state);
  let backoff = minBackoff;
  const log: TImapLog = (msg, err) => {
    try {
      handlers.log(msg, err);
    } catch {
      // a broken logger must not stop the watch
    }
  };

  while (!signal.aborted) {
    let client: ImapFlow | null = null;
    let label = "imap";
    try {
      const cfg = staticConfig ?? ZImapMailboxConfig.parse(await (config as () => Promise<unknown>)());
      label = `imap ${cfg.username}@${cfg.host}/${cfg.folder}`;
      client = await connectImap(cfg, log, signal);
      const connection = client;
      let newMail = false;
      let closed = false;
      let wakeUp: (() => void) | null = null;
      connection.on("exists", () => {
        newMail = true;
        wakeUp?.();
      });
      connection.on("close", () => {
        closed = true;
        wakeUp?.();
      });
      for (;;) {
        newMail = false;
        const result = await importOnClient(connection, cfg, state, handlers.onMessage, {
          limit: opts.batchSize ?? 100,
          signal,
        });
        backoff = minBackoff;
        for (const { uid, error } of result.failed) {
          log(`${label}: storing UID ${uid} failed; it stays unread and is tried again`, error);
        }
        if (result.state.uidValidity !== state.uidValidity || result.state.lastUid !== state.lastUid) {
          state = result.state;
          try {
            await handlers.onState?.(state);
          } catch (err) {
            log(`${label}: saving the mailbox state failed`, err);
          }
        }
        if (signal.aborted) break;
        if (result.more || newMail) continue;
        if (closed || !connection.usable) throw new Error("the connection closed");
        if (opts.idle === false || !connection.capabilities.has("IDLE")) {
          await closeQuietly(connection);
          await pause(pollIntervalMs, signal);
          break;
        }
        // Resolves when the next command breaks the IDLE, or the connection closes.
        void connection.idle().catch(() => undefined);
        await pause(pollIntervalMs, signal, (fn) => {
          wakeUp = fn;
        });
        wakeUp = null;
        if (signal.aborted) break;
        if (closed) throw new Error("the connection closed while idling");
      }
    } catch (err) {
      if (signal.aborted) break;
      log(`${label}: ${err instanceof Error ? err.message : String(err)}; retrying in ${backoff} ms`, err);
      if (client) await closeQuietly(client);
      await pause(backoff, signal);
      backoff = Math.min(backoff * 2, maxBackoff);
    } finally {
      if (client) await closeQuietly(client);
    }
  }
  return state;
}
