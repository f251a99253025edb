import { LOCALES, type TLocale } from "@switchboard/contracts";
import nodemailer, { type Transporter } from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import type { TDb } from "../../db/connection.ts";
import type { TJobQueue } from "../../jobs/job-queue.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import type { TOutboxEvent } from "../../lib/outbox.ts";
import { listStoredFilesOfMessage } from "../attachments/index.ts";
import type { TTicketEmailOps } from "../tickets/index.ts";
import {
  composeAcknowledgement,
  composeReply,
  messageIdFor,
  type TMailBrand,
  type TMailTicket,
} from "./compose-mail.ts";
import { SEND_JOB } from "./email.jobs.ts";
import * as repo from "./inbound.repository.ts";
import type { TAcknowledge, TBounceHandler } from "./inbound-processor.ts";

/** Automatic answers to one address per hour; beyond it, a loop or a flood gets silence. */
export const ACK_LIMIT_PER_HOUR = 3;
/** Temporary failures are retried this often, waiting 30 s, 1, 2, 4, 8 ... minutes. */
export const MAX_SEND_ATTEMPTS = 8;
const retryDelaySeconds = (attempt: number) => Math.min(30 * 2 ** (attempt - 1), 6 * 3600);

const asLocale = (value: string | null | undefined): TLocale | null =>
  (LOCALES as readonly string[]).includes(value ?? "") ? (value as TLocale) : null;

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

  async function brandForMail(executor: TDb, workspaceId: string, brandId: string) {
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

  async function enqueue(
    trx: TDb,
    row: {
      workspaceId: string;
      brandId: string;
      ticketId: string;
      ticketMessageId: string | null;
      kind: "reply" | "acknowledgement";
      messageId: string;
      to: string;
      statusUrl?: string | null;
    },
  ) {
    const now = clock.now();
    const id = await repo.insertOutbound(trx, {
      workspace_id: row.workspaceId,
      id: newId(),
      brand_id: row.brandId,
      ticket_id: row.ticketId,
      ticket_message_id: row.ticketMessageId,
      kind: row.kind,
      message_id: row.messageId,
      to_address: row.to,
      status_url: row.statusUrl ?? null,
      created_at: now,
      updated_at: now,
    });
    if (!id) return;
    // Replies to this mail find the ticket by its Message-ID from now on.
    await repo.recordMessageId(trx, {
      workspaceId: row.workspaceId,
      brandId: row.brandId,
      messageId: row.messageId,
      ticketId: row.ticketId,
      direction: "outbound",
      at: now,
    });
    await jobs.send(trx, SEND_JOB, { workspaceId: row.workspaceId, outboundId: id });
  }

  /**
   * Outbox subscriber: a staff member's public reply goes to the requester and CCs by email. Only the
   * row and its job are written here, in the reply's transaction; the send job composes the mail.
   */
  async function onPublicReply(trx: TDb, event: TOutboxEvent) {
    const recipients = await tickets.listRecipients(trx, event.workspaceId, event.ticketId);
    const requester = recipients.find((r) => r.role === "requester");
    if (!requester) return;
    const address = (await repo.findBrandForMail(trx, event.workspaceId, event.brandId))?.address;
    const domain = address ? domainOf(address) : new URL(deps.publicUrl).hostname;
    await enqueue(trx, {
      workspaceId: event.workspaceId,
      brandId: event.brandId,
      ticketId: event.ticketId,
      ticketMessageId: event.messageId,
      kind: "reply",
      messageId: messageIdFor("reply", event.messageId, domain),
      to: requester.email,
    });
  }

  /** The automatic "we have your request" mail, unless the brand turned it off or the address floods us. */
  const acknowledge: TAcknowledge = async (trx, ack) => {
    const brand = await brandForMail(trx, ack.workspaceId, ack.brandId);
    if (!brand?.mailBrand || brand.settings?.send_acknowledgement === false) return;
    if (await repo.isBouncedAddress(trx, ack.workspaceId, ack.brandId, ack.to.email)) return;
    const since = new Date(clock.now().getTime() - 3600_000);
    if (
      (await repo.countRecentAcknowledgements(trx, ack.workspaceId, ack.to.email, since)) >=
      ACK_LIMIT_PER_HOUR
    ) {
      return;
    }
    const slug = brand.brand.slug;
    await enqueue(trx, {
      workspaceId: ack.workspaceId,
      brandId: ack.brandId,
      ticketId: ack.ticketId,
      ticketMessageId: null,
      kind: "acknowledgement",
      messageId: messageIdFor("ack", ack.ticketId, brand.mailBrand.domain),
      to: ack.to.email,
      statusUrl: `${deps.publicUrl}/b/${encodeURIComponent(slug)}/requests/${encodeURIComponent(ack.statusToken)}`,
    });
  };

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
      transport = own
        ? nodemailer.createTransport({
            host: settings.smtp_host ?? "",
            port: settings.smtp_port ?? 587,
            secure: settings.smtp_secure,
            ...(settings.smtp_username
              ? { auth: { user: settings.smtp_username, pass: settings.smtp_password ?? "" } }
              : {}),
          })
        : nodemailer.createTransport(key);
      transports.set(key, transport);
    }
    return transport;
  }

  /** Builds the mail for a row, or says why it cannot be sent at all. */
  async function build(
    row: repo.TOutboundRow,
  ): Promise<{ mail: Mail.Options; settings: repo.TMailSettingsRow | undefined } | { error: string }> {
    const brand = await brandForMail(db, row.workspace_id, row.brand_id);
    if (!brand?.mailBrand) return { error: "The brand has no support address to send from" };
    const recipients = await tickets.listRecipients(db, row.workspace_id, row.ticket_id);
    const requester = recipients.find((r) => r.role === "requester");
    if (!requester) return { error: "The requester has no email address that accepts mail" };
    const cc = recipients.filter((r) => r.role === "cc").map((r) => ({ address: r.email, name: r.name }));
    const to = [{ address: requester.email, name: requester.name }];
    const locale = asLocale(requester.locale) ?? brand.mailBrand.locale;
    if (row.kind === "acknowledgement") {
      const view = await tickets.ticketForMail(db, row.workspace_id, row.ticket_id);
      if (!view) return { error: "The ticket is gone" };
      const ticket: TMailTicket = {
        number: view.number,
        subject: view.subject,
        statusUrl: row.status_url,
        locale,
      };
      const inReplyTo = (await repo.listThreadMessageIds(db, row.workspace_id, row.ticket_id)).find(
        (id) => id !== row.message_id,
      );
      return {
        settings: brand.settings,
        mail: composeAcknowledgement({
          brand: brand.mailBrand,
          ticket,
          recipients: { to, cc: [] },
          id: row.ticket_id,
          inReplyTo: inReplyTo ?? null,
        }),
      };
    }
    const context = row.ticket_message_id
      ? await tickets.replyContext(db, row.workspace_id, row.ticket_id, row.ticket_message_id)
      : null;
    if (!context) return { error: "The message is gone" };
    const threadIds = (await repo.listThreadMessageIds(db, row.workspace_id, row.ticket_id)).filter(
      (id) => id !== row.message_id,
    );
    const files = await listStoredFilesOfMessage(db, row.workspace_id, context.message.id);
    return {
      settings: brand.settings,
      mail: composeReply({
        brand: brand.mailBrand,
        ticket: {
          number: Number(context.ticket.number),
          subject: context.ticket.subject,
          statusUrl: null,
          locale,
        },
        recipients: { to, cc },
        message: {
          id: context.message.id,
          bodyText: context.message.body_text,
          bodyHtml: context.message.body_html,
          authorName: context.message.author_user_name ?? brand.brand.name,
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
      }),
    };
  }

  /** Marks the row as being sent; null when it was sent (or failed for good) already. */
  const claim = (workspaceId: string, outboundId: string) =>
    db.transaction().execute(async (trx) => {
      const row = await repo.lockOutbound(trx, workspaceId, outboundId);
      if (!row || row.state === "sent" || row.state === "failed") return null;
      const attempts = row.attempts + 1;
      await repo.updateOutbound(trx, workspaceId, row.id, {
        state: "sending",
        attempts,
        updated_at: clock.now(),
      });
      return { ...row, attempts };
    });

  async function settle(
    row: repo.TOutboundRow,
    result: { sent: true } | { error: string; permanent: boolean },
  ) {
    await db.transaction().execute(async (trx) => {
      const now = clock.now();
      if ("sent" in result) {
        await repo.updateOutbound(trx, row.workspace_id, row.id, {
          state: "sent",
          sent_at: now,
          last_error: null,
          updated_at: now,
        });
        if (row.status_url) await repo.clearStatusUrl(trx, row.workspace_id, row.id);
        return;
      }
      const giveUp = result.permanent || row.attempts >= MAX_SEND_ATTEMPTS;
      await repo.updateOutbound(trx, row.workspace_id, row.id, {
        state: giveUp ? "failed" : "queued",
        last_error: result.error.slice(0, 2000),
        updated_at: now,
      });
      if (giveUp) {
        await tickets.addEvent(trx, row.workspace_id, row.ticket_id, {
          type: "delivery_failed",
          recipients: [row.to_address],
          diagnostic: result.error.slice(0, 1000),
          messageId: row.ticket_message_id,
        });
      } else {
        await jobs.send(
          trx,
          SEND_JOB,
          { workspaceId: row.workspace_id, outboundId: row.id },
          {
            startAfterSeconds: retryDelaySeconds(row.attempts),
          },
        );
      }
    });
  }

  return {
    onPublicReply,
    acknowledge,
    bounce,

    /** The send job: at most one successful send per row, whatever the number of job runs. */
    async send(workspaceId: string, outboundId: string): Promise<void> {
      const row = await claim(workspaceId, outboundId);
      if (!row) return;
      const built = await build(row);
      if ("error" in built) return settle(row, { error: built.error, permanent: true });
      const transport = transportFor(built.settings);
      if (!transport) {
        return settle(row, {
          error: "No outgoing mail server: set the brand's SMTP server or SWITCHBOARD_SMTP_RELAY",
          permanent: true,
        });
      }
      try {
        await transport.sendMail(built.mail);
      } catch (err) {
        return settle(row, { error: (err as Error).message, permanent: isPermanent(err) });
      }
      await settle(row, { sent: true });
    },

    close() {
      for (const t of transports.values()) t.close();
      transports.clear();
    },
  };
}
export type TOutbound = ReturnType<typeof createOutbound>;
