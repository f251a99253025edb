import {
  ZApiToken,
  ZChangePassword,
  ZCreatedToken,
  ZCreateToken,
  ZIdParams,
  ZLogin,
  ZSession,
} from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, SESSION_COOKIE } from "../../http/auth-hook.ts";
import { AppError } from "../../lib/app-error.ts";
import type { TAuthService } from "./auth.service.ts";

const tags = ["auth"];

export function authRoutes(auth: TAuthService, cookie: { secure: boolean; maxAgeSeconds: number }) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      "/auth/login",
      {
        config: { public: true, rateLimit: { max: 20, timeWindow: "1 minute" } },
        // JSON only: a cross-site HTML form cannot send it, so nobody can be signed in to another account.
        preValidation: async (req) => {
          if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) {
            throw new AppError("unsupported_media_type", "Send the sign-in as application/json", 415);
          }
        },
        schema: {
          tags,
          summary: "Sign in with email and password",
          body: ZLogin,
          response: { 200: ZSession },
        },
      },
      async (req, reply) => {
        const { session, cookieValue } = await auth.login(req.body.email, req.body.password, {
          ip: req.ip,
          userAgent: req.headers["user-agent"] ?? null,
        });
        reply.setCookie(SESSION_COOKIE, cookieValue, {
          path: "/",
          httpOnly: true,
          sameSite: "lax",
          secure: cookie.secure,
          maxAge: cookie.maxAgeSeconds,
        });
        return session;
      },
    );

    r.post(
      "/auth/logout",
      { schema: { tags, summary: "Sign out of this session", response: { 204: z.null() } } },
      async (req, reply) => {
        if (req.sessionId) await auth.logout(actorOf(req), req.sessionId);
        reply.clearCookie(SESSION_COOKIE, { path: "/" });
        return reply.status(204).send(null);
      },
    );

    r.get(
      "/auth/session",
      { schema: { tags, summary: "The signed-in user", response: { 200: ZSession } } },
      async (req) => {
        return { user: await auth.currentUser(actorOf(req)), csrfToken: req.csrfToken };
      },
    );

    r.post(
      "/auth/password",
      {
        schema: {
          tags,
          summary: "Change your password (signs out your other sessions)",
          body: ZChangePassword,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await auth.changePassword(
          actorOf(req),
          req.sessionId,
          req.body.currentPassword,
          req.body.newPassword,
        );
        return reply.status(204).send(null);
      },
    );

    r.get(
      "/tokens",
      {
        schema: {
          tags,
          summary: "Your API tokens",
          response: { 200: z.object({ items: z.array(ZApiToken) }) },
        },
      },
      async (req) => ({
        items: await auth.listTokens(actorOf(req)),
      }),
    );

    r.post(
      "/tokens",
      {
        schema: {
          tags,
          summary: "Create a personal API token (shown once)",
          body: ZCreateToken,
          response: { 201: ZCreatedToken },
        },
      },
      async (req, reply) => reply.status(201).send(await auth.createToken(actorOf(req), req.body.name)),
    );

    r.delete(
      "/tokens/:id",
      { schema: { tags, summary: "Revoke an API token", params: ZIdParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await auth.revokeToken(actorOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
