import type { TCreateMessage, TMessage } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import type { TActor } from "../../lib/actor.ts";
import { forbidden, notFound, unprocessable } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import type { TLiveEvent, TOutbox, TOutboxEvent } from "../../lib/outbox.ts";
import { type TPageQuery, toPage } from "../../lib/pagination.ts";
import { appendSearchText } from "../../lib/search-text.ts";
import { sanitizeStaffHtml } from "../../lib/staff-html.ts";
import { claimAttachments, listAttachmentsForMessages } from "../attachments/index.ts";
import { recordAudit, type TAuditActor } from "../audit/index.ts";
import { statusAfterMessage, statusTimestamps, type TMessageAuthor } from "./status-machine.ts";
import { afterCursor, assertVisible, parseTicketRef } from "./ticket-access.ts";
import { messageCreated, ticketChanged } from "./ticket-events.ts";
import { toMessageDto } from "./tickets.dto.ts";
import * as repo from "./tickets.repository.ts";

export type TMessagesDeps = { db: TDb; clock: TClock; outbox: TOutbox };

type TNewMessage = {
  kind: "reply" | "note";
  body: string;
  html?: string | undefined;
  attachmentIds?: string[] | undefined;
  email?: repo.TMessageEmailFields | undefined;
  /** Colleagues mentioned in a note, already checked (see addMessage). */
  mentionIds?: string[] | undefined;
};

