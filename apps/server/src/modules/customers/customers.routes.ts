import {
  ZCreateCustomer,
  ZCustomer,
  ZCustomerDetail,
  ZCustomerListQuery,
  ZIdParams,
  ZMergeCustomer,
  ZPage,
  ZUpdateCustomer,
} from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { actorOf } from "../../http/auth-hook.ts";
import type { TIdempotency } from "../../http/idempotency.ts";
import type { TCustomersService } from "./customers.service.ts";

export function customersRoutes(customers: TCustomersService, idempotency: TIdempotency) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["customers"];

    r.get(
      "/customers",
      {
        schema: {
          tags,
          summary: "List customers, newest first (merged ones are left out)",
          querystring: ZCustomerListQuery,
          response: { 200: ZPage(ZCustomer) },
        },
      },
      async (req) => customers.listCustomers(actorOf(req), req.query),
    );
    r.post(
      "/customers",
      {
        schema: {
          tags,
          summary: "Create a customer with email addresses and phone numbers",
          body: ZCreateCustomer,
          response: { 201: ZCustomerDetail },
        },
      },
      async (req, reply) =>
        idempotency.run(req, reply, 201, () => customers.createCustomer(actorOf(req), req.body)),
    );
    r.get(
      "/customers/:id",
      {
        schema: {
          tags,
          summary: "Get a customer with identities and a summary of their tickets",
          params: ZIdParams,
          response: { 200: ZCustomerDetail },
        },
      },
      async (req) => customers.getCustomer(actorOf(req), req.params.id),
    );
    r.patch(
      "/customers/:id",
      {
        schema: {
          tags,
          summary: "Update a customer: name, notes, locale; add or remove emails and phones",
          params: ZIdParams,
          body: ZUpdateCustomer,
          response: { 200: ZCustomerDetail },
        },
      },
      async (req) => customers.updateCustomer(actorOf(req), req.params.id, req.body),
    );
    r.post(
      "/customers/:id/merge",
      {
        schema: {
          tags,
          summary: "Merge another customer of the same brand into this one",
          params: ZIdParams,
          body: ZMergeCustomer,
          response: { 200: ZCustomerDetail },
        },
      },
      async (req) => customers.mergeCustomers(actorOf(req), req.params.id, req.body),
    );
  };
}
