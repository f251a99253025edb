import type {
  TBrandMailSettings,
  TInboundEmail,
  TInboundEmailListQuery,
  TUpdateBrandMailSettings,
} from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import type { TJobQueue } from "../../jobs/job-queue.ts";
import { canSeeBrand, isAdmin, requireAdmin, type TActor } from "../../lib/actor.ts";
import { notFound, unprocessable } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { chunks, groupBy } from "../../lib/group-by.ts";
import { isUuid } from "../../lib/ids.ts";
import type { TOutbox } from "../../lib/outbox.ts";
import { decodeCursor, toPage } from "../../lib/pagination.ts";
import type { TAttachmentStore, TAttachmentsService } from "../attachments/index.ts";
import type { TTicketEmailOps } from "../tickets/index.ts";
import { INBOUND_JOB, SEND_JOB } from "./email.jobs.ts";
import * as repo from "./inbound.repository.ts";
import { createInboundProcessor } from "./inbound-processor.ts";
import { createInboundStore, type TInboundSource } from "./inbound-store.ts";
import { createOutbound } from "./outbound.ts";
import type { TSupportAddressesService } from "./support-addresses.service.ts";

export type TEmailDeps = {
  db: TDb;
  clock: TClock;
  jobs: TJobQueue;
  outbox: TOutbox;
  tickets: TTicketEmailOps;
  attachments: TAttachmentsService;
  attachmentStore: TAttachmentStore;
  supportAddresses: TSupportAddressesService;
  config: { publicUrl: string; maxAttachmentBytes: number; relayUrl: string | null };
  log: (msg: string, err: unknown) => void;
};

/** Batches of stored mail a process works on at once without waiting for a worker, and how many mails may wait. */
const IMMEDIATE_LANES = 3;
/** Mails processed in one transaction at most. */
const PROCESS_BATCH = 50;
const IMMEDIATE_BACKLOG = 1000;
/**
 * Mail waiting longer than this gets a job from the sweep: the process that stored it died before
 * processing it (or a job of it was taken by a process that died). Processing twice is harmless.
 */
const STALE_AFTER_MS = 60_000;

const cursorAfter = (cursor: string | undefined) => {
  const c = decodeCursor(cursor);
  return c ? { at: new Date(c.at), id: c.id } : null;
};

const toInboundDto = (row: repo.TInboundRow): TInboundEmail => ({
  id: row.id,
  brandId: row.brand_id,
  source: row.source,
  from: row.from_address ?? row.envelope_from,
  recipients: row.recipients,
  subject: row.subject,
  messageId: row.message_id,
  sizeBytes: row.size_bytes,
  state: row.state,
  outcome: row.outcome,
  ticketId: row.ticket_id,
  error: row.error,
  attempts: row.attempts,
  receivedAt: row.received_at.toISOString(),
  processedAt: row.processed_at?.toISOString() ?? null,
});

const toSettingsDto = (row: repo.TMailSettingsRow | undefined): TBrandMailSettings => ({
  smtp:
    row?.smtp_host && row.smtp_port
      ? {
          host: row.smtp_host,
          port: row.smtp_port,
          secure: row.smtp_secure,
          username: row.smtp_username,
          hasPassword: Boolean(row.smtp_password),
        }
      : null,
  signature: row?.signature ?? "",
  sendAcknowledgement: row?.send_acknowledgement ?? true,
});

type TSmtpColumns = Pick<
  repo.TMailSettingsRow,
  "smtp_host" | "smtp_port" | "smtp_secure" | "smtp_username" | "smtp_password"
>;

/** The SMTP columns after a change: omitted keeps them, null clears them, a password left out is kept. */
function smtpColumns(
  smtp: TUpdateBrandMailSettings["smtp"],
  current: repo.TMailSettingsRow | undefined,
): TSmtpColumns {
  const kept: TSmtpColumns = {
    smtp_host: current?.smtp_host ?? null,
    smtp_port: current?.smtp_port ?? null,
    smtp_secure: current?.smtp_secure ?? false,
    smtp_username: current?.smtp_username ?? null,
    smtp_password: current?.smtp_password ?? null,
  };
  if (smtp === undefined) return kept;
  if (smtp === null) {
    return { smtp_host: null, smtp_port: null, smtp_secure: false, smtp_username: null, smtp_password: null };
  }
  return {
    smtp_host: smtp.host,
    smtp_port: smtp.port,
    smtp_secure: smtp.secure,
    smtp_username: smtp.username,
    smtp_password: smtp.password === undefined ? kept.smtp_password : smtp.password,
  };
}

