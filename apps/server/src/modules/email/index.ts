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
export { supportAddressesRoutes } from "./support-addresses.routes.ts";
export { createSupportAddressesService, type TSupportAddressesService } from "./support-addresses.service.ts";
export {
  normalizeSubject,
  referencedMessageIds,
  subjectWithToken,
  ticketNumberFromSubject,
} from "./threading.ts";
