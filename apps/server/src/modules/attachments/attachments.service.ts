import type { Readable } from "node:stream";
import type { TAttachment } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import { canSeeBrand, type TActor } from "../../lib/actor.ts";
import { badRequest, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { isUuid, newId } from "../../lib/ids.ts";
import type { TAttachmentStore, TStoredBlob } from "./attachment-store.ts";
import { toAttachmentDto } from "./attachments.dto.ts";
import * as repo from "./attachments.repository.ts";
import { sanitizeFilename } from "./file-safety.ts";

export type TAttachmentsDeps = { db: TDb; clock: TClock; store: TAttachmentStore };

/** A file whose bytes are on disk but which is not yet recorded on a ticket. */
export type TStoredFile = TStoredBlob & { filename: string };
export type TIncomingFile = { filename: string | undefined; content: Readable | Buffer };

/**
 * Sets message_id on unclaimed uploads of the ticket, inside the caller's transaction. Throws
 * attachment_not_found if any id is not an unclaimed upload of that ticket (nothing is claimed then,
 * provided the caller rolls back).
 */
export async function claimAttachments(
  trx: TDb,
  workspaceId: string,
  ticketId: string,
  messageId: string,
  attachmentIds: string[],
): Promise<void> {
  const ids = [...new Set(attachmentIds)];
  if (ids.length === 0) return;
  if (!ids.every(isUuid)) throw notFound("attachment");
  const claimed = await repo.claimUnclaimed(trx, workspaceId, ticketId, messageId, ids);
  if (claimed !== ids.length) throw notFound("attachment");
}

/** The attachments of each message, oldest first; every asked-for id has an entry (maybe empty). */
export async function listAttachmentsForMessages(
  db: TDb,
  workspaceId: string,
  messageIds: string[],
): Promise<Map<string, TAttachment[]>> {
  const byMessage = new Map<string, TAttachment[]>(messageIds.map((id) => [id, []]));
  const ids = [...new Set(messageIds)].filter(isUuid);
  if (ids.length === 0) return byMessage;
  for (const row of await repo.listForMessages(db, workspaceId, ids)) {
    if (row.message_id) byMessage.get(row.message_id)?.push(toAttachmentDto(row));
  }
  return byMessage;
}

/** A message's files as stored (content hash, name, type), for attaching them to outgoing mail. */
export const listStoredFilesOfMessage = async (db: TDb, workspaceId: string, messageId: string) =>
  (await repo.listForMessages(db, workspaceId, [messageId])).map((r) => ({
    sha256: r.sha256,
    filename: r.filename,
    contentType: r.content_type,
  }));

/**
 * Stores a buffer or stream for a ticket (contact form, inbound email) and returns it. With a
 * messageId it is recorded on that message at once; pass the transaction that created the message
 * as deps.db. Over the size limit it throws payload_too_large (413).
 */
async function storeAttachment(
  deps: TAttachmentsDeps,
  workspaceId: string,
  ticketId: string,
  file: TIncomingFile & { messageId?: string | null },
): Promise<TAttachment> {
  const blob = await deps.store.save(file.content);
  const [attachment] = await insertStored(deps, workspaceId, ticketId, file.messageId ?? null, [
    { ...blob, filename: sanitizeFilename(file.filename) },
  ]);
  if (!attachment) throw new Error("attachment insert returned no row");
  return attachment;
}

async function insertStored(
  { db, clock }: Pick<TAttachmentsDeps, "db" | "clock">,
  workspaceId: string,
  ticketId: string,
  messageId: string | null,
  files: TStoredFile[],
): Promise<TAttachment[]> {
  if (files.length === 0) return [];
  const now = clock.now();
  const rows = await repo.insertAttachments(
    db,
    files.map((f, i) => ({
      workspace_id: workspaceId,
      id: newId(),
      ticket_id: ticketId,
      message_id: messageId,
      sha256: f.sha256,
      filename: f.filename,
      content_type: f.contentType,
      size_bytes: f.sizeBytes,
      // Keeps the upload order when several files share one request.
      created_at: new Date(now.getTime() + i),
    })),
  );
  return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime()).map(toAttachmentDto);
}

export function createAttachmentsService({ db, clock, store }: TAttachmentsDeps) {
  /** Writes the bytes to disk (deduplicated) and sniffs their type; records nothing yet. */
  async function saveFile(file: TIncomingFile): Promise<TStoredFile> {
    const blob = await store.save(file.content);
    return { ...blob, filename: sanitizeFilename(file.filename) };
  }

  /** Records files already on disk as attachments of a ticket (and of a message, when given). */
  const attachStoredFiles = (
    executor: TDb,
    workspaceId: string,
    ticketId: string,
    messageId: string | null,
    files: TStoredFile[],
  ): Promise<TAttachment[]> => insertStored({ db: executor, clock }, workspaceId, ticketId, messageId, files);

  async function assertTicketVisible(actor: TActor, ticketId: string): Promise<void> {
    const ticket = isUuid(ticketId) ? await repo.findTicketBrand(db, actor.workspaceId, ticketId) : undefined;
    if (!ticket || !canSeeBrand(actor, ticket.brand_id)) throw notFound("ticket");
  }

  return {
    saveFile,
    attachStoredFiles,
    assertTicketVisible,

    /** Staff uploads for a ticket, not yet on a message: the next reply or note claims them. */
    async uploadToTicket(
      actor: TActor,
      ticketId: string,
      files: AsyncIterable<TIncomingFile>,
    ): Promise<TAttachment[]> {
      await assertTicketVisible(actor, ticketId);
      const stored: TStoredFile[] = [];
      for await (const file of files) stored.push(await saveFile(file));
      if (stored.length === 0) throw badRequest("no_files", "Send one or more files as multipart/form-data");
      return attachStoredFiles(db, actor.workspaceId, ticketId, null, stored);
    },

    /** Stores a buffer or stream for a ticket (contact form, inbound email); see storeAttachment above. */
    storeAttachment: (
      workspaceId: string,
      ticketId: string,
      file: TIncomingFile & { messageId?: string | null },
      executor: TDb = db,
    ) => storeAttachment({ db: executor, clock, store }, workspaceId, ticketId, file),

    /** The file for a download, only for those who may see its ticket. */
    async openForActor(actor: TActor, attachmentId: string) {
      const row = isUuid(attachmentId)
        ? await repo.findAttachment(db, actor.workspaceId, attachmentId)
        : undefined;
      if (!row || !canSeeBrand(actor, row.brand_id)) throw notFound("attachment");
      const file = await store.open(row.sha256);
      if (!file) throw notFound("attachment");
      return { attachment: row, ...file };
    },

    /**
     * The file for the customer's status page: only attachments of public replies on that ticket.
     */
    async openForPublicThread(workspaceId: string, ticketId: string, attachmentId: string) {
      const row = isUuid(attachmentId)
        ? await repo.findPublicAttachment(db, workspaceId, ticketId, attachmentId)
        : undefined;
      if (!row) throw notFound("attachment");
      const file = await store.open(row.sha256);
      if (!file) throw notFound("attachment");
      return { attachment: row, ...file };
    },
  };
}
export type TAttachmentsService = ReturnType<typeof createAttachmentsService>;
