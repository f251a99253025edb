import type { FastifyInstance, FastifyRequest } from "fastify";
import type { TActor } from "../lib/actor.ts";
import { AppError } from "../lib/app-error.ts";
import type { TAuthService } from "../modules/auth/auth.service.ts";

export const SESSION_COOKIE = "sb_session";
export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

declare module "fastify" {
  interface FastifyRequest {
    actor: TActor | null;
    sessionId: string | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a signed-in user (login, public pages, health). */
    public?: boolean;
  }
}

const unauthenticated = () => new AppError("unauthenticated", "Sign in or send an API token", 401);

/** Resolves the actor from a Bearer token or the session cookie; cookie writes must carry the CSRF token. */
export function registerAuthHook(app: FastifyInstance, auth: TAuthService): void {
  app.decorateRequest("actor", null);
  app.decorateRequest("sessionId", null);
  app.decorateRequest("csrfToken", null);
  app.addHook("onRequest", async (req) => {
    // The matched route, not the raw URL: the router decodes %-escapes, a prefix test on req.url would not.
    if (req.routeOptions.config.public || !req.routeOptions.url?.startsWith("/api/v1/")) return;
    const header = req.headers.authorization;
    if (header) {
      const [scheme, value] = header.split(" ", 2);
      const actor =
        scheme?.toLowerCase() === "bearer" && value ? await auth.resolveToken(value.trim()) : null;
      if (!actor) throw new AppError("invalid_token", "The API token is invalid or revoked", 401);
      req.actor = actor;
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    const session = cookie ? await auth.resolveSession(cookie) : null;
    if (!session) throw unauthenticated();
    if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== session.csrfToken) {
      throw new AppError("csrf_failed", `Send the session's CSRF token in the ${CSRF_HEADER} header`, 403);
    }
    req.actor = session.actor;
    req.sessionId = session.sessionId;
    req.csrfToken = session.csrfToken;
  });
}

export function actorOf(req: FastifyRequest): TActor {
  if (!req.actor) throw unauthenticated();
  return req.actor;
}
