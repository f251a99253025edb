import { sql } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { TUserRow } from "../../db/schema.ts";

export type TActorRow = TUserRow & { brand_ids: string[] | null };

const brandIdsOf = sql<string[] | null>`(SELECT array_agg(ub.brand_id) FROM user_brands ub
  WHERE ub.workspace_id = users.workspace_id AND ub.user_id = users.id)`;

export const findLoginIdentity = (db: TDb, email: string) =>
  db.selectFrom("login_identities").selectAll().where("email", "=", email).executeTakeFirst();

export const findUserWithBrands = (
  db: TDb,
  workspaceId: string,
  userId: string,
): Promise<TActorRow | undefined> =>
  db
    .selectFrom("users")
    .selectAll("users")
    .select(brandIdsOf.as("brand_ids"))
    .where("users.workspace_id", "=", workspaceId)
    .where("users.id", "=", userId)
    .executeTakeFirst();

export const findSessionWithUser = (db: TDb, workspaceId: string, sessionId: string) =>
  db
    .selectFrom("sessions")
    .innerJoin("users", (j) =>
      j.onRef("users.workspace_id", "=", "sessions.workspace_id").onRef("users.id", "=", "sessions.user_id"),
    )
    .selectAll("users")
    .select(brandIdsOf.as("brand_ids"))
    .select(["sessions.secret_hash", "sessions.csrf_token", "sessions.expires_at"])
    .where("sessions.workspace_id", "=", workspaceId)
    .where("sessions.id", "=", sessionId)
    .executeTakeFirst();

export const findTokenWithUser = (db: TDb, workspaceId: string, tokenId: string) =>
  db
    .selectFrom("api_tokens")
    .innerJoin("users", (j) =>
      j
        .onRef("users.workspace_id", "=", "api_tokens.workspace_id")
        .onRef("users.id", "=", "api_tokens.user_id"),
    )
    .selectAll("users")
    .select(brandIdsOf.as("brand_ids"))
    .select(["api_tokens.secret_hash", "api_tokens.revoked_at", "api_tokens.last_used_at"])
    .where("api_tokens.workspace_id", "=", workspaceId)
    .where("api_tokens.id", "=", tokenId)
    .executeTakeFirst();

export const insertSession = (
  db: TDb,
  row: {
    workspace_id: string;
    id: string;
    user_id: string;
    secret_hash: string;
    csrf_token: string;
    ip: string | null;
    user_agent: string | null;
    expires_at: Date;
  },
) => db.insertInto("sessions").values(row).execute();

export const deleteSession = (db: TDb, workspaceId: string, sessionId: string) =>
  db.deleteFrom("sessions").where("workspace_id", "=", workspaceId).where("id", "=", sessionId).execute();

export const deleteOtherSessions = (
  db: TDb,
  workspaceId: string,
  userId: string,
  keepSessionId: string | null,
) =>
  db
    .deleteFrom("sessions")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .$if(keepSessionId !== null, (q) => q.where("id", "!=", keepSessionId as string))
    .execute();

export const deleteExpiredSessions = (db: TDb, now: Date) =>
  db.deleteFrom("sessions").where("expires_at", "<", now).execute();

export const deleteLoginFailuresBefore = (db: TDb, before: Date) =>
  db.deleteFrom("login_failures").where("created_at", "<", before).execute();

export const updatePasswordHash = (
  db: TDb,
  workspaceId: string,
  userId: string,
  passwordHash: string,
  now: Date,
) =>
  db
    .updateTable("users")
    .set({ password_hash: passwordHash, updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", userId)
    .execute();

export const recordLoginFailure = (db: TDb, email: string, ip: string) =>
  db.insertInto("login_failures").values({ email, ip, created_at: new Date() }).execute();

export async function countLoginFailures(db: TDb, since: Date, by: { email: string; ip: string }) {
  const row = await db
    .selectFrom("login_failures")
    .select([
      sql<number>`count(*) FILTER (WHERE email = ${by.email})::int`.as("by_email"),
      sql<number>`count(*) FILTER (WHERE ip = ${by.ip})::int`.as("by_ip"),
    ])
    .where("created_at", ">=", since)
    .where((eb) => eb.or([eb("email", "=", by.email), eb("ip", "=", by.ip)]))
    .executeTakeFirstOrThrow();
  return { byEmail: row.by_email, byIp: row.by_ip };
}

export const clearLoginFailures = (db: TDb, email: string) =>
  db.deleteFrom("login_failures").where("email", "=", email).execute();

export const insertApiToken = (
  db: TDb,
  row: { workspace_id: string; id: string; user_id: string; name: string; secret_hash: string },
) => db.insertInto("api_tokens").values(row).returningAll().executeTakeFirstOrThrow();

export const listApiTokens = (db: TDb, workspaceId: string, userId: string) =>
  db
    .selectFrom("api_tokens")
    .select(["id", "name", "created_at", "last_used_at", "revoked_at"])
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .execute();

export const revokeApiToken = (
  db: TDb,
  workspaceId: string,
  userId: string | null,
  tokenId: string,
  now: Date,
) =>
  db
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", tokenId)
    .where("revoked_at", "is", null)
    .$if(userId !== null, (q) => q.where("user_id", "=", userId as string))
    .executeTakeFirst();

export const touchApiToken = (db: TDb, workspaceId: string, tokenId: string, now: Date) =>
  db
    .updateTable("api_tokens")
    .set({ last_used_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", tokenId)
    .execute();
