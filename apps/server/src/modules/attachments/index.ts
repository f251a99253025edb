export { createAttachmentStore, type TAttachmentStore } from "./attachment-store.ts";
export { attachmentUrl, toAttachmentDto } from "./attachments.dto.ts";
export { attachmentsRoutes, multipartFiles, sendAttachment } from "./attachments.routes.ts";
export {
  claimAttachments,
  createAttachmentsService,
  listAttachmentsForMessages,
  listStoredFilesOfMessage,
  type TAttachmentsDeps,
  type TAttachmentsService,
  type TIncomingFile,
  type TStoredFile,
} from "./attachments.service.ts";
export { sanitizeFilename } from "./file-safety.ts";