/** The email channel: the inbound store behind every gateway, processing, outgoing mail, admin views. */
export function createEmailService(deps: TEmailDeps) {
  const { db, clock, jobs } = deps;
  // Mail is processed right after it is stored, in this process, IMMEDIATE_LANES batches at a time;
  // a lane takes whatever waits (up to PROCESS_BATCH mails of one workspace), so batches grow with
  // the load and a quiet server processes each mail at once. Past IMMEDIATE_BACKLOG waiting mails,
  // the rest get jobs so that other processes share the load. Mail left waiting by a crash is found
  // by requeueStale.
  let waiting: { workspaceId: string; inboundId: string }[] = [];
  let lanes = 0;
  const takeBatch = () => {
    const workspaceId = waiting[0]?.workspaceId;
    const ids: string[] = [];
    waiting = waiting.filter((m) => {
      if (m.workspaceId !== workspaceId || ids.length >= PROCESS_BATCH) return true;
      ids.push(m.inboundId);
      return false;
    });
    return { workspaceId, ids };
  };
  const drain = async () => {
    for (let next = takeBatch(); next.workspaceId; next = takeBatch()) {
      await processor
        .processMany(next.workspaceId, next.ids)
        .catch((err: unknown) => deps.log("processing inbound mail failed", err));
    }
  };
  /** Jobs for stored mails, a batch of each workspace's per job. */
  const queueJobs = async (mails: { workspaceId: string; inboundId: string }[]) => {
    for (const [workspaceId, ofWorkspace] of groupBy(mails, (m) => m.workspaceId)) {
      const batches = chunks(
        ofWorkspace.map((m) => m.inboundId),
        PROCESS_BATCH,
      );
      await jobs.sendMany(
        db,
        INBOUND_JOB,
        batches.map((inboundIds) => ({ workspaceId, inboundIds })),
      );
    }
  };
  const processNow = (stored: { workspaceId: string; inboundId: string }[]) => {
    const room = Math.max(0, IMMEDIATE_BACKLOG - waiting.length);
    waiting.push(...stored.slice(0, room));
    if (room < stored.length) {
      void queueJobs(stored.slice(room)).catch((err: unknown) =>
        deps.log("queueing inbound mail failed", err),
      );
    }
    while (lanes < IMMEDIATE_LANES && waiting.length > 0) {
      lanes++;
      void drain().finally(() => lanes--);
    }
  };
  const store = createInboundStore({ ...deps, onStored: processNow });
  const outbound = createOutbound({
    db,
    clock,
    jobs,
    tickets: deps.tickets,
    publicUrl: deps.config.publicUrl,
    relayUrl: deps.config.relayUrl,
    pathOfFile: deps.attachmentStore.pathOf,
  });
  const processor = createInboundProcessor({
    db,
    clock,
    tickets: deps.tickets,
    attachments: deps.attachments,
    maxAttachmentBytes: deps.config.maxAttachmentBytes,
    acknowledge: outbound.acknowledge,
    bounce: outbound.bounce,
    publishLive: deps.outbox.publishMany,
  });
  jobs.define(INBOUND_JOB);
  jobs.define(SEND_JOB);
  deps.outbox.subscribe("message.public_reply", outbound.onPublicReply);
  deps.outbox.subscribe("ticket.requested", outbound.onTicketRequested);

  async function visibleInbound(actor: TActor, id: string) {
    const row = isUuid(id) ? await repo.findInbound(db, actor.workspaceId, id) : undefined;
    // Admins see every stored mail; others only mail of their brands.
    const allowed = row && (isAdmin(actor) || (row.brand_id !== null && canSeeBrand(actor, row.brand_id)));
    if (!row || !allowed) throw notFound("inbound_email");
    return row;
  }

  /** 404 for a brand the actor cannot see (before 403, so nothing is learnt of it), then admins only. */
  async function assertBrand(actor: TActor, brandId: string) {
    const exists = isUuid(brandId) && (await repo.findBrandForMail(db, actor.workspaceId, brandId));
    if (!exists || !canSeeBrand(actor, brandId)) throw notFound("brand");
    requireAdmin(actor);
  }

  return {
    store,
    processor,
    outbound,

    /** Starts the workers: inbound mail and outgoing mail, a fetched batch of jobs at a time. */
    async startWorkers(parallel: number): Promise<void> {
      await jobs.workBatch(
        INBOUND_JOB,
        async (payloads) => {
          const retry: string[] = [];
          for (const [workspaceId, ps] of groupBy(payloads, (p) => p.workspaceId)) {
            for (const ids of chunks([...new Set(ps.flatMap((p) => p.inboundIds))], PROCESS_BATCH)) {
              retry.push(...(await processor.processMany(workspaceId, ids)));
            }
          }
          if (retry.length > 0) throw new Error(`${retry.length} inbound emails will be tried again`);
        },
        { batchSize: 5 * parallel },
      );
      await jobs.workBatch(
        SEND_JOB,
        async (payloads) => {
          for (const [workspaceId, ps] of groupBy(payloads, (p) => p.workspaceId)) {
            await outbound.sendMany(
              workspaceId,
              ps.map((p) => p.outboundId),
            );
          }
        },
        { batchSize: 50 },
      );
    },

    /** Gives mail still waiting after a crash a new job; processing twice is harmless. */
    async requeueStale(olderThanMs = STALE_AFTER_MS): Promise<number> {
      const stale = await repo.listStaleReceived(db, new Date(clock.now().getTime() - olderThanMs), 500);
      await queueJobs(stale.map((r) => ({ workspaceId: r.workspace_id, inboundId: r.id })));
      return stale.length;
    },

    /** The webhook: raw MIME for the workspace, addressed to one of its support addresses. */
    async acceptWebhook(
      actor: TActor,
      raw: Buffer,
      recipient: string | null,
      source: TInboundSource = "webhook",
    ) {
      requireAdmin(actor);
      const candidates = recipient ? [recipient] : await headerRecipients(raw);
      for (const address of candidates) {
        const found = await store.resolveRecipient(address);
        if (found && found.workspaceId === actor.workspaceId) {
          const { ids, duplicates } = await store.store(raw, { from: null, recipients: [found], source });
          return { id: ids[0] ?? null, duplicate: duplicates > 0 };
        }
      }
      throw unprocessable(
        "unknown_recipient",
        "The mail is not addressed to a support address of this workspace",
      );
    },

    async listInbound(actor: TActor, q: TInboundEmailListQuery) {
      requireAdmin(actor);
      const rows = await repo.listInbound(db, actor.workspaceId, {
        state: q.state,
        after: cursorAfter(q.cursor),
        limit: q.limit,
      });
      return toPage(rows, q.limit, (r) => ({ at: r.received_at, id: r.id }), toInboundDto);
    },

    getInbound: async (actor: TActor, id: string) => toInboundDto(await visibleInbound(actor, id)),

    async rawInbound(actor: TActor, id: string): Promise<Buffer> {
      await visibleInbound(actor, id);
      const raw = await repo.findInboundRaw(db, actor.workspaceId, id);
      if (!raw) throw notFound("inbound_email");
      return raw.raw;
    },

    /** An admin sends a quarantined (or ignored) mail through processing again. */
    async reprocess(actor: TActor, id: string): Promise<TInboundEmail> {
      requireAdmin(actor);
      await visibleInbound(actor, id);
      await db.transaction().execute(async (trx) => {
        const requeued = await repo.requeueInbound(trx, actor.workspaceId, id);
        if (!requeued)
          throw unprocessable("not_reprocessable", "Only quarantined or ignored mail can be processed again");
        await jobs.send(trx, INBOUND_JOB, { workspaceId: actor.workspaceId, inboundIds: [id] });
      });
      return toInboundDto(await visibleInbound(actor, id));
    },

    async getMailSettings(actor: TActor, brandId: string): Promise<TBrandMailSettings> {
      await assertBrand(actor, brandId);
      return toSettingsDto(await repo.findMailSettings(db, actor.workspaceId, brandId));
    },

    async updateMailSettings(actor: TActor, brandId: string, patch: TUpdateBrandMailSettings) {
      await assertBrand(actor, brandId);
      const current = await repo.findMailSettings(db, actor.workspaceId, brandId);
      await repo.upsertMailSettings(db, {
        workspace_id: actor.workspaceId,
        brand_id: brandId,
        ...smtpColumns(patch.smtp, current),
        signature: patch.signature ?? current?.signature ?? "",
        send_acknowledgement: patch.sendAcknowledgement ?? current?.send_acknowledgement ?? true,
        updated_at: clock.now(),
      });
      outbound.forgetBrand(actor.workspaceId, brandId);
      return toSettingsDto(await repo.findMailSettings(db, actor.workspaceId, brandId));
    },
  };
}
export type TEmailService = ReturnType<typeof createEmailService>;

/** To, Cc and Delivered-To of a raw mail, for a webhook call that names no recipient. */
async function headerRecipients(raw: Buffer): Promise<string[]> {
  const header =
    raw
      .subarray(0, 256 * 1024)
      .toString("latin1")
      .split(/\r?\n\r?\n/)[0] ?? "";
  const unfolded = header.replace(/\r?\n[ \t]+/g, " ");
  const lines = unfolded.split(/\r?\n/).filter((l) => /^(delivered-to|x-original-to|to|cc):/i.test(l));
  return [
    ...new Set(lines.flatMap((l) => l.match(/[^\s<>,;:"]+@[^\s<>,;:"]+/g) ?? []).map((a) => a.toLowerCase())),
  ];
}
