import type { TDb } from "../../db/connection.ts";
import type { TJobQueue } from "../../jobs/job-queue.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import { createTtlCache } from "../../lib/ttl-cache.ts";
import { inboundDedupKey, rawMessageId } from "./dedup-key.ts";
import { INBOUND_JOB } from "./email.jobs.ts";
import * as repo from "./inbound.repository.ts";
import type { TSupportAddressesService } from "./support-addresses.service.ts";

export type TRecipient = { workspaceId: string; brandId: string; address: string };
export type TInboundSource = "smtp" | "imap" | "webhook";

/** `anna+orders@shop.test` is delivered to `anna@shop.test` when only that one is ours. */
const withoutTag = (address: string) => address.replace(/^([^@+]+)\+[^@]*@/, "$1@");

/**
 * The first step of every gateway: the raw mail is stored (once per workspace it is addressed to)
 * and its processing job enqueued in the same transaction. Only after this resolves may a gateway
 * say "accepted" (SMTP 250, IMAP \Seen, webhook 202).
 */
export function createInboundStore(deps: {
  db: TDb;
  clock: TClock;
  jobs: TJobQueue;
  supportAddresses: TSupportAddressesService;
  /** Called after the commit with what was stored, to start processing without waiting for a worker. */
  onStored?: (stored: { workspaceId: string; inboundId: string }[]) => void;
  /** With onStored, the job is only the backstop (a crash before processing) and waits this long. */
  backstopDelaySeconds?: number;
}) {
  const { db, clock, jobs } = deps;
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

  /**
   * Stores the mail for each workspace among the recipients (one row each, the first recipient's
   * brand). A second delivery of the same mail stores nothing and is not an error.
   */
  async function store(
    raw: Buffer,
    envelope: { from: string | null; recipients: TRecipient[]; source: TInboundSource; mailboxId?: string },
  ): Promise<{ ids: string[]; duplicates: number }> {
    const messageId = rawMessageId(raw);
    const dedupKey = inboundDedupKey(raw, messageId);
    const byWorkspace = new Map<string, TRecipient[]>();
    for (const r of envelope.recipients)
      byWorkspace.set(r.workspaceId, [...(byWorkspace.get(r.workspaceId) ?? []), r]);
    const ids: string[] = [];
    const stored: { workspaceId: string; inboundId: string }[] = [];
    let duplicates = 0;
    await db.transaction().execute(async (trx) => {
      for (const [workspaceId, rs] of byWorkspace) {
        const id = await repo.insertInbound(trx, {
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
        });
        if (!id) {
          duplicates++;
          continue;
        }
        await jobs.send(
          trx,
          INBOUND_JOB,
          { workspaceId, inboundId: id },
          { startAfterSeconds: deps.backstopDelaySeconds ?? 0 },
        );
        ids.push(id);
        stored.push({ workspaceId, inboundId: id });
      }
    });
    if (stored.length > 0) deps.onStored?.(stored);
    return { ids, duplicates };
  }

  return { resolveRecipient, store, forgetRecipients: () => recipients.clear() };
}
export type TInboundStore = ReturnType<typeof createInboundStore>;
