import type { TSession } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import type { TActor } from "../../lib/actor.ts";
import { AppError, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import { createTtlCache } from "../../lib/ttl-cache.ts";
import { toUserDto } from "../users/users.dto.ts";
import type { TActorRow } from "./auth.repository.ts";
import * as repo from "./auth.repository.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { formatCredential, hashSecret, newSecret, parseCredential, secretMatches } from "./secrets.ts";

const SESSION_PREFIX = "sbs";
const TOKEN_PREFIX = "sbt";
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_ACCOUNT = 10;
const MAX_FAILURES_PER_IP = 50;
const TOKEN_TOUCH_MS = 60 * 1000;
// An integration sends its token with every request; resolving it is cached briefly. Revoking in
// this process takes effect at once, in other server processes within this time.
const TOKEN_CACHE_MS = 2_000;

export type TAuthDeps = { db: TDb; clock: TClock; sessionTtlMs: number };
export type TResolvedSession = { actor: TActor; sessionId: string; csrfToken: string };

const invalidLogin = () => new AppError("invalid_credentials", "Email or password is wrong", 401);

const toActor = (row: TActorRow, via: TActor["via"]): TActor => ({
  workspaceId: row.workspace_id,
  userId: row.id,
  role: row.role,
  brandIds: row.role === "owner" || row.role === "admin" ? null : (row.brand_ids ?? []),
  via,
});

export function createAuthService({ db, clock, sessionTtlMs }: TAuthDeps) {
  const tokenCache = createTtlCache<TActor>(TOKEN_CACHE_MS);
  async function assertNotThrottled(email: string, ip: string) {
    const since = new Date(clock.now().getTime() - FAILURE_WINDOW_MS);
    const counts = await repo.countLoginFailures(db, since, { email, ip });
    if (counts.byEmail >= MAX_FAILURES_PER_ACCOUNT || counts.byIp >= MAX_FAILURES_PER_IP) {
      throw new AppError(
        "too_many_attempts",
        "Too many failed sign-in attempts; try again in 15 minutes",
        429,
      );
    }
  }

  return {
    async login(email: string, password: string, meta: { ip: string; userAgent: string | null }) {
      await assertNotThrottled(email, meta.ip);
      const identity = await repo.findLoginIdentity(db, email);
      const user = identity
        ? await repo.findUserWithBrands(db, identity.workspace_id, identity.user_id)
        : undefined;
      const ok = await verifyPassword(user?.password_hash ?? null, password);
      if (!user || !ok || !user.active) {
        await repo.recordLoginFailure(db, email, meta.ip);
        throw invalidLogin();
      }
      await repo.clearLoginFailures(db, email);
      const sessionId = newId();
      const secret = newSecret();
      const csrfToken = newSecret(24);
      await repo.insertSession(db, {
        workspace_id: user.workspace_id,
        id: sessionId,
        user_id: user.id,
        secret_hash: hashSecret(secret),
        csrf_token: csrfToken,
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 500) ?? null,
        expires_at: new Date(clock.now().getTime() + sessionTtlMs),
      });
      const session: TSession = { user: toUserDto(user), csrfToken };
      return { session, cookieValue: formatCredential(SESSION_PREFIX, user.workspace_id, sessionId, secret) };
    },

    async resolveSession(cookieValue: string): Promise<TResolvedSession | null> {
      const parsed = parseCredential(SESSION_PREFIX, cookieValue);
      if (!parsed) return null;
      const row = await repo.findSessionWithUser(db, parsed.workspaceId, parsed.id);
      if (!row || !secretMatches(parsed.secret, row.secret_hash) || !row.active) return null;
      if (row.expires_at.getTime() <= clock.now().getTime()) {
        await repo.deleteSession(db, parsed.workspaceId, parsed.id);
        return null;
      }
      return { actor: toActor(row, "session"), sessionId: parsed.id, csrfToken: row.csrf_token };
    },

    async resolveToken(bearer: string): Promise<TActor | null> {
      const cacheKey = hashSecret(bearer);
      const cached = tokenCache.get(cacheKey);
      if (cached) return cached;
      const parsed = parseCredential(TOKEN_PREFIX, bearer);
      if (!parsed) return null;
      const row = await repo.findTokenWithUser(db, parsed.workspaceId, parsed.id);
      if (!row || row.revoked_at || !row.active || !secretMatches(parsed.secret, row.secret_hash))
        return null;
      const now = clock.now();
      // Written at most once a minute, so a busy integration does not rewrite the row per request.
      if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOKEN_TOUCH_MS) {
        await repo.touchApiToken(db, parsed.workspaceId, parsed.id, now);
      }
      const actor = toActor(row, "token");
      tokenCache.set(cacheKey, actor);
      return actor;
    },

    /** Housekeeping: expired sessions and failed logins older than the throttling window. */
    async purgeExpired() {
      const now = clock.now();
      await repo.deleteExpiredSessions(db, now);
      await repo.deleteLoginFailuresBefore(db, new Date(now.getTime() - FAILURE_WINDOW_MS));
    },

    logout: (actor: TActor, sessionId: string) => repo.deleteSession(db, actor.workspaceId, sessionId),

    async currentUser(actor: TActor) {
      const row = await repo.findUserWithBrands(db, actor.workspaceId, actor.userId);
      if (!row) throw notFound("user");
      return toUserDto(row);
    },

    async changePassword(
      actor: TActor,
      sessionId: string | null,
      currentPassword: string,
      newPassword: string,
    ) {
      const row = await repo.findUserWithBrands(db, actor.workspaceId, actor.userId);
      if (!row || !(await verifyPassword(row.password_hash, currentPassword))) {
        throw new AppError("invalid_credentials", "The current password is wrong", 400);
      }
      await repo.updatePasswordHash(
        db,
        actor.workspaceId,
        actor.userId,
        await hashPassword(newPassword),
        clock.now(),
      );
      // Other devices must sign in again with the new password.
      await repo.deleteOtherSessions(db, actor.workspaceId, actor.userId, sessionId);
    },

    async createToken(actor: TActor, name: string) {
      const id = newId();
      const secret = newSecret();
      const row = await repo.insertApiToken(db, {
        workspace_id: actor.workspaceId,
        id,
        user_id: actor.userId,
        name,
        secret_hash: hashSecret(secret),
      });
      return {
        id,
        name,
        createdAt: row.created_at.toISOString(),
        lastUsedAt: null,
        token: formatCredential(TOKEN_PREFIX, actor.workspaceId, id, secret),
      };
    },

    async listTokens(actor: TActor) {
      const rows = await repo.listApiTokens(db, actor.workspaceId, actor.userId);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        createdAt: r.created_at.toISOString(),
        lastUsedAt: r.last_used_at?.toISOString() ?? null,
      }));
    },

    async revokeToken(actor: TActor, tokenId: string) {
      // Admins may revoke anyone's token in their workspace; others only their own.
      const owner = actor.role === "owner" || actor.role === "admin" ? null : actor.userId;
      const result = await repo.revokeApiToken(db, actor.workspaceId, owner, tokenId, clock.now());
      if (Number(result.numUpdatedRows) === 0) throw notFound("token");
      tokenCache.clear();
    },
  };
}
export type TAuthService = ReturnType<typeof createAuthService>;
