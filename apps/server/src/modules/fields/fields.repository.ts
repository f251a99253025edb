import type { Insertable, Updateable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { CategoriesTable, CustomFieldsTable } from "../../db/schema.ts";

export const listCategories = (db: TDb, workspaceId: string, includeArchived: boolean) =>
  db
    .selectFrom("categories")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .$if(!includeArchived, (q) => q.where("archived", "=", false))
    .orderBy("position")
    .orderBy("name")
    .execute();

export const findCategory = (db: TDb, workspaceId: string, categoryId: string) =>
  db
    .selectFrom("categories")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", categoryId)
    .executeTakeFirst();

export const findCategoryByKey = (db: TDb, workspaceId: string, key: string) =>
  db
    .selectFrom("categories")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("key", "=", key)
    .executeTakeFirst();

/** The next free position: new entries go to the end of the list. */
export const nextPosition = async (db: TDb, table: "categories" | "custom_fields", workspaceId: string) => {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max("position").as("max"))
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
};

export const insertCategory = (db: TDb, row: Insertable<CategoriesTable>) =>
  db
    .insertInto("categories")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();

export const updateCategory = (
  db: TDb,
  workspaceId: string,
  categoryId: string,
  patch: Updateable<CategoriesTable>,
) =>
  db
    .updateTable("categories")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", categoryId)
    .returningAll()
    .executeTakeFirst();

export const listCustomFields = (db: TDb, workspaceId: string, includeArchived: boolean) =>
  db
    .selectFrom("custom_fields")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .$if(!includeArchived, (q) => q.where("archived", "=", false))
    .orderBy("position")
    .orderBy("label")
    .execute();

export const findCustomField = (db: TDb, workspaceId: string, fieldId: string) =>
  db
    .selectFrom("custom_fields")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", fieldId)
    .executeTakeFirst();

/** The active fields with these keys, and every active required field: what validation needs. */
export const listActiveFieldRules = (db: TDb, workspaceId: string) =>
  db
    .selectFrom("custom_fields")
    .select(["key", "kind", "options", "required"])
    .where("workspace_id", "=", workspaceId)
    .where("archived", "=", false)
    .execute();

export const insertCustomField = (db: TDb, row: Insertable<CustomFieldsTable>) =>
  db
    .insertInto("custom_fields")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();

export const updateCustomField = (
  db: TDb,
  workspaceId: string,
  fieldId: string,
  patch: Updateable<CustomFieldsTable>,
) =>
  db
    .updateTable("custom_fields")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", fieldId)
    .returningAll()
    .executeTakeFirst();
