import { LOCALES, type TLocale } from "@switchboard/contracts";
import nodemailer, { type Transporter } from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import { z } from "zod";
import type { TDb } from "../../db/connection.ts";
import type { TJobQueue } from "../../jobs/job-queue.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import type { TOutboxHandler } from "../../lib/outbox.ts";
import { createTtlCache } from "../../lib/ttl-cache.ts";
import { listStoredFilesOfMessage } from "../attachments/index.ts";
import type { TTicketEmailOps } from "../tickets/index.ts";
import { composeAcknowledgement, composeReply, messageIdFor, type TMailBrand } from "./compose-mail.ts";
import { SEND_JOB } from "./email.jobs.ts";
import * as repo from "./inbound.repository.ts";
import type { TAcknowledge, TBounceHandler } from "./inbound-processor.ts";
import { mimeInMemory } from "./mime-in-memory.ts";

/** Automatic answers to one address per hour; beyond it, a loop or a flood gets silence. */
export const ACK_LIMIT_PER_HOUR = 3;
/** Temporary failures are retried this often, waiting 30 s, 1, 2, 4, 8 ... minutes. */
export const MAX_SEND_ATTEMPTS = 8;
/** How long a brand's name, address and mail settings are cached (other processes; this one forgets at once). */
const BRAND_TTL_MS = 5_000;
const retryDelaySeconds = (attempt: number) => Math.min(30 * 2 ** (attempt - 1), 6 * 3600);

const asLocale = (value: string | null | undefined): TLocale | null =>
  (LOCALES as readonly string[]).includes(value ?? "") ? (value as TLocale) : null;

/** What an acknowledgement says, captured when it is queued (outbound_emails.acknowledgement). */
const ZAckContent = z.object({
  number: z.number().int(),
  subject: z.string(),
  to: z.object({ address: z.string(), name: z.string() }),
  locale: z.enum(LOCALES),
  inReplyTo: z.string().nullable(),
  statusUrl: z.string(),
});
type TAckContent = z.infer<typeof ZAckContent>;

const domainOf = (address: string) => address.slice(address.indexOf("@") + 1);

/** A permanent failure is a 5xx answer from the server; anything else may pass on a later try. */
const isPermanent = (err: unknown) => {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
};

export type TOutboundDeps = {
  db: TDb;
  clock: TClock;
  jobs: TJobQueue;
  tickets: TTicketEmailOps;
  publicUrl: string;
  relayUrl: string | null;
  pathOfFile: (sha256: string) => string;
};

/**
 * Outgoing mail: agent replies and acknowledgements become rows (one per message, unique by
 * Message-ID) and send jobs in the transaction that wrote the message. The job sends through the
 * brand's SMTP server, or the install's relay, and records the outcome on the row, which the
 * message shows as its delivery.
 */
