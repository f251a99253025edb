import type { Insertable, Updateable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { ViewsTable } from "../../db/schema.ts";

/** The saved views a user sees: the shared ones, then their own, each in position order. */
export const listSavedViews = (db: TDb, workspaceId: string, userId: string) =>
  db
    .selectFrom("views")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("owner_user_id", "is", null), eb("owner_user_id", "=", userId)]))
    .orderBy((eb) => eb("owner_user_id", "is not", null))
    .orderBy("position")
    .orderBy("created_at")
    .orderBy("id")
    .execute();

export const findSavedView = (db: TDb, workspaceId: string, id: string) =>
  db
    .selectFrom("views")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();

export const findSavedViews = (db: TDb, workspaceId: string, ids: string[]) =>
  db.selectFrom("views").selectAll().where("workspace_id", "=", workspaceId).where("id", "in", ids).execute();

export const insertView = (db: TDb, row: Insertable<ViewsTable>) =>
  db.insertInto("views").values(row).returningAll().executeTakeFirstOrThrow();

export const updateView = (db: TDb, workspaceId: string, id: string, patch: Updateable<ViewsTable>) =>
  db
    .updateTable("views")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();

export const deleteView = (db: TDb, workspaceId: string, id: string) =>
  db.deleteFrom("views").where("workspace_id", "=", workspaceId).where("id", "=", id).execute();

const ofOwner = (db: TDb, workspaceId: string, ownerUserId: string | null) =>
  db
    .selectFrom("views")
    .where("workspace_id", "=", workspaceId)
    .where("owner_user_id", ownerUserId === null ? "is" : "=", ownerUserId);

/** How many shared views the workspace has (owner null), or personal views the user has, and the next position. */
export async function viewSlots(db: TDb, workspaceId: string, ownerUserId: string | null) {
  const row = await ofOwner(db, workspaceId, ownerUserId)
    .select((eb) => [eb.fn.countAll<string>().as("n"), eb.fn.max("position").as("last")])
    .executeTakeFirst();
  return { count: Number(row?.n ?? 0), nextPosition: row?.last == null ? 0 : Number(row.last) + 1 };
}

export async function setPositions(
  trx: TDb,
  workspaceId: string,
  positions: { id: string; position: number }[],
  now: Date,
) {
  for (const p of positions) {
    await trx
      .updateTable("views")
      .set({ position: p.position, updated_at: now })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", p.id)
      .execute();
  }
}

export type TFilterRefs = {
  brandIds: string[];
  groupIds: string[];
  userIds: string[];
  categoryKeys: string[];
};

/** Which of the brands, groups, users and categories a filter names exist in the workspace. */
export async function existingRefs(db: TDb, workspaceId: string, refs: TFilterRefs): Promise<TFilterRefs> {
  const ids = async (table: "brands" | "groups" | "users", wanted: string[]) =>
    wanted.length === 0
      ? []
      : (
          await db
            .selectFrom(table)
            .select("id")
            .where("workspace_id", "=", workspaceId)
            .where("id", "in", wanted)
            .execute()
        ).map((r) => r.id);
  const keys =
    refs.categoryKeys.length === 0
      ? []
      : (
          await db
            .selectFrom("categories")
            .select("key")
            .where("workspace_id", "=", workspaceId)
            .where("key", "in", refs.categoryKeys)
            .execute()
        ).map((r) => r.key);
  return {
    brandIds: await ids("brands", refs.brandIds),
    groupIds: await ids("groups", refs.groupIds),
    userIds: await ids("users", refs.userIds),
    categoryKeys: keys,
  };
}
