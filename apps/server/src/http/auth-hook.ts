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

/** What a request signs in with: an Authorization header (a Bearer token) first, else the session cookie. */
export type TCredential = { kind: "token"; value: string } | { kind: "session"; value: string };

export function requestCredential(req: FastifyRequest): TCredential | null {
  const header = req.headers.authorization;
  if (header) {
    const [scheme, value] = header.split(" ", 2);
    // Another scheme, or none, is an invalid token (empty), not a fall back to the cookie.
    return { kind: "token", value: scheme?.toLowerCase() === "bearer" && value ? value.trim() : "" };
  }
  const cookie = req.cookies[SESSION_COOKIE];
  return cookie ? { kind: "session", value: cookie } : null;
}

/** The actor of a credential now: null once the token is revoked, the session ended or the user deactivated. */
export async function resolveCredential(auth: TAuthService, credential: TCredential): Promise<TActor | null> {
  if (!credential.value) return null;
  if (credential.kind === "token") return auth.resolveToken(credential.value);
  return (await auth.resolveSession(credential.value))?.actor ?? null;
}

/** Resolves the actor from a Bearer token or the session cookie; cookie writes must carry the CSRF token. */
export function registerAuthHook(app: FastifyInstance, auth: TAuthService): void {
  app.decorateRequest("actor", null);
  app.decorateRequest("sessionId", null);
  app.decorateRequest("csrfToken", null);
  app.addHook("onRequest", async (req) => {
    // The matched route, not the raw URL: the router decodes %-escapes, a prefix test on req.url would not.
    if (req.routeOptions.config.public || !req.routeOptions.url?.startsWith("/api/v1/")) return;
    const credential = requestCredential(req);
    if (credential?.kind === "token") {
      const actor = credential.value ? await auth.resolveToken(credential.value) : null;
      if (!actor) throw new AppError("invalid_token", "The API token is invalid or revoked", 401);
      req.actor = actor;
      return;
    }
    const session = credential ? await auth.resolveSession(credential.value) : null;
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
