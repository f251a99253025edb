import { z } from "zod";
import { ZId } from "./common.ts";

/** A file on a ticket. `url` downloads it for staff who may see the ticket. */
export const ZAttachment = z.object({
  id: ZId,
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int().min(0),
  url: z.string(),
});
export type TAttachment = z.infer<typeof ZAttachment>;

export const ZAttachmentList = z.object({ items: z.array(ZAttachment) });
export type TAttachmentList = z.infer<typeof ZAttachmentList>;
