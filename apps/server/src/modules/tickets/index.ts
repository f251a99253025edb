export {
  assertNotClosed,
  changeStatus,
  statusAfterMessage,
  statusTimestamps,
  ticketClosed,
} from "./status-machine.ts";
export type { TNewTicket } from "./ticket-create.ts";
export type { TTicketEmailOps } from "./ticket-email.ts";
export type { TListSort } from "./ticket-list.repository.ts";
export type { TPageRequest, TTicketCount, TTicketLists, TTicketPage } from "./ticket-list.service.ts";
export { displayNumber, toMessageDto, toTicketDto } from "./tickets.dto.ts";
export type { TLockedTicket, TMessageEmailFields } from "./tickets.repository.ts";
export { createTicketNumbering } from "./tickets.repository.ts";
export { ticketsRoutes } from "./tickets.routes.ts";
export { createTicketsService, type TTicketsService } from "./tickets.service.ts";
