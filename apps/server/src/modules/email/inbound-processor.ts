import { LOCALES, type TLocale, type TThreadRule } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import type { TClock } from "../../lib/clock.ts";
import type { TAttachmentsService, TStoredFile } from "../attachments/index.ts";
import type { TLockedTicket, TTicketEmailOps } from "../tickets/index.ts";
import * as repo from "./inbound.repository.ts";
import { parseMail, type TParsedMail } from "./parse-mail.ts";
import { normalizeSubject, ticketNumberFromSubject } from "./threading.ts";

/** After this many failed tries a mail is quarantined for an admin to look at. */
export const MAX_ATTEMPTS = 3;

export type TInboundOutcome = {
  state: "processed" | "ignored" | "quarantined";
  outcome: string;
  ticketId: string | null;
  error?: string;
};

export type TAcknowledge = (
  trx: TDb,
  ack: {
    workspaceId: string;
    brandId: string;
    ticketId: string;
    to: { email: string; name: string };
    locale: TLocale | null;
    inReplyTo: string | null;
    statusToken: string;
  },
) => Promise<void>;

export type TBounceHandler = (
  trx: TDb,
  workspaceId: string,
  bounce: NonNullable<TParsedMail["bounce"]>,
) => Promise<{ ticketId: string | null }>;

type TStoredAttachment = TStoredFile & { contentId: string | null };

/**
 * Turns a stored inbound email into a ticket or a message. The mail is parsed and its files written
 * to disk first; then one transaction threads it, writes the ticket or message, records its
 * Message-ID, enqueues the acknowledgement and marks the mail processed. A second run finds it
 * processed and does nothing, so a job may run twice without a second ticket.
 */
