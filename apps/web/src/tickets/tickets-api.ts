import type {
  TAttachment,
  TAuditEvent,
  TBulkResult,
  TBulkUpdateTickets,
  TMessage,
  TTicket,
  TUpdateTicket,
} from "@switchboard/contracts";
import { enc, http } from "../lib/http.ts";

export type { TMessage, TTicket };
export type TTicketPage = { items: TTicket[]; nextCursor: string | null };

export const listTickets = (query: string) => http.get<TTicketPage>(`/tickets?${query}`);

export const getTicket = (ref: string) =>
  http.get<{ ticket: TTicket }>(`/tickets/${enc(ref)}`).then((r) => r.ticket);

/** The whole thread, oldest first, a page (the API's largest for threads, 500) at a time. */
export const listMessages = (id: string) => http.getAll<TMessage>(`/tickets/${enc(id)}/messages`, 500);

export type TNewMessage = {
  kind: "reply" | "note";
  body: string;
  html?: string;
  attachmentIds?: string[];
  mentionIds?: string[];
};
export const addMessage = (id: string, message: TNewMessage) =>
  http.post<{ message: TMessage }>(`/tickets/${enc(id)}/messages`, message).then((r) => r.message);

export const updateTicket = (id: string, changes: TUpdateTicket) =>
  http.patch<{ ticket: TTicket }>(`/tickets/${enc(id)}`, changes).then((r) => r.ticket);

export const bulkUpdateTickets = (body: TBulkUpdateTickets) => http.post<TBulkResult>("/tickets/bulk", body);

export const mergeTicket = (id: string, targetTicketId: string) =>
  http.post<{ source: TTicket; target: TTicket }>(`/tickets/${enc(id)}/merge`, { targetTicketId });

export const listAudit = (id: string) =>
  http.get<{ items: TAuditEvent[]; nextCursor: string | null }>(`/tickets/${enc(id)}/audit?limit=100`);

/** Uploads a file for a message not yet sent; the message claims it by id. */
export function uploadAttachment(ticketId: string, file: File) {
  const form = new FormData();
  form.append("file", file, file.name);
  return http
    .upload<{ items: TAttachment[] }>(`/tickets/${enc(ticketId)}/attachments`, form)
    .then((r) => r.items);
}
