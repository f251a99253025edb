import { ZSearchQuery, ZSearchResult } from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { actorOf } from "../../http/auth-hook.ts";
import type { TSearchService } from "./search.service.ts";

export function searchRoutes(search: TSearchService) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      "/search",
      {
        schema: {
          tags: ["search"],
          summary:
            "Search tickets (by number, subject and thread text) and customers (by name, email and phone) in the brands you work in",
          querystring: ZSearchQuery,
          response: { 200: ZSearchResult },
        },
      },
      async (req) => search.search(actorOf(req), req.query),
    );
  };
}
