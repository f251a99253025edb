import {
  ZCreateView,
  ZPage,
  ZReorderViews,
  ZTicket,
  ZUpdateView,
  ZView,
  ZViewCounts,
  ZViewCountsQuery,
  ZViewList,
  ZViewParams,
  ZViewTicketsQuery,
} from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { actorOf } from "../../http/auth-hook.ts";
import type { TIdempotency } from "../../http/idempotency.ts";
import type { TViewsService } from "./views.service.ts";

// A view's filters are checked like a form: a body that does not fit answers 422 with the fields.
const config = { invalidBodyStatus: 422 as const };

export function viewsRoutes(views: TViewsService, idempotency: TIdempotency) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["views"];
    const params = ZViewParams;

    r.get(
      "/views",
      {
        schema: {
          tags,
          summary: "The built-in views, the shared ones, then the caller's own, each in position order",
          response: { 200: ZViewList },
        },
      },
      async (req) => ({ items: await views.listViews(actorOf(req)) }),
    );
    r.post(
      "/views",
      {
        config,
        schema: {
          tags,
          summary:
            "Save a personal view, or with shared: true one for the workspace (owners, admins, supervisors)",
          body: ZCreateView,
          response: { 201: ZView },
        },
      },
      async (req, reply) => idempotency.run(req, reply, 201, () => views.createView(actorOf(req), req.body)),
    );
    r.get(
      "/views/counts",
      {
        schema: {
          tags,
          summary: "How many tickets each view holds, up to 10,000 each (capped: true beyond)",
          querystring: ZViewCountsQuery,
          response: { 200: ZViewCounts },
        },
      },
      async (req) => views.countViews(actorOf(req), req.query.ids),
    );
    r.post(
      "/views/reorder",
      {
        config,
        schema: {
          tags,
          summary: "Put saved views in this order (shared ones: owners, admins, supervisors)",
          body: ZReorderViews,
          response: { 200: ZViewList },
        },
      },
      async (req) => ({ items: await views.reorderViews(actorOf(req), req.body) }),
    );
    r.get(
      "/views/:id",
      {
        schema: { tags, summary: "A view, by built-in key (mine) or id", params, response: { 200: ZView } },
      },
      async (req) => views.getView(actorOf(req), req.params.id),
    );
    r.patch(
      "/views/:id",
      {
        config,
        schema: {
          tags,
          summary: "Rename, refilter, resort or move a saved view",
          params,
          body: ZUpdateView,
          response: { 200: ZView },
        },
      },
      async (req) => views.updateView(actorOf(req), req.params.id, req.body),
    );
    r.delete(
      "/views/:id",
      { schema: { tags, summary: "Delete a saved view", params } },
      async (req, reply) => {
        await views.deleteView(actorOf(req), req.params.id);
        return reply.status(204).send();
      },
    );
    r.get(
      "/views/:id/tickets",
      {
        schema: {
          tags,
          summary: "The view's tickets, of the caller's brands only",
          params,
          querystring: ZViewTicketsQuery,
          response: { 200: ZPage(ZTicket) },
        },
      },
      async (req) => views.listViewTickets(actorOf(req), req.params.id, req.query),
    );
  };
}
