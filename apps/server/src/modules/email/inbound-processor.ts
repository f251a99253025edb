import { LOCALES, type TLocale, type TThreadRule } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import type { TClock } from "../../lib/clock.ts";
import type { TLiveEvent } from "../../lib/outbox.ts";
import { createTtlCache } from "../../lib/ttl-cache.ts";
import type { TAttachmentsService, TStoredFile } from "../attachments/index.ts";
import { findOrCreateEmailCustomers, normalizeIdentity, type TEmailContact } from "../customers/index.ts";
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

/** An acknowledgement the processing of a batch asks for; the outbound side decides and writes it. */
export type TAckRequest = {
  brandId: string;
  ticketId: string;
  ticketNumber: number;
  subject: string;
  to: { email: string; name: string };
  /** The language of the mail, else the customer's. */
  locale: TLocale | null;
  inReplyTo: string | null;
  statusToken: string;
};

export type TAcknowledge = (trx: TDb, workspaceId: string, acks: TAckRequest[]) => Promise<void>;

export type TBounceHandler = (
  trx: TDb,
  workspaceId: string,
  bounce: NonNullable<TParsedMail["bounce"]>,
) => Promise<{ ticketId: string | null }>;

type TStoredAttachment = TStoredFile & { contentId: string | null };

/** A batch's mail: what was read and parsed before its transaction. */
type TParsed = {
  id: string;
  attempts: number;
  mail: TParsedMail;
  files: { kept: TStoredAttachment[]; tooLarge: string[] };
};

/** The workspace's own addresses are cached this long (a new one is known to other processes after it). */
const OWN_ADDRESSES_TTL_MS = 5_000;

const normalEmail = (address: string) => normalizeIdentity({ kind: "email", value: address }).value;
const emailKey = (brandId: string, address: string) => `${brandId} ${normalEmail(address)}`;

/**
 * Turns stored inbound emails into tickets or messages, a batch at a time. The mails are parsed and
 * their files written to disk first; then one transaction threads each, writes its ticket or
 * message, and for the whole batch records the Message-IDs, queues the acknowledgements and marks
 * the mails processed. A mail found processed (or being processed) is skipped, so a job may run
 * twice without a second ticket. When the batch's transaction fails, each mail is tried on its own,
 * so one bad mail costs the others nothing.
 */
