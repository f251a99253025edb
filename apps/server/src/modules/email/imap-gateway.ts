import { performance } from "node:perf_hooks";
import type { TDb } from "../../db/connection.ts";
import type { TClock } from "../../lib/clock.ts";
import { pause, probeMailbox, type TImapMailboxState, watchMailbox } from "./imap-mailbox.ts";
import * as repo from "./imap-mailboxes.repository.ts";
import { toImapConfig } from "./imap-mailboxes.service.ts";
import type { TInboundStore } from "./inbound-store.ts";

/**
 * The IMAP gateway: reads every enabled mailbox (imap_mailboxes) and hands each message to the
 * inbound store, which stores it and enqueues its processing job; only then is it flagged \Seen (or
 * moved), so a crash anywhere imports it again rather than losing it.
 *
 * Every server process runs one. A mailbox is leased: a process claims a free one (an UPDATE that
 * re-checks "enabled and the lease free or run out" on the row, so one owner wins), renews its
 * leases every third of a lease period, and lets a mailbox go when it is disabled, deleted or its
 * lease lost; a crashed process's leases run out and another process takes its mailboxes over.
 * Changed settings are picked up by the next round (the watch restarts). Each leased mailbox is one
 * long-running watch (IDLE, or polling without it): this is the spec's "one job per mailbox", kept
 * out of pg-boss on purpose, as a job that never ends would hold a worker and its expiry would
 * fight the watch. The lease keeps the work in one place; correctness does not depend on it, since
 * the store is idempotent (two readers for a moment store each mail once).
 */

export type TImapGatewayDeps = {
  db: TDb;
  store: Pick<TInboundStore, "store">;
  log: (msg: string, err?: unknown) => void;
  clock: TClock;
  /** Unique per process, e.g. `${hostname}:${pid}:${random}`. */
  owner: string;
  /** How long a lease lasts without renewal: a crashed process's mailboxes wait this long at most. */
  leaseMs: number;
  /** With IDLE: the longest wait before looking anyway (failed messages are retried then); without: the pause between polls. Default 60 s. */
  pollIntervalMs?: number;
  /** The most mailboxes one process reads. Default 1000. */
  maxMailboxes?: number;
  /** Mailboxes taken per round, so processes started together share them. Default 100. */
  claimPerRound?: number;
  /** Reconnecting after a failure: the first and the longest pause. Defaults 1 s and 5 min. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A connection with no error for this long counts as working (imapflow gives up connecting after 30 s). Default 40 s. */
  healthyAfterMs?: number;
};

export type TImapGateway = {
  start(): Promise<void>;
  /** Stops every watch and gives the leases up, so another process takes over at once. */
  stop(): Promise<void>;
  /** Runs one lease round now (start() runs one every leaseMs / 3). */
  sync(): Promise<void>;
  /** Ids of the mailboxes this process is reading now. */
  watching(): string[];
};

type TWatch = {
  key: string;
  workspaceId: string;
  id: string;
  fingerprint: string;
  abort: AbortController;
  done: Promise<void>;
  /** performance.now() by which the lease must have been renewed. */
  leaseUntil: number;
  /** The current problem, null when none; what the row holds. */
  error: string | null;
  savedError: string | null;
  errorAt: number;
  /** The last connection attempt, and the last time a message was stored or the state saved. */
  attemptAt: number;
  successAt: number;
};

const keyOf = (row: { workspace_id: string; id: string }) => `${row.workspace_id}/${row.id}`;

/** The settings a watch runs with: when any of them changes, the watch restarts. */
const fingerprint = (r: repo.TImapMailboxRow) =>
  JSON.stringify([
    r.brand_id,
    r.address,
    r.host,
    r.port,
    r.secure,
    r.username,
    r.auth_kind,
    r.secret,
    r.folder,
    r.after_import,
    r.move_to,
  ]);

const errorText = (msg: string, err: unknown) => {
  const detail = err instanceof Error ? err.message : err === undefined ? "" : String(err);
  return (detail && !msg.includes(detail) ? `${msg}: ${detail}` : msg).slice(0, 1000);
};

