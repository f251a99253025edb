import {
  ZCategory,
  ZCreateCategory,
  ZCreateCustomField,
  ZCustomField,
  ZFieldListQuery,
  ZIdParams,
  ZUpdateCategory,
  ZUpdateCustomField,
} from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../http/auth-hook.ts";
import type { TIdempotency } from "../../http/idempotency.ts";
import type { TFieldsService } from "./fields.service.ts";

export function fieldsRoutes(fields: TFieldsService, idempotency: TIdempotency) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["fields"];
    r.get(
      "/categories",
      {
        schema: {
          tags,
          summary: "Ticket categories, in display order",
          querystring: ZFieldListQuery,
          response: { 200: z.object({ items: z.array(ZCategory) }) },
        },
      },
      async (req) => ({ items: await fields.listCategories(actorOf(req), req.query.includeArchived) }),
    );
    r.post(
      "/categories",
      {
        schema: {
          tags,
          summary: "Create a category (admins)",
          body: ZCreateCategory,
          response: { 201: ZCategory },
        },
      },
      async (req, reply) =>
        idempotency.run(req, reply, 201, () => fields.createCategory(actorOf(req), req.body)),
    );
    r.patch(
      "/categories/:id",
      {
        schema: {
          tags,
          summary: "Rename, reorder or archive a category (admins)",
          params: ZIdParams,
          body: ZUpdateCategory,
          response: { 200: ZCategory },
        },
      },
      async (req) => fields.updateCategory(actorOf(req), req.params.id, req.body),
    );
    r.get(
      "/custom-fields",
      {
        schema: {
          tags,
          summary: "Custom ticket fields, in display order",
          querystring: ZFieldListQuery,
          response: { 200: z.object({ items: z.array(ZCustomField) }) },
        },
      },
      async (req) => ({ items: await fields.listCustomFields(actorOf(req), req.query.includeArchived) }),
    );
    r.post(
      "/custom-fields",
      {
        schema: {
          tags,
          summary: "Create a custom ticket field (admins)",
          body: ZCreateCustomField,
          response: { 201: ZCustomField },
        },
      },
      async (req, reply) =>
        idempotency.run(req, reply, 201, () => fields.createCustomField(actorOf(req), req.body)),
    );
    r.patch(
      "/custom-fields/:id",
      {
        schema: {
          tags,
          summary: "Change, reorder or archive a custom field (admins)",
          params: ZIdParams,
          body: ZUpdateCustomField,
          response: { 200: ZCustomField },
        },
      },
      async (req) => fields.updateCustomField(actorOf(req), req.params.id, req.body),
    );
  };
}
