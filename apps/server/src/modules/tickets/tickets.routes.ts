import {
  ZAuditEvent,
  ZBulkResult,
  ZBulkUpdateTickets,
  ZCreateMessage,
  ZCreateTicket,
  ZMergeResult,
  ZMergeTicket,
  ZMessage,
  ZMessageEnvelope,
  ZPage,
  ZPageQuery,
  ZThreadQuery,
  ZTicket,
  ZTicketEnvelope,
  ZTicketListQuery,
  ZTicketParams,
  ZUpdateTicket,
} from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { actorOf } from "../../http/auth-hook.ts";
import type { TIdempotency } from "../../http/idempotency.ts";
import type { TTicketsService } from "./tickets.service.ts";

export function ticketsRoutes(tickets: TTicketsService, idempotency: TIdempotency) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["tickets"];
    const params = ZTicketParams;

    r.post(
      "/tickets",
      {
        schema: {
          tags,
          summary: "Create a ticket with its first message (honours Idempotency-Key)",
          body: ZCreateTicket,
          response: { 201: ZTicketEnvelope },
        },
      },
      async (req, reply) =>
        idempotency.run(req, reply, 201, async () => ({
          ticket: await tickets.createTicket(actorOf(req), req.body),
        })),
    );
    r.get(
      "/tickets",
      {
        schema: {
          tags,
          summary:
            "Tickets that pass the filters, most recently updated first unless `sort` says otherwise (deleted, spam and merged left out unless asked)",
          querystring: ZTicketListQuery,
          response: { 200: ZPage(ZTicket) },
        },
      },
      async (req) => tickets.listTickets(actorOf(req), req.query),
    );
    r.post(
      "/tickets/bulk",
      {
        schema: {
          tags,
          summary: "Change up to 100 tickets at once; the answer says how each one went",
          body: ZBulkUpdateTickets,
          response: { 200: ZBulkResult },
        },
      },
      async (req) => tickets.bulkUpdate(actorOf(req), req.body),
    );
    r.get(
      "/tickets/:id",
      {
        schema: {
          tags,
          summary: "A ticket, by id or by number",
          params,
          response: { 200: ZTicketEnvelope },
        },
      },
      async (req) => ({ ticket: await tickets.getTicket(actorOf(req), req.params.id) }),
    );
    r.patch(
      "/tickets/:id",
      {
        schema: {
          tags,
          summary: "Change a ticket's fields; every change is audited",
          params,
          body: ZUpdateTicket,
          response: { 200: ZTicketEnvelope },
        },
      },
      async (req) => ({ ticket: await tickets.updateTicket(actorOf(req), req.params.id, req.body) }),
    );
    r.delete(
      "/tickets/:id",
      { schema: { tags, summary: "Delete a ticket (owners, admins, supervisors)", params } },
      async (req, reply) => {
        await tickets.deleteTicket(actorOf(req), req.params.id);
        return reply.status(204).send();
      },
    );
    r.get(
      "/tickets/:id/messages",
      {
        schema: {
          tags,
          summary: "The thread, oldest first, with messages of tickets merged into this one",
          params,
          querystring: ZThreadQuery,
          response: { 200: ZPage(ZMessage) },
        },
      },
      async (req) => tickets.listMessages(actorOf(req), req.params.id, req.query),
    );
    r.post(
      "/tickets/:id/messages",
      {
        schema: {
          tags,
          summary: "Add a public reply or an internal note (light agents: notes only)",
          params,
          body: ZCreateMessage,
          response: { 201: ZMessageEnvelope },
        },
      },
      async (req, reply) =>
        idempotency.run(req, reply, 201, async () => ({
          message: await tickets.addMessage(actorOf(req), req.params.id, req.body),
        })),
    );
    r.post(
      "/tickets/:id/merge",
      {
        schema: {
          tags,
          summary: "Merge this ticket into another of the same brand; it is closed",
          params,
          body: ZMergeTicket,
          response: { 200: ZMergeResult },
        },
      },
      async (req) => tickets.mergeTicket(actorOf(req), req.params.id, req.body.targetTicketId),
    );
    r.get(
      "/tickets/:id/audit",
      {
        schema: {
          tags,
          summary: "Who changed what and when, oldest first",
          params,
          querystring: ZPageQuery,
          response: { 200: ZPage(ZAuditEvent) },
        },
      },
      async (req) => tickets.listAuditTrail(actorOf(req), req.params.id, req.query),
    );
  };
}
