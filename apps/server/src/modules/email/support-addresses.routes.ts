import {
  ZCreateSupportAddress,
  ZIdParams,
  ZSupportAddress,
  ZUpdateSupportAddress,
} from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../http/auth-hook.ts";
import type { TIdempotency } from "../../http/idempotency.ts";
import type { TSupportAddressesService } from "./support-addresses.service.ts";

export function supportAddressesRoutes(addresses: TSupportAddressesService, idempotency: TIdempotency) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["email"];
    r.get(
      "/brands/:id/addresses",
      {
        schema: {
          tags,
          summary: "The brand's support addresses (mail to them becomes the brand's tickets)",
          params: ZIdParams,
          response: { 200: z.object({ items: z.array(ZSupportAddress) }) },
        },
      },
      async (req) => ({ items: await addresses.listAddresses(actorOf(req), req.params.id) }),
    );
    r.post(
      "/brands/:id/addresses",
      {
        schema: {
          tags,
          summary: "Add a support address to a brand (admins); a brand's first address is its default",
          params: ZIdParams,
          body: ZCreateSupportAddress,
          response: { 201: ZSupportAddress },
        },
      },
      async (req, reply) =>
        idempotency.run(req, reply, 201, () =>
          addresses.createAddress(actorOf(req), req.params.id, req.body),
        ),
    );
    r.patch(
      "/addresses/:id",
      {
        schema: {
          tags,
          summary: "Rename a support address or make it the brand's default (admins)",
          params: ZIdParams,
          body: ZUpdateSupportAddress,
          response: { 200: ZSupportAddress },
        },
      },
      async (req) => addresses.updateAddress(actorOf(req), req.params.id, req.body),
    );
    r.delete(
      "/addresses/:id",
      {
        schema: {
          tags,
          summary: "Remove a support address (admins)",
          params: ZIdParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await addresses.deleteAddress(actorOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
