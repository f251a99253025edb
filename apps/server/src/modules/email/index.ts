export {
  automatedReason,
  headerLookup,
  type TAutomatedReason,
  type THeaderLookup,
} from "./loop-detection.ts";
export { supportAddressesRoutes } from "./support-addresses.routes.ts";
export { createSupportAddressesService, type TSupportAddressesService } from "./support-addresses.service.ts";
export {
  normalizeSubject,
  referencedMessageIds,
  subjectWithToken,
  ticketNumberFromSubject,
} from "./threading.ts";
