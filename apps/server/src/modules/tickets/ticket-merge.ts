import type { TTicket } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import type { TActor } from "../../lib/actor.ts";
import { badRequest, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import type { TOutbox } from "../../lib/outbox.ts";
import { appendSearchText } from "../../lib/search-text.ts";
import { recordAudit } from "../audit/index.ts";
import { assertNotClosed } from "./status-machine.ts";
import { assertVisible, parseTicketRef, requireTicketEditor } from "./ticket-access.ts";
import { messageCreated, ticketChanged } from "./ticket-events.ts";
import { displayNumber, toTicketDto } from "./tickets.dto.ts";
import * as repo from "./tickets.repository.ts";

/**
 * Merging: the messages stay on the ticket they were written on; the target's thread lists the
 * messages of tickets merged into it (repo.listThread), and its search text takes the source's.
 * The source's requester becomes a CC of the target.
 */
export function createTicketMerge({ db, clock, outbox }: { db: TDb; clock: TClock; outbox: TOutbox }) {
  const getView = async (actor: TActor, ref: string, executor: TDb) =>
    assertVisible(actor, await repo.findTicketView(executor, actor.workspaceId, parseTicketRef(ref)));

  /**
   * Merges the source into the target (same brand): the source is closed and points at the
   * target; its messages stay on it, and the target's thread lists them too. Both get a note.
   */
  return async function mergeTicket(
    actor: TActor,
    sourceRef: string,
    targetRef: string,
  ): Promise<{ source: TTicket; target: TTicket }> {
    requireTicketEditor(actor);
    const ws = actor.workspaceId;
    return db.transaction().execute(async (trx) => {
      const sourceView = await getView(actor, sourceRef, trx);
      const targetView = await getView(actor, targetRef, trx);
      if (sourceView.id === targetView.id) {
        throw badRequest("merge_same_ticket", "A ticket cannot be merged into itself");
      }
      const locked = await repo.lockTickets(trx, ws, [sourceView.id, targetView.id]);
      const source = locked.find((t) => t.id === sourceView.id);
      const target = locked.find((t) => t.id === targetView.id);
      if (!source || !target) throw notFound("ticket");
      assertNotClosed(source.status);
      assertNotClosed(target.status);
      if (source.brand_id !== target.brand_id) {
        throw badRequest("merge_brand_mismatch", "Only tickets of the same brand can be merged");
      }
      const now = clock.now();
      await repo.updateTicketRow(trx, ws, source.id, {
        status: "closed",
        closed_at: now,
        merged_into_id: target.id,
        updated_at: now,
      });
      await repo.updateTicketRow(trx, ws, target.id, {
        search_text: appendSearchText(target.search_text, source.search_text),
        updated_at: now,
      });
      if (source.requester_id !== target.requester_id) {
        await repo.addCc(trx, ws, target.id, source.requester_id);
      }
      const sourceNo = displayNumber(Number(source.number));
      const targetNo = displayNumber(Number(target.number));
      const note = (ticketId: string, text: string, event: Record<string, unknown>, offset: number) => ({
        workspace_id: ws,
        id: newId(),
        ticket_id: ticketId,
        kind: "note" as const,
        channel: "internal" as const,
        author_user_id: actor.userId,
        author_customer_id: null,
        body_text: text,
        body_html: null,
        event: JSON.stringify(event),
        created_at: new Date(now.getTime() + offset),
      });
      const notes = [
        note(source.id, `Merged into ${targetNo}`, { type: "merged_into", ticketId: target.id }, 0),
        note(
          target.id,
          `${sourceNo} was merged into this ticket`,
          { type: "merged_from", ticketId: source.id },
          1,
        ),
      ];
      await repo.insertMessages(trx, notes);
      const by = { type: "user" as const, id: actor.userId };
      await recordAudit(trx, ws, [
        {
          entityType: "ticket",
          entityId: source.id,
          action: "merged",
          actor: by,
          changes: [
            { field: "mergedIntoId", before: null, after: target.id },
            { field: "status", before: source.status, after: "closed" },
          ],
          at: now,
        },
        {
          entityType: "ticket",
          entityId: target.id,
          action: "merge_received",
          actor: by,
          changes: [{ field: "mergedTicketId", before: null, after: source.id }],
          at: now,
        },
      ]);
      const views = await repo.listTicketViews(trx, ws, [source.id, target.id]);
      const dto = (id: string) => {
        const v = views.find((x) => x.id === id);
        if (!v) throw notFound("ticket");
        return toTicketDto(v);
      };
      const result = { source: dto(source.id), target: dto(target.id) };
      await outbox.publishMany(trx, [
        ticketChanged(ws, result.source, "merged"),
        ticketChanged(ws, result.target, "merged"),
        ...notes.map((n) =>
          messageCreated(ws, {
            ticketId: n.ticket_id,
            brandId: source.brand_id,
            messageId: n.id,
            kind: "note",
            authorType: "user",
          }),
        ),
      ]);
      return result;
    });
  };
}