export function createOutbound(deps: TOutboundDeps) {
  const { db, clock, jobs, tickets } = deps;
  const transports = new Map<string, Transporter>();

  // Brand, default address and mail settings change rarely and are read for every mail.
  const brands = createTtlCache<Awaited<ReturnType<typeof loadBrandForMail>>>(BRAND_TTL_MS);

  async function loadBrandForMail(executor: TDb, workspaceId: string, brandId: string) {
    const brand = await repo.findBrandForMail(executor, workspaceId, brandId);
    if (!brand) return null;
    const settings = await repo.findMailSettings(executor, workspaceId, brandId);
    const address = brand.address;
    const mailBrand: TMailBrand | null = address
      ? {
          name: brand.name,
          locale: asLocale(brand.default_locale) ?? "en",
          domain: domainOf(address),
          from: { address, name: brand.address_name || brand.name },
          signature: settings?.signature ?? "",
        }
      : null;
    return { brand, settings, mailBrand };
  }

  /** `executor` is the caller's transaction when there is one (the embedded store has one connection). */
  async function brandForMail(executor: TDb, workspaceId: string, brandId: string) {
    const key = `${workspaceId} ${brandId}`;
    const cached = brands.get(key);
    if (cached !== undefined) return cached;
    const loaded = await loadBrandForMail(executor, workspaceId, brandId);
    brands.set(key, loaded);
    return loaded;
  }

  type TQueued = {
    brandId: string;
    ticketId: string;
    ticketMessageId: string | null;
    kind: "reply" | "acknowledgement";
    messageId: string;
    to: string;
    acknowledgement?: TAckContent;
  };

  /** Rows and send jobs for outgoing mails, in the caller's transaction; a Message-ID queued already is skipped. */
  async function enqueue(trx: TDb, workspaceId: string, mails: TQueued[]) {
    if (mails.length === 0) return;
    const now = clock.now();
    const rows = mails.map((m) => ({
      workspace_id: workspaceId,
      id: newId(),
      brand_id: m.brandId,
      ticket_id: m.ticketId,
      ticket_message_id: m.ticketMessageId,
      kind: m.kind,
      message_id: m.messageId,
      to_address: m.to,
      acknowledgement: m.acknowledgement ? JSON.stringify(m.acknowledgement) : null,
      created_at: now,
      updated_at: now,
    }));
    const inserted = new Set(await repo.insertOutbounds(trx, rows));
    const queued = rows.filter((r) => inserted.has(r.id));
    // Replies to these mails find the ticket by their Message-ID from now on.
    await repo.recordMessageIds(
      trx,
      workspaceId,
      queued.map((r) => ({
        brandId: r.brand_id,
        messageId: r.message_id,
        ticketId: r.ticket_id,
        direction: "outbound" as const,
      })),
      now,
    );
    await jobs.sendMany(
      trx,
      SEND_JOB,
      queued.map((r) => ({ workspaceId, outboundId: r.id })),
    );
  }

  /**
   * Outbox subscriber: a staff member's public reply goes to the requester and CCs by email. Only the
   * row and its job are written here, in the reply's transaction; the send job composes the mail.
   */
  const onPublicReply: TOutboxHandler<"message.public_reply"> = async (trx, event) => {
    const recipients = await tickets.listRecipients(trx, event.workspaceId, event.ticketId);
    const requester = recipients.find((r) => r.role === "requester");
    if (!requester) return;
    const address = (await brandForMail(trx, event.workspaceId, event.brandId))?.brand.address;
    const domain = address ? domainOf(address) : new URL(deps.publicUrl).hostname;
    await enqueue(trx, event.workspaceId, [
      {
        brandId: event.brandId,
        ticketId: event.ticketId,
        ticketMessageId: event.messageId,
        kind: "reply",
        messageId: messageIdFor("reply", event.messageId, domain),
        to: requester.email,
      },
    ]);
  };

  /**
   * The automatic "we have your request" mails of a batch of new tickets, composed now (the
   * transaction knows all they say), unless the brand turned them off or has no server to send
   * through, the address bounced or it had ACK_LIMIT_PER_HOUR of them already.
   */
  const acknowledge: TAcknowledge = async (trx, workspaceId, acks) => {
    const addresses = [...new Set(acks.map((a) => a.to.email))];
    const brandIds = [...new Set(acks.map((a) => a.brandId))];
    const bounced = await repo.bouncedAddresses(trx, workspaceId, brandIds, addresses);
    const since = new Date(clock.now().getTime() - 3600_000);
    const recent = await repo.countRecentAcknowledgements(trx, workspaceId, addresses, since);
    const queued: TQueued[] = [];
    for (const ack of acks) {
      const brand = await brandForMail(trx, workspaceId, ack.brandId);
      if (!brand?.mailBrand || brand.settings?.send_acknowledgement === false) continue;
      // Without an outgoing server an automatic mail could only fail, on every ticket.
      if (!transportFor(brand.settings)) continue;
      const sent = recent.get(ack.to.email) ?? 0;
      if (bounced.has(`${ack.brandId} ${ack.to.email}`) || sent >= ACK_LIMIT_PER_HOUR) continue;
      recent.set(ack.to.email, sent + 1);
      const slug = encodeURIComponent(brand.brand.slug);
      queued.push({
        brandId: ack.brandId,
        ticketId: ack.ticketId,
        ticketMessageId: null,
        kind: "acknowledgement",
        messageId: messageIdFor("ack", ack.ticketId, brand.mailBrand.domain),
        to: ack.to.email,
        acknowledgement: {
          number: ack.ticketNumber,
          subject: ack.subject,
          to: { address: ack.to.email, name: ack.to.name },
          locale: ack.locale ?? brand.mailBrand.locale,
          inReplyTo: ack.inReplyTo,
          statusUrl: `${deps.publicUrl}/b/${slug}/requests/${encodeURIComponent(ack.statusToken)}`,
        },
      });
    }
    await enqueue(trx, workspaceId, queued);
  };

  /** A request from the contact form gets the same acknowledgement as one by mail. */
  const onTicketRequested: TOutboxHandler<"ticket.requested"> = (trx, event) =>
    acknowledge(trx, event.workspaceId, [
      {
        brandId: event.brandId,
        ticketId: event.ticketId,
        ticketNumber: event.ticketNumber,
        subject: event.subject,
        to: event.requester,
        locale: event.locale,
        inReplyTo: null,
        statusToken: event.statusToken,
      },
    ]);

  /** A bounce of our mail: the address is flagged, the message shows the failure. Never a ticket. */
  const bounce: TBounceHandler = async (trx, workspaceId, report) => {
    const ours = report.originalMessageId
      ? await repo.findOutboundByMessageId(trx, workspaceId, report.originalMessageId)
      : undefined;
    const reason = (report.diagnostic ?? report.status ?? "delivery failed").slice(0, 1000);
    if (report.permanent) {
      for (const address of report.recipients) {
        await repo.flagBouncedAddress(trx, workspaceId, address.toLowerCase(), reason, clock.now());
      }
    }
    if (!ours) return { ticketId: null };
    if (report.permanent) {
      await repo.updateOutbound(trx, workspaceId, ours.id, {
        state: "failed",
        last_error: reason,
        updated_at: clock.now(),
      });
    }
    await tickets.addEvent(trx, workspaceId, ours.ticket_id, {
      type: report.permanent ? "delivery_failed" : "delivery_delayed",
      recipients: report.recipients,
      status: report.status,
      diagnostic: report.diagnostic,
      messageId: ours.ticket_message_id,
    });
    return { ticketId: ours.ticket_id };
  };

  function transportFor(settings: repo.TMailSettingsRow | null | undefined): Transporter | null {
    const own = settings?.smtp_host && settings.smtp_port;
    const key = own
      ? JSON.stringify([
          settings.smtp_host,
          settings.smtp_port,
          settings.smtp_secure,
          settings.smtp_username,
          settings.smtp_password,
        ])
      : deps.relayUrl;
    if (!key) return null;
    let transport = transports.get(key);
    if (!transport) {
      // Pooled: a batch of mails goes over a few kept-open connections, not one connection each.
      transport = own
        ? nodemailer.createTransport({
            pool: true,
            host: settings.smtp_host ?? "",
            port: settings.smtp_port ?? 587,
            secure: settings.smtp_secure,
            ...(settings.smtp_username
              ? { auth: { user: settings.smtp_username, pass: settings.smtp_password ?? "" } }
              : {}),
          })
        : nodemailer.createTransport({ url: key, pool: true, maxMessages: Number.POSITIVE_INFINITY });
      transports.set(key, transport);
    }
    return transport;
  }

  /** The acknowledgement's mail from what was captured when it was queued. */
  function buildAcknowledgement(
    row: repo.TOutboundRow,
    mailBrand: TMailBrand,
  ): Mail.Options | { error: string } {
    const content = ZAckContent.safeParse(row.acknowledgement);
    if (!content.success) return { error: "The acknowledgement's content is missing" };
    const ack = content.data;
    const mail = composeAcknowledgement({
      brand: mailBrand,
      ticket: { number: ack.number, subject: ack.subject, statusUrl: ack.statusUrl, locale: ack.locale },
      recipients: { to: [ack.to], cc: [] },
      id: row.ticket_id,
      inReplyTo: ack.inReplyTo,
    });
    // Built in memory: the most frequent mail we send, and nodemailer's streaming build cost more
    // than everything else about it.
    return { envelope: { from: mailBrand.from.address, to: [ack.to.address] }, raw: mimeInMemory(mail) };
  }

  /** Builds a staff reply's mail, or says why it cannot be sent at all. */
  async function buildReply(
    row: repo.TOutboundRow,
    mailBrand: TMailBrand,
    brandName: string,
  ): Promise<Mail.Options | { error: string }> {
    const recipients = await tickets.listRecipients(db, row.workspace_id, row.ticket_id);
    const requester = recipients.find((r) => r.role === "requester");
    if (!requester) return { error: "The requester has no email address that accepts mail" };
    const cc = recipients.filter((r) => r.role === "cc").map((r) => ({ address: r.email, name: r.name }));
    const context = row.ticket_message_id
      ? await tickets.replyContext(db, row.workspace_id, row.ticket_id, row.ticket_message_id)
      : null;
    if (!context) return { error: "The message is gone" };
    const threadIds = (await repo.listThreadMessageIds(db, row.workspace_id, row.ticket_id)).filter(
      (id) => id !== row.message_id,
    );
    const files = await listStoredFilesOfMessage(db, row.workspace_id, context.message.id);
    return composeReply({
      brand: mailBrand,
      ticket: {
        number: Number(context.ticket.number),
        subject: context.ticket.subject,
        statusUrl: null,
        locale: asLocale(requester.locale) ?? mailBrand.locale,
      },
      recipients: { to: [{ address: requester.email, name: requester.name }], cc },
      message: {
        id: context.message.id,
        bodyText: context.message.body_text,
        bodyHtml: context.message.body_html,
        authorName: context.message.author_user_name ?? brandName,
        createdAt: context.message.created_at,
      },
      history: context.history.map((m) => ({
        authorName: m.author_user_name ?? m.author_customer_name ?? "",
        createdAt: m.created_at,
        bodyText: m.body_text,
        fromCustomer: m.author_customer_id !== null,
      })),
      threadMessageIds: threadIds,
      attachments: files.map((f) => ({
        filename: f.filename,
        contentType: f.contentType,
        path: deps.pathOfFile(f.sha256),
      })),
    });
  }

  /** A failed try: queued again with backoff, or failed for good with an event on the ticket. */
  async function settleFailure(row: repo.TOutboundRow, failure: { error: string; permanent: boolean }) {
    await db.transaction().execute(async (trx) => {
      const giveUp = failure.permanent || row.attempts >= MAX_SEND_ATTEMPTS;
      await repo.updateOutbound(trx, row.workspace_id, row.id, {
        state: giveUp ? "failed" : "queued",
        last_error: failure.error.slice(0, 2000),
        updated_at: clock.now(),
      });
      if (giveUp) {
        await tickets.addEvent(trx, row.workspace_id, row.ticket_id, {
          type: "delivery_failed",
          recipients: [row.to_address],
          diagnostic: failure.error.slice(0, 1000),
          messageId: row.ticket_message_id,
        });
      } else {
        await jobs.send(
          trx,
          SEND_JOB,
          { workspaceId: row.workspace_id, outboundId: row.id },
          { startAfterSeconds: retryDelaySeconds(row.attempts) },
        );
      }
    });
  }

  /** Sends one claimed row; true when the server took it, else the failure is settled. */
  async function sendRow(row: repo.TOutboundRow): Promise<boolean> {
    const brand = await brandForMail(db, row.workspace_id, row.brand_id);
    if (!brand?.mailBrand) {
      await settleFailure(row, { error: "The brand has no support address to send from", permanent: true });
      return false;
    }
    const mail =
      row.kind === "reply"
        ? await buildReply(row, brand.mailBrand, brand.brand.name)
        : buildAcknowledgement(row, brand.mailBrand);
    if ("error" in mail && typeof mail.error === "string") {
      await settleFailure(row, { error: mail.error, permanent: true });
      return false;
    }
    const transport = transportFor(brand.settings);
    if (!transport) {
      await settleFailure(row, {
        error: "No outgoing mail server: set the brand's SMTP server or SWITCHBOARD_SMTP_RELAY",
        permanent: true,
      });
      return false;
    }
    try {
      await transport.sendMail(mail as Mail.Options);
      return true;
    } catch (err) {
      await settleFailure(row, { error: (err as Error).message, permanent: isPermanent(err) });
      return false;
    }
  }

  return {
    onPublicReply,
    onTicketRequested,
    acknowledge,
    bounce,

    /**
     * The send jobs of a batch: at most one successful send per row, whatever the number of job
     * runs. The rows are claimed and the sent ones marked in one statement each.
     */
    async sendMany(workspaceId: string, outboundIds: string[]): Promise<void> {
      const rows = await repo.claimOutbounds(db, workspaceId, outboundIds, clock.now());
      const sent = await Promise.all(rows.map(sendRow));
      const ids = rows.filter((_, i) => sent[i]).map((r) => r.id);
      if (ids.length > 0) await repo.markOutboundsSent(db, workspaceId, ids, clock.now());
    },

    /** Forgets the cached brand (its mail settings changed). */
    forgetBrand: (workspaceId: string, brandId: string) => brands.delete(`${workspaceId} ${brandId}`),

    close() {
      for (const t of transports.values()) t.close();
      transports.clear();
    },
  };
}
export type TOutbound = ReturnType<typeof createOutbound>;