export function createInboundProcessor(deps: {
  db: TDb;
  clock: TClock;
  tickets: TTicketEmailOps;
  attachments: TAttachmentsService;
  maxAttachmentBytes: number;
  acknowledge: TAcknowledge;
  bounce: TBounceHandler;
}) {
  const { db, clock, tickets } = deps;

  async function saveFiles(mail: TParsedMail) {
    const kept: TStoredAttachment[] = [];
    const tooLarge: string[] = [];
    for (const a of mail.attachments) {
      if (a.size > deps.maxAttachmentBytes) {
        tooLarge.push(a.filename);
        continue;
      }
      const saved = await deps.attachments.saveFile({ filename: a.filename, content: a.content });
      kept.push({ ...saved, contentId: a.contentId });
    }
    return { kept, tooLarge };
  }

  /** The sender we answer: Reply-To when it names someone else than us, else From. */
  const senderOf = (mail: TParsedMail) => mail.replyTo ?? mail.from;

  async function route(
    trx: TDb,
    inbound: repo.TLockedInbound,
    mail: TParsedMail,
    files: { kept: TStoredAttachment[]; tooLarge: string[] },
  ): Promise<TInboundOutcome> {
    const ws = inbound.workspace_id;
    const brandId = inbound.brand_id;
    if (!brandId)
      return {
        state: "quarantined",
        outcome: "no_brand",
        ticketId: null,
        error: "No brand: the address it was sent to no longer exists",
      };
    const sender = senderOf(mail);
    if (!sender)
      return {
        state: "quarantined",
        outcome: "no_sender",
        ticketId: null,
        error: "The mail has no From address",
      };
    const others = [...mail.to, ...mail.cc].filter(
      (a) => a.address !== sender.address && !inbound.recipients.includes(a.address),
    );
    const own = await repo.ownAddresses(trx, ws, [
      ...(mail.from ? [mail.from.address] : []),
      ...others.map((a) => a.address),
    ]);
    if (mail.from && own.has(mail.from.address)) {
      return { state: "ignored", outcome: "own_address", ticketId: null };
    }
    if (mail.bounce) {
      const { ticketId } = await deps.bounce(trx, ws, mail.bounce);
      return { state: ticketId ? "processed" : "ignored", outcome: "bounce", ticketId };
    }

    // Everyone else on To/Cc who is not us becomes a CC of the ticket.
    const ccs = others
      .filter((a) => !own.has(a.address))
      .slice(0, 20)
      .map((a) => ({ email: a.address, name: a.name }));
    const body = mail.newText || mail.text;
    const emailFields = (rule: TThreadRule) => ({
      messageId: mail.messageId,
      inboundEmailId: inbound.id,
      threadRule: rule,
      quotedText: mail.quotedText,
    });

    const join = async (ticket: TLockedTicket, rule: TThreadRule): Promise<TInboundOutcome> => {
      const message = await tickets.appendCustomerEmail(trx, ws, ticket, {
        from: { email: sender.address, name: sender.name },
        body,
        html: mail.newHtml ?? mail.html,
        email: emailFields(rule),
        ccs,
      });
      await attachFiles(trx, ws, ticket.id, message.id, files);
      await remember(trx, ws, brandId, ticket.id, mail);
      return { state: "processed", outcome: rule, ticketId: ticket.id };
    };

    const open = async (rule: TThreadRule, older: TLockedTicket | null): Promise<TInboundOutcome> => {
      const locale = supportedLocale(mail.language);
      const created = await tickets.createTicket(trx, {
        workspaceId: ws,
        brandId,
        subject: (normalizeSubject(mail.subject) || mail.subject.trim() || "(no subject)").slice(0, 500),
        requester: { email: sender.address, name: sender.name, locale: locale ?? undefined },
        body,
        html: mail.newHtml ?? mail.html,
        priority: "normal",
        type: "question",
        category: null,
        tags: [],
        channel: "email",
        assigneeId: null,
        groupId: null,
        dueAt: null,
        customFields: {},
        ccs,
        orderNumber: null,
        createdBy: { type: "customer" },
        email: emailFields(rule),
      });
      const ticketId = created.ticket.id;
      await attachFiles(trx, ws, ticketId, created.messageId, files);
      await remember(trx, ws, brandId, ticketId, mail);
      if (older) {
        await tickets.linkTickets(trx, ws, {
          ticket: { id: ticketId, number: created.ticket.number },
          older: { id: older.id, number: Number(older.number) },
          kind: rule === "follow_up" ? "follow_up" : "related",
        });
      }
      if (!mail.automated) {
        await deps.acknowledge(trx, {
          workspaceId: ws,
          brandId,
          ticketId,
          to: { email: sender.address, name: sender.name },
          locale,
          inReplyTo: mail.messageId,
          statusToken: created.statusToken,
        });
      }
      return { state: "processed", outcome: rule, ticketId };
    };

    /** A closed ticket takes no more mail: a follow-up opens instead. Merged ones lead to their target. */
    const joinOrFollowUp = async (ticket: TLockedTicket, rule: TThreadRule) => {
      let target = ticket;
      for (let hops = 0; target.merged_into_id && hops < 5; hops++) {
        const next = await tickets.lockBrandTicket(trx, ws, brandId, { id: target.merged_into_id });
        if (!next) break;
        target = next;
      }
      return target.status === "closed" ? open("follow_up", target) : join(target, rule);
    };

    const referenced = await repo.findTicketByMessageIds(trx, ws, brandId, mail.references);
    if (referenced) {
      const ticket = await tickets.lockBrandTicket(trx, ws, brandId, { id: referenced });
      if (ticket) return joinOrFollowUp(ticket, "references");
    }
    const number = ticketNumberFromSubject(mail.subject);
    if (number !== null) {
      const ticket = await tickets.lockBrandTicket(trx, ws, brandId, { number });
      if (ticket) {
        return (await tickets.isParticipant(trx, ws, ticket.id, sender.address))
          ? joinOrFollowUp(ticket, "subject_token")
          : open("not_a_participant", ticket);
      }
    }
    return open("new_ticket", null);
  }

  async function attachFiles(
    trx: TDb,
    ws: string,
    ticketId: string,
    messageId: string,
    files: { kept: TStoredAttachment[]; tooLarge: string[] },
  ) {
    const saved = await deps.attachments.attachStoredFiles(trx, ws, ticketId, messageId, files.kept);
    if (files.tooLarge.length > 0) {
      await tickets.addEvent(trx, ws, ticketId, {
        type: "attachments_too_large",
        filenames: files.tooLarge,
        maxBytes: deps.maxAttachmentBytes,
      });
    }
    // Inline images name their part as cid:...; they are attachments now, so the HTML points there.
    const cids = files.kept
      .map((f, i) => ({ cid: f.contentId, url: saved[i]?.url }))
      .filter((c): c is { cid: string; url: string } => Boolean(c.cid && c.url));
    if (cids.length > 0) await tickets.rewriteInlineImages(trx, ws, messageId, cids);
  }

  async function remember(trx: TDb, ws: string, brandId: string, ticketId: string, mail: TParsedMail) {
    if (!mail.messageId) return;
    await repo.recordMessageId(trx, {
      workspaceId: ws,
      brandId,
      messageId: mail.messageId,
      ticketId,
      direction: "inbound",
      at: clock.now(),
    });
  }

  async function fail(workspaceId: string, inboundId: string, attempts: number, err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    const quarantined = attempts >= MAX_ATTEMPTS;
    await repo.finishInbound(db, workspaceId, inboundId, {
      state: quarantined ? "quarantined" : "received",
      outcome: quarantined ? "failed" : null,
      ticketId: null,
      error: message.slice(0, 2000),
      attempts,
      at: quarantined ? clock.now() : null,
    });
    return quarantined;
  }

  return {
    /**
     * Processes the mail unless that was done already. Returns false when it should be tried again
     * later (the error is recorded); after MAX_ATTEMPTS the mail is quarantined instead.
     */
    async process(workspaceId: string, inboundId: string): Promise<boolean> {
      // Most jobs find their mail processed already (it is processed as soon as it is stored).
      const waiting = await repo.findInbound(db, workspaceId, inboundId);
      if (waiting?.state !== "received") return true;
      const stored = await repo.findInboundRaw(db, workspaceId, inboundId);
      if (stored?.state !== "received") return true;
      let mail: TParsedMail;
      let files: { kept: TStoredAttachment[]; tooLarge: string[] };
      try {
        mail = await parseMail(stored.raw);
        files = await saveFiles(mail);
      } catch (err) {
        await fail(
          workspaceId,
          inboundId,
          MAX_ATTEMPTS,
          new Error(`The mail could not be parsed: ${(err as Error).message}`),
        );
        return true;
      }
      try {
        await db.transaction().execute(async (trx) => {
          const inbound = await repo.lockInbound(trx, workspaceId, inboundId);
          if (!inbound || inbound.state !== "received") return;
          const result = await route(trx, inbound, mail, files);
          await repo.finishInbound(trx, workspaceId, inboundId, {
            state: result.state,
            outcome: result.outcome,
            ticketId: result.ticketId,
            error: result.error ?? null,
            attempts: inbound.attempts + 1,
            subject: mail.subject.slice(0, 1000),
            fromAddress: senderOf(mail)?.address ?? null,
            at: clock.now(),
          });
        });
        return true;
      } catch (err) {
        return fail(workspaceId, inboundId, stored.attempts + 1, err);
      }
    },
  };
}
export type TInboundProcessor = ReturnType<typeof createInboundProcessor>;

const supportedLocale = (language: string | null): TLocale | null =>
  (LOCALES as readonly string[]).includes(language ?? "") ? (language as TLocale) : null;
