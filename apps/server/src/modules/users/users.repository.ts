import { type Insertable, sql, type Updateable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { UsersTable } from "../../db/schema.ts";

const brandIds = sql<string[] | null>`(SELECT array_agg(ub.brand_id ORDER BY ub.brand_id) FROM user_brands ub
  WHERE ub.workspace_id = users.workspace_id AND ub.user_id = users.id)`;
const groupIds = sql<
  string[] | null
>`(SELECT array_agg(gm.group_id ORDER BY gm.group_id) FROM group_members gm
  WHERE gm.workspace_id = users.workspace_id AND gm.user_id = users.id)`;

const usersWithAccess = (db: TDb, workspaceId: string) =>
  db
    .selectFrom("users")
    .selectAll("users")
    .select([brandIds.as("brand_ids"), groupIds.as("group_ids")])
    .where("users.workspace_id", "=", workspaceId);

export const findUser = (db: TDb, workspaceId: string, userId: string) =>
  usersWithAccess(db, workspaceId).where("users.id", "=", userId).executeTakeFirst();

export const listUsers = (
  db: TDb,
  workspaceId: string,
  opts: { after?: { name: string; id: string }; limit: number },
) =>
  usersWithAccess(db, workspaceId)
    .$if(opts.after !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb("users.name", ">", opts.after?.name ?? ""),
          eb.and([eb("users.name", "=", opts.after?.name ?? ""), eb("users.id", ">", opts.after?.id ?? "")]),
        ]),
      ),
    )
    .orderBy("users.name")
    .orderBy("users.id")
    .limit(opts.limit + 1)
    .execute();

export async function insertUser(db: TDb, row: Insertable<UsersTable>): Promise<void> {
  await db.insertInto("users").values(row).execute();
  await db
    .insertInto("login_identities")
    .values({ email: row.email, workspace_id: row.workspace_id, user_id: row.id })
    .execute();
}

export const updateUser = (db: TDb, workspaceId: string, userId: string, patch: Updateable<UsersTable>) =>
  db
    .updateTable("users")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", userId)
    .execute();

export async function replaceUserBrands(db: TDb, workspaceId: string, userId: string, brandIdList: string[]) {
  await db
    .deleteFrom("user_brands")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .execute();
  if (brandIdList.length === 0) return;
  await db
    .insertInto("user_brands")
    .values(brandIdList.map((brand_id) => ({ workspace_id: workspaceId, user_id: userId, brand_id })))
    .execute();
}

export async function replaceUserGroups(db: TDb, workspaceId: string, userId: string, groupIdList: string[]) {
  await db
    .deleteFrom("group_members")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .execute();
  if (groupIdList.length === 0) return;
  await db
    .insertInto("group_members")
    .values(groupIdList.map((group_id) => ({ workspace_id: workspaceId, user_id: userId, group_id })))
    .execute();
}

/** How many of the given ids exist in the workspace's table: used to refuse foreign ids with 404. */
export async function countExisting(
  db: TDb,
  table: "brands" | "groups" | "users",
  workspaceId: string,
  ids: string[],
) {
  if (ids.length === 0) return 0;
  const row = await db
    .selectFrom(table)
    .select(sql<number>`count(*)::int`.as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .executeTakeFirstOrThrow();
  return row.n;
}

const memberIds = sql<string[] | null>`(SELECT array_agg(gm.user_id ORDER BY gm.user_id) FROM group_members gm
  WHERE gm.workspace_id = groups.workspace_id AND gm.group_id = groups.id)`;

export const listGroups = (db: TDb, workspaceId: string) =>
  db
    .selectFrom("groups")
    .select([
      "groups.id",
      "groups.name",
      "groups.description",
      "groups.created_at",
      memberIds.as("member_ids"),
    ])
    .where("groups.workspace_id", "=", workspaceId)
    .orderBy("groups.name")
    .execute();

export const findGroup = (db: TDb, workspaceId: string, groupId: string) =>
  db
    .selectFrom("groups")
    .select([
      "groups.id",
      "groups.name",
      "groups.description",
      "groups.created_at",
      memberIds.as("member_ids"),
    ])
    .where("groups.workspace_id", "=", workspaceId)
    .where("groups.id", "=", groupId)
    .executeTakeFirst();

export async function insertGroup(
  db: TDb,
  row: { workspace_id: string; id: string; name: string; description: string },
  members: string[],
) {
  await db.insertInto("groups").values(row).execute();
  if (members.length > 0) {
    await db
      .insertInto("group_members")
      .values(members.map((user_id) => ({ workspace_id: row.workspace_id, group_id: row.id, user_id })))
      .execute();
  }
}

export const updateGroup = (
  db: TDb,
  workspaceId: string,
  groupId: string,
  patch: { name?: string; description?: string; updated_at: Date },
) =>
  db
    .updateTable("groups")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", groupId)
    .execute();

export async function replaceGroupMembers(db: TDb, workspaceId: string, groupId: string, members: string[]) {
  await db
    .deleteFrom("group_members")
    .where("workspace_id", "=", workspaceId)
    .where("group_id", "=", groupId)
    .execute();
  if (members.length === 0) return;
  await db
    .insertInto("group_members")
    .values(members.map((user_id) => ({ workspace_id: workspaceId, group_id: groupId, user_id })))
    .execute();
}