/** A ticket's thread: listing it, staff replies and notes, and customer replies. */
export function createTicketMessages({ db, clock, outbox }: TMessagesDeps) {
  async function withAttachments(executor: TDb, workspaceId: string, rows: repo.TMessageView[]) {
    const files = await listAttachmentsForMessages(
      executor,
      workspaceId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toMessageDto(r, files.get(r.id) ?? []));
  }

  /**
   * Adds a message to a locked ticket: claims its uploads, moves the status as the rules say,
   * appends the text to the ticket's search text, and audits a status change.
   */
  type TAppended = TNewMessage & { author: TMessageAuthor; authorId: string; channel: repo.TMessageChannel };

  /**
   * Writes the message and what it changes on the ticket; returns the message's id. Its live
   * events (message.created, ticket.changed) go into `live` when the caller publishes a batch of
   * them at once (inbound mail, a note's mentions), else to the outbox right away.
   */
  async function writeMessage(
    trx: TDb,
    workspaceId: string,
    ticket: repo.TLockedTicket,
    message: TAppended,
    live?: TLiveEvent[],
  ): Promise<string> {
    const status = statusAfterMessage(ticket.status, { author: message.author, kind: message.kind });
    const now = clock.now();
    const id = newId();
    await repo.insertMessages(trx, [
      {
        workspace_id: workspaceId,
        id,
        ticket_id: ticket.id,
        kind: message.kind,
        channel: message.channel,
        author_user_id: message.author === "staff" ? message.authorId : null,
        author_customer_id: message.author === "customer" ? message.authorId : null,
        body_text: message.body,
        body_html: message.html ?? null,
        email_message_id: message.email?.messageId ?? null,
        inbound_email_id: message.email?.inboundEmailId ?? null,
        thread_rule: message.email?.threadRule ?? null,
        quoted_text: message.email?.quotedText ?? null,
        created_at: now,
      },
    ]);
    await claimAttachments(trx, workspaceId, ticket.id, id, message.attachmentIds ?? []);
    const mentionIds = [...new Set(message.mentionIds ?? [])];
    if (mentionIds.length > 0)
      await addMentions(trx, workspaceId, ticket.id, id, message.authorId, mentionIds, now);
    const times = statusTimestamps(
      ticket.status,
      status,
      { solvedAt: ticket.solved_at, closedAt: ticket.closed_at },
      now,
    );
    await repo.updateTicketRow(trx, workspaceId, ticket.id, {
      status,
      solved_at: times.solvedAt,
      closed_at: times.closedAt,
      search_text: appendSearchText(ticket.search_text, message.body),
      last_message_at: now,
      updated_at: now,
    });
    if (status !== ticket.status) {
      const actor: TAuditActor = {
        type: message.author === "staff" ? "user" : "customer",
        id: message.authorId,
      };
      await recordAudit(trx, workspaceId, [
        {
          entityType: "ticket",
          entityId: ticket.id,
          action: message.author === "staff" ? "replied" : "customer_replied",
          actor,
          changes: [{ field: "status", before: ticket.status, after: status }],
          at: now,
        },
      ]);
    }
    const events: TOutboxEvent[] = [];
    if (message.kind === "reply" && message.author === "staff") {
      events.push({
        type: "message.public_reply",
        workspaceId,
        brandId: ticket.brand_id,
        ticketId: ticket.id,
        messageId: id,
      });
    }
    const liveEvents = [
      messageCreated(workspaceId, {
        ticketId: ticket.id,
        brandId: ticket.brand_id,
        messageId: id,
        kind: message.kind,
        authorType: message.author === "staff" ? "user" : "customer",
      }),
      ticketChanged(
        workspaceId,
        {
          id: ticket.id,
          brandId: ticket.brand_id,
          number: Number(ticket.number),
          status,
          assigneeId: ticket.assignee_id,
          updatedAt: now,
        },
        "message",
      ),
    ];
    if (live) live.push(...liveEvents);
    else events.push(...liveEvents);
    await outbox.publishMany(trx, events);
    return id;
  }

  /** Records the mentions; the mentioned colleagues follow the ticket from now on (audited). */
  async function addMentions(
    trx: TDb,
    workspaceId: string,
    ticketId: string,
    messageId: string,
    authorId: string,
    userIds: string[],
    now: Date,
  ) {
    await repo.insertMentions(trx, workspaceId, messageId, userIds, now);
    const added = await repo.addFollowers(trx, workspaceId, ticketId, userIds);
    if (added.length === 0) return;
    await recordAudit(trx, workspaceId, [
      {
        entityType: "ticket",
        entityId: ticketId,
        action: "followers_added",
        actor: { type: "user", id: authorId },
        changes: [{ field: "followerIds", before: null, after: added.sort() }],
        at: now,
      },
    ]);
  }

  async function appendMessage(
    trx: TDb,
    workspaceId: string,
    ticket: repo.TLockedTicket,
    message: TAppended,
    live?: TLiveEvent[],
  ): Promise<TMessage> {
    const id = await writeMessage(trx, workspaceId, ticket, message, live);
    const row = await repo.findMessageView(trx, workspaceId, id);
    if (!row) throw new Error("message vanished after insert");
    const [dto] = await withAttachments(trx, workspaceId, [row]);
    return dto as TMessage;
  }

  return {
    appendMessage,
    writeMessage,

    /** The thread, oldest first, with the messages of tickets merged into this one. */
    async listMessages(actor: TActor, ticketRef: string, page: TPageQuery) {
      const ticket = assertVisible(
        actor,
        await repo.findTicketView(db, actor.workspaceId, parseTicketRef(ticketRef)),
      );
      const rows = await repo.listThread(db, actor.workspaceId, ticket.id, {
        after: afterCursor(page.cursor),
        limit: page.limit,
      });
      const pageRows = rows.slice(0, page.limit);
      const dtos = await withAttachments(db, actor.workspaceId, pageRows);
      const byId = new Map(dtos.map((d) => [d.id, d]));
      return toPage(
        rows,
        page.limit,
        (r) => ({ at: r.created_at, id: r.id }),
        (r) => byId.get(r.id) as TMessage,
      );
    },

    /**
     * A staff reply or internal note. Light agents may write notes only. A note may mention
     * colleagues who can see the ticket's brand: they follow the ticket and are notified.
     */
    async addMessage(actor: TActor, ticketRef: string, input: TCreateMessage): Promise<TMessage> {
      const mentionIds = [...new Set(input.mentionIds ?? [])];
      if (mentionIds.length > 0 && input.kind !== "note") {
        throw unprocessable("invalid_mentions", "mentionIds: colleagues can be mentioned in notes only", {
          field: "mentionIds",
        });
      }
      return db.transaction().execute(async (trx) => {
        const ws = actor.workspaceId;
        const ticket = assertVisible(actor, await repo.lockTicket(trx, ws, parseTicketRef(ticketRef)));
        if (input.kind === "reply" && actor.role === "light_agent") {
          throw forbidden("Light agents can add internal notes, not public replies");
        }
        if (mentionIds.length > 0) {
          const ok = await repo.staffWithBrandAccess(trx, ws, ticket.brand_id, mentionIds, {
            includeLightAgents: true,
          });
          const bad = mentionIds.filter((id) => !ok.has(id));
          if (bad.length > 0) {
            throw unprocessable(
              "invalid_mentions",
              `mentionIds: ${bad.join(", ")} ${bad.length === 1 ? "is not an active user" : "are not active users"} of this ticket's brand`,
              { field: "mentionIds", ids: bad },
            );
          }
        }
        const live: TLiveEvent[] = [];
        const message = await appendMessage(
          trx,
          ws,
          ticket,
          {
            ...input,
            html: input.html ? sanitizeStaffHtml(input.html) : undefined,
            mentionIds,
            author: "staff",
            authorId: actor.userId,
            channel: input.kind === "note" ? "internal" : ticket.channel,
          },
          live,
        );
        // Writers are not told of their own mention.
        for (const userId of mentionIds.filter((id) => id !== actor.userId)) {
          live.push({
            type: "user.mentioned",
            workspaceId: ws,
            brandId: ticket.brand_id,
            userId,
            ticketId: ticket.id,
            ticketNumber: Number(ticket.number),
            messageId: message.id,
            byUserId: actor.userId,
            byName: message.author.name ?? "",
          });
        }
        await outbox.publishMany(trx, live);
        return message;
      });
    },

    /**
     * The requester's reply (status page, inbound email): reopens a solved or pending ticket;
     * a closed ticket refuses it with 409 ticket_closed.
     */
    async addCustomerReply(
      workspaceId: string,
      ticketId: string,
      input: { body: string; attachmentIds?: string[] | undefined; channel?: "web" | "email" },
    ): Promise<TMessage> {
      return db.transaction().execute(async (trx) => {
        const ticket = await repo.lockTicket(trx, workspaceId, parseTicketRef(ticketId));
        if (!ticket || ticket.deleted_at !== null) throw notFound("ticket");
        return appendMessage(trx, workspaceId, ticket, {
          kind: "reply",
          body: input.body,
          attachmentIds: input.attachmentIds,
          author: "customer",
          authorId: ticket.requester_id,
          channel: input.channel ?? "web",
        });
      });
    },

    /** Public replies of the ticket itself (not notes, events or merged tickets' messages). */
    async listPublicReplies(workspaceId: string, ticketId: string): Promise<TMessage[]> {
      const rows = await repo.listThread(db, workspaceId, ticketId, {
        limit: 1000,
        kinds: ["reply"],
        ownOnly: true,
      });
      return withAttachments(db, workspaceId, rows.slice(0, 1000));
    },
  };
}
export type TTicketMessages = ReturnType<typeof createTicketMessages>;
