import type { TDb } from "../../db/connection.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import type { TLiveEvent } from "../../lib/outbox.ts";
import { insertTicket, type TNewTicket } from "./ticket-create.ts";
import { ticketChanged } from "./ticket-events.ts";
import type { TTicketMessages } from "./ticket-messages.service.ts";
import * as repo from "./tickets.repository.ts";

/**
 * What the email channel does to tickets, each step inside the caller's transaction so that a
 * mail becomes a ticket or message together with the record that it was processed, or not at all.
 * The live events of new tickets and messages go into the caller's `live` list, which it publishes
 * once for a whole batch of mail.
 */
export function createTicketEmailOps({
  clock,
  messages,
}: {
  clock: TClock;
  messages: Pick<TTicketMessages, "writeMessage">;
}) {
  return {
    /** Locks a ticket of the brand by id or number; null when it is not there (deleted counts as gone). */
    async lockBrandTicket(trx: TDb, workspaceId: string, brandId: string, ref: repo.TTicketRef) {
      const ticket = await repo.lockTicket(trx, workspaceId, ref);
      return ticket && ticket.brand_id === brandId && ticket.deleted_at === null ? ticket : null;
    },

    isParticipant: repo.isParticipant,
    listRecipients: repo.listRecipients,

    async createTicket(trx: TDb, t: TNewTicket, live: TLiveEvent[]) {
      const created = await insertTicket({ db: trx, clock }, t);
      live.push(ticketChanged(t.workspaceId, created.ticket, "created"));
      return created;
    },

    /**
     * The sender's reply on a ticket (customers found by the caller); a sender or CC who is not the
     * requester becomes a CC of the ticket. Returns the message's id.
     */
    async appendCustomerEmail(
      trx: TDb,
      workspaceId: string,
      ticket: repo.TLockedTicket,
      mail: {
        authorId: string;
        ccIds: string[];
        body: string;
        html: string | null;
        email: repo.TMessageEmailFields;
      },
      live: TLiveEvent[],
    ): Promise<string> {
      const ccs = [...new Set([...mail.ccIds, mail.authorId])].filter((id) => id !== ticket.requester_id);
      for (const id of ccs) await repo.addCc(trx, workspaceId, ticket.id, id);
      return messages.writeMessage(
        trx,
        workspaceId,
        ticket,
        {
          kind: "reply",
          body: mail.body,
          html: mail.html ?? undefined,
          author: "customer",
          authorId: mail.authorId,
          channel: "email",
          email: mail.email,
        },
        live,
      );
    },

    /** Points the message's inline images (cid:...) at the attachments they became. */
    async rewriteInlineImages(
      trx: TDb,
      workspaceId: string,
      messageId: string,
      images: { cid: string; url: string }[],
    ) {
      const html = await repo.findMessageHtml(trx, workspaceId, messageId);
      if (!html) return;
      let next = html;
      for (const { cid, url } of images) {
        const escaped = cid.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        next = next.replace(new RegExp(`cid:${escaped}(?=["'\\s>])`, "gi"), url);
      }
      if (next !== html) await repo.updateMessageHtml(trx, workspaceId, messageId, next);
    },

    /** Number and subject, for an acknowledgement. */
    async ticketForMail(db: TDb, workspaceId: string, ticketId: string) {
      const ticket = await repo.findTicketView(db, workspaceId, { id: ticketId });
      return ticket && !ticket.deleted_at ? { number: Number(ticket.number), subject: ticket.subject } : null;
    },

    /**
     * What a reply email needs: the ticket, the message and the earlier public messages (newest
     * first). Null when the message is gone or not a public reply.
     */
    async replyContext(db: TDb, workspaceId: string, ticketId: string, messageId: string) {
      const ticket = await repo.findTicketView(db, workspaceId, { id: ticketId });
      const message = await repo.findMessageView(db, workspaceId, messageId);
      if (!ticket || !message || message.kind !== "reply") return null;
      const thread = await repo.listThread(db, workspaceId, ticketId, {
        limit: 1000,
        kinds: ["reply"],
        ownOnly: true,
      });
      const history = thread
        .filter((m) => m.created_at <= message.created_at && m.id !== message.id)
        .reverse()
        .slice(0, 20);
      return { ticket, message, history };
    },

    /** A system event in the thread (a follow-up was opened, a delivery failed, ...). */
    async addEvent(trx: TDb, workspaceId: string, ticketId: string, event: Record<string, unknown>) {
      await repo.insertMessages(trx, [
        {
          workspace_id: workspaceId,
          id: newId(),
          ticket_id: ticketId,
          kind: "event",
          channel: "internal",
          author_user_id: null,
          author_customer_id: null,
          body_text: "",
          body_html: null,
          event: JSON.stringify(event),
          created_at: clock.now(),
        },
      ]);
    },

    /** Links a new ticket to an older one, both ways, with an event on each thread. */
    async linkTickets(
      trx: TDb,
      workspaceId: string,
      link: {
        ticket: { id: string; number: number };
        older: { id: string; number: number };
        kind: "follow_up" | "related";
      },
    ) {
      const now = clock.now();
      await repo.insertTicketLink(trx, workspaceId, {
        ticketId: link.ticket.id,
        linkedTicketId: link.older.id,
        kind: link.kind,
        now,
      });
      await this.addEvent(trx, workspaceId, link.ticket.id, {
        type: "ticket_linked",
        kind: link.kind,
        ticketId: link.older.id,
        number: link.older.number,
      });
      await this.addEvent(trx, workspaceId, link.older.id, {
        type: "ticket_linked",
        kind: link.kind === "follow_up" ? "followed_up_by" : "related",
        ticketId: link.ticket.id,
        number: link.ticket.number,
      });
    },
  };
}
export type TTicketEmailOps = ReturnType<typeof createTicketEmailOps>;
