import type { TAttachment } from "@switchboard/contracts";
import type { TAttachmentRow } from "../../db/schema.ts";

export const attachmentUrl = (id: string) => `/api/v1/attachments/${id}`;

export const toAttachmentDto = (row: TAttachmentRow): TAttachment => ({
  id: row.id,
  filename: row.filename,
  contentType: row.content_type,
  sizeBytes: Number(row.size_bytes),
  url: attachmentUrl(row.id),
});
