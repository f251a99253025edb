import { ZBrand, ZCreateBrand, ZIdParams, ZUpdateBrand } from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../http/auth-hook.ts";
import type { TIdempotency } from "../../http/idempotency.ts";
import type { TBrandsService } from "./brands.service.ts";

export function brandsRoutes(brands: TBrandsService, idempotency: TIdempotency) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["brands"];
    r.get(
      "/brands",
      {
        schema: {
          tags,
          summary: "Brands you can work in",
          response: { 200: z.object({ items: z.array(ZBrand) }) },
        },
      },
      async (req) => ({
        items: await brands.listBrands(actorOf(req)),
      }),
    );
    r.post(
      "/brands",
      { schema: { tags, summary: "Create a brand (admins)", body: ZCreateBrand, response: { 201: ZBrand } } },
      async (req, reply) =>
        idempotency.run(req, reply, 201, () => brands.createBrand(actorOf(req), req.body)),
    );
    r.get(
      "/brands/:id",
      { schema: { tags, summary: "Get a brand", params: ZIdParams, response: { 200: ZBrand } } },
      async (req) => brands.getBrand(actorOf(req), req.params.id),
    );
    r.patch(
      "/brands/:id",
      {
        schema: {
          tags,
          summary: "Update a brand (admins)",
          params: ZIdParams,
          body: ZUpdateBrand,
          response: { 200: ZBrand },
        },
      },
      async (req) => brands.updateBrand(actorOf(req), req.params.id, req.body),
    );
  };
}