export function createInboundProcessor(deps: {
  db: TDb;
  clock: TClock;
  tickets: TTicketEmailOps;
  attachments: TAttachmentsService;
  maxAttachmentBytes: number;
  acknowledge: TAcknowledge;
  bounce: TBounceHandler;
  /** Publishes the live events of a batch's tickets and messages, in its transaction: one NOTIFY. */
  publishLive: (trx: TDb, events: TLiveEvent[]) => Promise<void>;
}) {
  const { db, clock, tickets } = deps;
  const ownCache = createTtlCache<Set<string>>(OWN_ADDRESSES_TTL_MS);

  async function ownAddresses(trx: TDb, workspaceId: string): Promise<Set<string>> {
    const cached = ownCache.get(workspaceId);
    if (cached) return cached;
    const own = await repo.listOwnAddresses(trx, workspaceId);
    ownCache.set(workspaceId, own);
    return own;
  }

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

  /**
   * Who becomes a CC of the ticket: everyone on To/Cc who is neither the sender nor one of our
   * addresses (at most 20).
   */
  const ccsOf = (
    inbound: repo.TLockedInbound,
    mail: TParsedMail,
    sender: { address: string },
    own: Set<string>,
  ) =>
    [...mail.to, ...mail.cc]
      .filter(
        (a) => a.address !== sender.address && !inbound.recipients.includes(a.address) && !own.has(a.address),
      )
      .slice(0, 20);

  /**
   * What a batch shares: the customers of its senders and CCs (found or created up front), the
   * tickets its References name, and what is written once at its end (Message-IDs, acknowledgements).
   */
  async function openBatch(trx: TDb, ws: string, work: (TParsed & { inbound: repo.TLockedInbound })[]) {
    const own = await ownAddresses(trx, ws);
    const contacts: TEmailContact[] = [];
    for (const { inbound, mail } of work) {
      const sender = senderOf(mail);
      if (!inbound.brand_id || !sender || mail.bounce || (mail.from && own.has(mail.from.address))) continue;
      const brandId = inbound.brand_id;
      contacts.push({
        brandId,
        email: normalEmail(sender.address),
        name: sender.name,
        locale: supportedLocale(mail.language),
      });
      for (const cc of ccsOf(inbound, mail, sender, own)) {
        contacts.push({ brandId, email: normalEmail(cc.address), name: cc.name, locale: null });
      }
    }
    const customers = await findOrCreateEmailCustomers(trx, ws, contacts, clock.now());
    const referenced = new Map<string, string>();
    const refs = [...new Set(work.flatMap((w) => w.mail.references.slice(0, 100)))];
    // Newest first: the first row of a Message-ID names its newest ticket.
    const brandIds = [...new Set(work.flatMap((w) => (w.inbound.brand_id ? [w.inbound.brand_id] : [])))];
    for (const r of await repo.findTicketsByMessageIds(trx, ws, brandIds, refs)) {
      const key = `${r.brand_id} ${r.message_id}`;
      if (!referenced.has(key)) referenced.set(key, r.ticket_id);
    }
    const messageIds: repo.TMessageIdRow[] = [];
    const acks: TAckRequest[] = [];
    const live: TLiveEvent[] = [];
    return {
      own,
      acks,
      live,
      customer(brandId: string, address: string) {
        const found = customers.get(emailKey(brandId, address));
        if (!found) throw new Error(`no customer was found or created for ${address}`);
        return found;
      },
      /** The ticket of the first of these Message-IDs (In-Reply-To, then References from the newest). */
      ticketByMessageIds(brandId: string, ids: string[]): string | null {
        for (const id of ids) {
          const hit = referenced.get(`${brandId} ${id}`);
          if (hit) return hit;
        }
        return null;
      },
      remember(brandId: string, ticketId: string, messageId: string | null) {
        if (!messageId) return;
        messageIds.push({ brandId, messageId, ticketId, direction: "inbound" });
        // A later mail of the same batch that replies to this one finds it.
        referenced.set(`${brandId} ${messageId}`, ticketId);
      },
      async close() {
        await repo.recordMessageIds(trx, ws, messageIds, clock.now());
        if (acks.length > 0) await deps.acknowledge(trx, ws, acks);
        await deps.publishLive(trx, live);
      },
    };
  }
  type TBatch = Awaited<ReturnType<typeof openBatch>>;

  async function route(
    trx: TDb,
    batch: TBatch,
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
    if (mail.from && batch.own.has(mail.from.address)) {
      return { state: "ignored", outcome: "own_address", ticketId: null };
    }
    if (mail.bounce) {
      const { ticketId } = await deps.bounce(trx, ws, mail.bounce);
      return { state: ticketId ? "processed" : "ignored", outcome: "bounce", ticketId };
    }

    // Everyone else on To/Cc who is not us becomes a CC of the ticket.
    const ccs = ccsOf(inbound, mail, sender, batch.own).map((a) => ({ email: a.address, name: a.name }));
    const author = batch.customer(brandId, sender.address);
    const ccIds = ccs.map((cc) => batch.customer(brandId, cc.email).id);
    const body = mail.newText || mail.text;
    const emailFields = (rule: TThreadRule) => ({
      messageId: mail.messageId,
      inboundEmailId: inbound.id,
      threadRule: rule,
      quotedText: mail.quotedText,
    });

    const join = async (ticket: TLockedTicket, rule: TThreadRule): Promise<TInboundOutcome> => {
      const messageId = await tickets.appendCustomerEmail(
        trx,
        ws,
        ticket,
        { authorId: author.id, ccIds, body, html: mail.newHtml ?? mail.html, email: emailFields(rule) },
        batch.live,
      );
      await attachFiles(trx, ws, ticket.id, messageId, files);
      batch.remember(brandId, ticket.id, mail.messageId);
      return { state: "processed", outcome: rule, ticketId: ticket.id };
    };

    const open = async (rule: TThreadRule, older: TLockedTicket | null): Promise<TInboundOutcome> => {
      const locale = supportedLocale(mail.language);
      const created = await tickets.createTicket(
        trx,
        {
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
          known: { requesterId: author.id, ccIds },
        },
        batch.live,
      );
      const ticketId = created.ticket.id;
      await attachFiles(trx, ws, ticketId, created.messageId, files);
      batch.remember(brandId, ticketId, mail.messageId);
      if (older) {
        await tickets.linkTickets(trx, ws, {
          ticket: { id: ticketId, number: created.ticket.number },
          older: { id: older.id, number: Number(older.number) },
          kind: rule === "follow_up" ? "follow_up" : "related",
        });
      }
      if (!mail.automated) {
        batch.acks.push({
          brandId,
          ticketId,
          ticketNumber: created.ticket.number,
          subject: created.ticket.subject,
          to: { email: sender.address, name: sender.name },
          locale: locale ?? supportedLocale(author.locale),
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

    const referenced = batch.ticketByMessageIds(brandId, mail.references);
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
    if (files.kept.length === 0 && files.tooLarge.length === 0) return;
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

  /** Records a failed try; returns whether the mail was quarantined (else it is tried again later). */
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

  /** One transaction for the batch; on failure each mail on its own. Returns the ids to try again later. */
  async function commit(ws: string, parsed: TParsed[]): Promise<string[]> {
    try {
      await db.transaction().execute(async (trx) => {
        const locked = new Map(
          (
            await repo.lockReceived(
              trx,
              ws,
              parsed.map((p) => p.id),
            )
          ).map((r) => [r.id, r]),
        );
        const work = parsed.flatMap((p) => {
          const inbound = locked.get(p.id);
          return inbound ? [{ ...p, inbound }] : [];
        });
        if (work.length === 0) return;
        const batch = await openBatch(trx, ws, work);
        const finished: repo.TInboundFinish[] = [];
        for (const { inbound, mail, files } of work) {
          const result = await route(trx, batch, inbound, mail, files);
          finished.push({
            id: inbound.id,
            state: result.state,
            outcome: result.outcome,
            ticketId: result.ticketId,
            error: result.error ?? null,
            attempts: inbound.attempts + 1,
            subject: mail.subject.slice(0, 1000),
            fromAddress: senderOf(mail)?.address ?? null,
          });
        }
        await batch.close();
        await repo.finishInbounds(trx, ws, finished, clock.now());
      });
      return [];
    } catch (err) {
      if (parsed.length > 1) {
        const retry: string[] = [];
        for (const p of parsed) retry.push(...(await commit(ws, [p])));
        return retry;
      }
      const [p] = parsed;
      if (!p) return [];
      return (await fail(ws, p.id, p.attempts + 1, err)) ? [] : [p.id];
    }
  }

  return {
    /**
     * Processes those of the workspace's mails that still wait. Returns the ids of mails that failed
     * and should be tried again later (the error is recorded); after MAX_ATTEMPTS a mail is
     * quarantined instead.
     */
    async processMany(workspaceId: string, inboundIds: string[]): Promise<string[]> {
      if (inboundIds.length === 0) return [];
      const parsed: TParsed[] = [];
      for (const row of await repo.findReceivedRaw(db, workspaceId, inboundIds)) {
        try {
          const mail = await parseMail(row.raw);
          parsed.push({ id: row.id, attempts: row.attempts, mail, files: await saveFiles(mail) });
        } catch (err) {
          await fail(
            workspaceId,
            row.id,
            MAX_ATTEMPTS,
            new Error(`The mail could not be parsed: ${(err as Error).message}`),
          );
        }
      }
      return parsed.length > 0 ? commit(workspaceId, parsed) : [];
    },
  };
}
export type TInboundProcessor = ReturnType<typeof createInboundProcessor>;

const supportedLocale = (language: string | null): TLocale | null =>
  (LOCALES as readonly string[]).includes(language ?? "") ? (language as TLocale) : null;
