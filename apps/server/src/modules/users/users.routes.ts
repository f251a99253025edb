import {
  ZCreateGroup,
  ZCreateUser,
  ZGroup,
  ZIdParams,
  ZPage,
  ZPageQuery,
  ZUpdateGroup,
  ZUpdateUser,
  ZUser,
} from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../http/auth-hook.ts";
import type { TIdempotency } from "../../http/idempotency.ts";
import type { TUsersService } from "./users.service.ts";

export function usersRoutes(users: TUsersService, idempotency: TIdempotency) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["users"];

    r.get(
      "/users",
      { schema: { tags, summary: "List users", querystring: ZPageQuery, response: { 200: ZPage(ZUser) } } },
      async (req) => users.listUsers(actorOf(req), req.query),
    );
    r.post(
      "/users",
      { schema: { tags, summary: "Create a user (admins)", body: ZCreateUser, response: { 201: ZUser } } },
      async (req, reply) => idempotency.run(req, reply, 201, () => users.createUser(actorOf(req), req.body)),
    );
    r.get(
      "/users/:id",
      { schema: { tags, summary: "Get a user", params: ZIdParams, response: { 200: ZUser } } },
      async (req) => users.getUser(actorOf(req), req.params.id),
    );
    r.patch(
      "/users/:id",
      {
        schema: {
          tags,
          summary: "Update a user: role and brand access (admins), or your own name, locale and time zone",
          params: ZIdParams,
          body: ZUpdateUser,
          response: { 200: ZUser },
        },
      },
      async (req) => users.updateUser(actorOf(req), req.params.id, req.body),
    );

    const groupTags = ["groups"];
    r.get(
      "/groups",
      {
        schema: {
          tags: groupTags,
          summary: "List groups",
          response: { 200: z.object({ items: z.array(ZGroup) }) },
        },
      },
      async (req) => ({
        items: await users.listGroups(actorOf(req)),
      }),
    );
    r.post(
      "/groups",
      {
        schema: {
          tags: groupTags,
          summary: "Create a group (admins)",
          body: ZCreateGroup,
          response: { 201: ZGroup },
        },
      },
      async (req, reply) => idempotency.run(req, reply, 201, () => users.createGroup(actorOf(req), req.body)),
    );
    r.patch(
      "/groups/:id",
      {
        schema: {
          tags: groupTags,
          summary: "Rename a group, or set its description or members (admins)",
          params: ZIdParams,
          body: ZUpdateGroup,
          response: { 200: ZGroup },
        },
      },
      async (req) => users.updateGroup(actorOf(req), req.params.id, req.body),
    );
  };
}
