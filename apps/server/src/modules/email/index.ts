export { emailRoutes } from "./email.routes.ts";
export { createEmailService, type TEmailService } from "./email.service.ts";
export { createImapGateway, type TImapGateway } from "./imap-gateway.ts";
export { imapMailboxesRoutes } from "./imap-mailboxes.routes.ts";
export { createImapMailboxesService, type TImapMailboxesService } from "./imap-mailboxes.service.ts";
export {
  automatedReason,
  headerLookup,
  type TAutomatedReason,
  type THeaderLookup,
} from "./loop-detection.ts";
export {
  parseMail,
  sanitizeMailHtml,
  type TMailAddress,
  type TMailAttachment,
  type TParsedMail,
} from "./parse-mail.ts";
export { createSmtpListener, type TSmtpListener } from "./smtp-listener.ts";
export { supportAddressesRoutes } from "./support-addresses.routes.ts";
export { createSupportAddressesService, type TSupportAddressesService } from "./support-addresses.service.ts";
export {
  normalizeSubject,
  referencedMessageIds,
  subjectWithToken,
  ticketNumberFromSubject,
} from "./threading.ts";
