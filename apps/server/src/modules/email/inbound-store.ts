import type { Insertable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { InboundEmailsTable } from "../../db/schema.ts";
import type { TClock } from "../../lib/clock.ts";
import { groupBy } from "../../lib/group-by.ts";
import { newId } from "../../lib/ids.ts";
import { createTtlCache } from "../../lib/ttl-cache.ts";
import { inboundDedupKey, rawMessageId } from "./dedup-key.ts";
import * as repo from "./inbound.repository.ts";
import type { TSupportAddressesService } from "./support-addresses.service.ts";

/** A stored batch holds at most this many mails or (about) this many bytes. */
const MAX_BATCH_MAILS = 100;
const MAX_BATCH_BYTES = 32 * 1024 * 1024;

export type TRecipient = { workspaceId: string; brandId: string; address: string };
export type TInboundSource = "smtp" | "imap" | "webhook";

/** `anna+orders@shop.test` is delivered to `anna@shop.test` when only that one is ours. */
const withoutTag = (address: string) => address.replace(/^([^@+]+)\+[^@]*@/, "$1@");

/**
 * The first step of every gateway: the raw mail is stored (once per workspace it is addressed to),
 * and only after this resolves may a gateway say "accepted" (SMTP 250, IMAP \Seen, webhook 202).
 * The stored row in state "received" is the durable to-do: processed at once in this process, or
 * given a job by the sweep when it waits too long (its process died).
 */
export function createInboundStore(deps: {
  db: TDb;
  clock: TClock;
  supportAddresses: TSupportAddressesService;
  /**
   * Called after the commit with what was stored, to process it at once. Mail that a crash leaves
   * waiting is found by the email service's sweep, which gives it a job.
   */
  onStored: (stored: { workspaceId: string; inboundId: string }[]) => void;
}) {
  const { db, clock } = deps;
  const recipients = createTtlCache<TRecipient | null>(5_000);

  async function resolveRecipient(address: string): Promise<TRecipient | null> {
    const key = address.trim().toLowerCase();
    const cached = recipients.get(key);
    if (cached !== undefined) return cached;
    const found =
      (await deps.supportAddresses.resolveRecipient(key)) ??
      (withoutTag(key) !== key ? await deps.supportAddresses.resolveRecipient(withoutTag(key)) : null);
    const value = found ? { workspaceId: found.workspaceId, brandId: found.brandId, address: key } : null;
    recipients.set(key, value);
    return value;
  }

  // Group commit: mails arriving while a transaction is committing are stored together in the next
  // one, so a busy listener pays one commit (and one fsync) for many mails and none waits longer
  // than one commit for its turn.
  type TPending = {
    rows: Insertable<InboundEmailsTable>[];
    resolve: (result: { ids: string[]; duplicates: number }) => void;
    reject: (err: unknown) => void;
  };
  let pending: TPending[] = [];
  let flushing = false;

  function takeBatch(): TPending[] {
    let bytes = 0;
    let count = 0;
    while (count < pending.length && count < MAX_BATCH_MAILS && bytes < MAX_BATCH_BYTES) {
      bytes += pending[count]?.rows.reduce((sum, r) => sum + (r.size_bytes as number), 0) ?? 0;
      count++;
    }
    const batch = pending.slice(0, count);
    pending = pending.slice(count);
    return batch;
  }

  async function commit(batch: TPending[]): Promise<void> {
    // One statement, so no transaction: the batch is stored, or none of it.
    const inserted = await repo.insertInbounds(
      db,
      batch.flatMap((p) => p.rows),
    );
    // The same mail twice in one batch is stored once: the first to ask gets the row.
    const idByKey = new Map(inserted.map((r) => [`${r.workspace_id} ${r.dedup_key}`, r.id]));
    const stored: { workspaceId: string; inboundId: string }[] = [];
    for (const p of batch) {
      const ids: string[] = [];
      for (const row of p.rows) {
        const key = `${row.workspace_id} ${row.dedup_key}`;
        const id = idByKey.get(key);
        idByKey.delete(key);
        if (!id) continue;
        ids.push(id);
        stored.push({ workspaceId: row.workspace_id, inboundId: id });
      }
      p.resolve({ ids, duplicates: p.rows.length - ids.length });
    }
    if (stored.length > 0) deps.onStored(stored);
  }

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      for (let batch = takeBatch(); batch.length > 0; batch = takeBatch()) {
        await commit(batch).catch(async (err: unknown) => {
          // One bad mail must not refuse the others: each is tried on its own.
          if (batch.length === 1) return batch[0]?.reject(err);
          for (const p of batch) await commit([p]).catch((e: unknown) => p.reject(e));
        });
      }
    } finally {
      flushing = false;
    }
  }

  /**
   * Stores the mail for each workspace among the recipients (one row each, the first recipient's
   * brand). A second delivery of the same mail stores nothing and is not an error.
   */
  function store(
    raw: Buffer,
    envelope: { from: string | null; recipients: TRecipient[]; source: TInboundSource; mailboxId?: string },
  ): Promise<{ ids: string[]; duplicates: number }> {
    const messageId = rawMessageId(raw);
    const dedupKey = inboundDedupKey(raw, messageId);
    const byWorkspace = groupBy(envelope.recipients, (r) => r.workspaceId);
    const rows = [...byWorkspace].map(([workspaceId, rs]) => ({
      workspace_id: workspaceId,
      id: newId(),
      brand_id: rs[0]?.brandId ?? null,
      source: envelope.source,
      mailbox_id: envelope.mailboxId ?? null,
      envelope_from: envelope.from?.toLowerCase().slice(0, 320) ?? null,
      recipients: rs.map((r) => r.address),
      message_id: messageId,
      dedup_key: dedupKey,
      raw,
      size_bytes: raw.length,
      received_at: clock.now(),
    }));
    if (rows.length === 0) return Promise.resolve({ ids: [], duplicates: 0 });
    return new Promise((resolve, reject) => {
      pending.push({ rows, resolve, reject });
      void flush();
    });
  }

  return { resolveRecipient, store, forgetRecipients: () => recipients.clear() };
}
export type TInboundStore = ReturnType<typeof createInboundStore>;
