import type { Insertable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { AttachmentsTable } from "../../db/schema.ts";

/** The brand of a ticket, to check the actor may see it; undefined when there is no such (live) ticket. */
export const findTicketBrand = (db: TDb, workspaceId: string, ticketId: string) =>
  db
    .selectFrom("tickets")
    .select(["id", "brand_id"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", ticketId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();

export const insertAttachments = (db: TDb, rows: Insertable<AttachmentsTable>[]) =>
  db.insertInto("attachments").values(rows).returningAll().execute();

/** An attachment with the brand of its ticket. */
export const findAttachment = (db: TDb, workspaceId: string, attachmentId: string) =>
  db
    .selectFrom("attachments")
    .innerJoin("tickets", (j) =>
      j
        .onRef("tickets.workspace_id", "=", "attachments.workspace_id")
        .onRef("tickets.id", "=", "attachments.ticket_id"),
    )
    .selectAll("attachments")
    .select("tickets.brand_id")
    .where("attachments.workspace_id", "=", workspaceId)
    .where("attachments.id", "=", attachmentId)
    // A deleted ticket's files go with it.
    .where("tickets.deleted_at", "is", null)
    .executeTakeFirst();

/** Sets message_id on the given unclaimed uploads of the ticket; returns how many it claimed. */
export async function claimUnclaimed(
  db: TDb,
  workspaceId: string,
  ticketId: string,
  messageId: string,
  attachmentIds: string[],
): Promise<number> {
  const result = await db
    .updateTable("attachments")
    .set({ message_id: messageId })
    .where("workspace_id", "=", workspaceId)
    .where("ticket_id", "=", ticketId)
    .where("message_id", "is", null)
    .where("id", "in", attachmentIds)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export const listForMessages = (db: TDb, workspaceId: string, messageIds: string[]) =>
  db
    .selectFrom("attachments")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("message_id", "in", messageIds)
    .orderBy("created_at")
    .orderBy("id")
    .execute();

/** An attachment of a public reply on the ticket (what the customer's status page may offer). */
export const findPublicAttachment = (db: TDb, workspaceId: string, ticketId: string, attachmentId: string) =>
  db
    .selectFrom("attachments")
    .innerJoin("messages", (j) =>
      j
        .onRef("messages.workspace_id", "=", "attachments.workspace_id")
        .onRef("messages.id", "=", "attachments.message_id"),
    )
    .selectAll("attachments")
    .where("attachments.workspace_id", "=", workspaceId)
    .where("attachments.ticket_id", "=", ticketId)
    .where("attachments.id", "=", attachmentId)
    .where("messages.kind", "=", "reply")
    .executeTakeFirst();