export function createImapGateway(deps: TImapGatewayDeps): TImapGateway {
  const { db, store, clock, owner, leaseMs } = deps;
  const roundMs = Math.max(10, Math.floor(leaseMs / 3));
  const maxMailboxes = deps.maxMailboxes ?? 1000;
  const claimPerRound = deps.claimPerRound ?? 100;
  const minBackoffMs = deps.minBackoffMs ?? 1000;
  const maxBackoffMs = deps.maxBackoffMs ?? 5 * 60_000;
  const healthyAfterMs = deps.healthyAfterMs ?? 40_000;
  const watches = new Map<string, TWatch>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const log = (msg: string, err?: unknown) => {
    try {
      deps.log(msg, err);
    } catch {
      // a broken logger must not stop the gateway
    }
  };

  /** Reads one mailbox until its watch is aborted. */
  async function runWatch(w: TWatch, row: repo.TImapMailboxRow) {
    const { signal } = w.abort;
    const label = `imap mailbox ${row.id} (${row.username}@${row.host}/${row.folder})`;
    const where = { workspaceId: row.workspace_id, id: row.id, owner };
    const account = { host: row.host, port: row.port, username: row.username, folder: row.folder };
    const recipient = { workspaceId: row.workspace_id, brandId: row.brand_id, address: row.address };
    const note = (msg: string, err?: unknown) => {
      w.error = errorText(msg, err);
      w.errorAt = performance.now();
      log(`${label}: ${msg}`, err);
    };
    const config = async () => {
      w.attemptAt = performance.now();
      return toImapConfig(row);
    };
    const save = async (state: TImapMailboxState) => {
      w.successAt = performance.now();
      // An error from before this connection is over; one from this run (a failed store) stays.
      if (w.errorAt < w.attemptAt) w.error = null;
      const lastError = w.error;
      await repo.saveImportState(db, where, account, { ...state, lastError, at: clock.now() });
      w.savedError = lastError;
    };

    let state: TImapMailboxState = { uidValidity: row.uid_validity, lastUid: Number(row.last_uid) };
    // Read for the first time (or since its account or folder changed): begin at the end of the
    // folder, so the mail already read there stays where it is; unread mail is still imported.
    let backoff = minBackoffMs;
    while (state.uidValidity === null && !signal.aborted) {
      try {
        const probe = await probeMailbox(await config());
        state = { uidValidity: probe.uidValidity, lastUid: Math.max(0, probe.uidNext - 1) };
        await save(state);
      } catch (err) {
        note(`opening the mailbox failed; retrying in ${backoff} ms`, err);
        await pause(backoff, signal);
        backoff = Math.min(backoff * 2, maxBackoffMs);
      }
    }
    if (signal.aborted) return;
    await watchMailbox(
      config,
      {
        onMessage: async (raw) => {
          // Letting the mailbox go: leave the message for whoever reads it next.
          if (signal.aborted) throw new Error("the gateway is letting this mailbox go");
          await store.store(raw, { from: null, recipients: [recipient], source: "imap", mailboxId: row.id });
          w.successAt = performance.now();
          w.error = null;
        },
        onState: save,
        log: note,
      },
      { signal, state, pollIntervalMs: deps.pollIntervalMs, minBackoffMs, maxBackoffMs },
    );
  }

  function startWatch(row: repo.TImapMailboxRow, leaseFrom: number) {
    const w: TWatch = {
      key: keyOf(row),
      workspaceId: row.workspace_id,
      id: row.id,
      fingerprint: fingerprint(row),
      abort: new AbortController(),
      done: Promise.resolve(),
      leaseUntil: leaseFrom + leaseMs,
      error: row.last_error,
      savedError: row.last_error,
      errorAt: row.last_error ? performance.now() : 0,
      attemptAt: 0,
      successAt: 0,
    };
    watches.set(w.key, w);
    w.done = runWatch(w, row)
      .catch((err: unknown) => log(`imap mailbox ${row.id}: the watch stopped`, err))
      .finally(() => {
        if (watches.get(w.key) === w) watches.delete(w.key);
      });
  }

  async function stopWatch(w: TWatch) {
    w.abort.abort();
    await w.done;
    if (watches.get(w.key) === w) watches.delete(w.key);
  }

  /** A watch whose changed settings arrived: stop it, then go on from the state it saved. */
  async function restartWatch(w: TWatch) {
    await stopWatch(w);
    const leaseFrom = performance.now();
    const row = await repo.findMailbox(db, w.workspaceId, w.id);
    if (!stopped && row && row.enabled && row.lease_owner === owner && !watches.has(w.key)) {
      startWatch(row, leaseFrom);
    }
  }

  /** Stops the watches whose lease may run out before the next round could renew it. */
  async function stopExpiring() {
    const now = performance.now();
    const expiring = [...watches.values()].filter((w) => now + roundMs >= w.leaseUntil);
    for (const w of expiring) log(`imap mailbox ${w.id}: its lease could not be renewed; letting it go`);
    await Promise.all(expiring.map(stopWatch));
  }

  /** Writes the mailboxes' health: a new or cleared error, and when the working ones were last seen working. */
  async function saveHealth() {
    const now = performance.now();
    const checked: Array<{ workspaceId: string; id: string }> = [];
    for (const w of watches.values()) {
      const connected =
        w.attemptAt > 0 &&
        w.errorAt < w.attemptAt &&
        (w.successAt >= w.attemptAt || now - w.attemptAt >= healthyAfterMs);
      if (connected) w.error = null;
      if (w.error !== w.savedError) {
        const lastError = w.error;
        await repo.saveHealth(
          db,
          { workspaceId: w.workspaceId, id: w.id, owner },
          { lastError, checkedAt: lastError === null ? clock.now() : null },
        );
        w.savedError = lastError;
      } else if (connected) {
        checked.push({ workspaceId: w.workspaceId, id: w.id });
      }
    }
    if (checked.length > 0) await repo.markChecked(db, owner, checked, clock.now());
  }

  async function round() {
    const startedAt = performance.now();
    try {
      await repo.releaseDisabled(db, owner);
      const mine = await repo.renewLeases(db, owner, leaseMs);
      const byKey = new Map(mine.map((row) => [keyOf(row), row]));
      const changes: Promise<void>[] = [];
      for (const w of [...watches.values()]) {
        const row = byKey.get(w.key);
        // Deleted, disabled, or taken over after our lease ran out.
        if (!row) changes.push(stopWatch(w));
        else if (fingerprint(row) !== w.fingerprint) changes.push(restartWatch(w));
        else w.leaseUntil = startedAt + leaseMs;
      }
      // Leases held under this owner name without a watch (a process restarted with the same name).
      for (const row of mine) if (!watches.has(keyOf(row)) && !stopped) startWatch(row, startedAt);
      await Promise.all(changes);
      const room = Math.min(maxMailboxes - watches.size, claimPerRound);
      if (room > 0 && !stopped) {
        for (const free of await repo.listClaimable(db, room)) {
          const claimedFrom = performance.now();
          const row = await repo.claimMailbox(db, free.workspace_id, free.id, owner, leaseMs);
          if (row && !stopped && !watches.has(keyOf(row))) startWatch(row, claimedFrom);
        }
      }
      await saveHealth();
    } catch (err) {
      log("imap gateway: the lease round failed", err);
      await stopExpiring();
    }
  }

  function runRound(): Promise<void> {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    async start() {
      if (timer || stopped) return;
      await runRound();
      timer = setInterval(() => {
        void stopExpiring();
        void runRound();
      }, roundMs);
      timer.unref();
    },

    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
      await Promise.all([...watches.values()].map(stopWatch));
      try {
        await repo.releaseLeases(db, owner);
      } catch (err) {
        log("imap gateway: giving the leases up failed (they run out by themselves)", err);
      }
    },

    async sync() {
      while (running) await running;
      if (!stopped) await runRound();
    },

    watching: () => [...watches.values()].map((w) => w.id),
  };
}
