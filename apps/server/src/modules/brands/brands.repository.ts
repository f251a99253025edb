import type { Insertable, Updateable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { BrandsTable } from "../../db/schema.ts";

export const listBrands = (db: TDb, workspaceId: string, brandIds: string[] | null) =>
  db
    .selectFrom("brands")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .$if(brandIds !== null, (q) => q.where("id", "in", brandIds as string[]))
    .orderBy("name")
    .execute();

export const findBrand = (db: TDb, workspaceId: string, brandId: string) =>
  db
    .selectFrom("brands")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", brandId)
    .executeTakeFirst();

/** Public pages find a brand by its slug alone; the slug table says which workspace holds it. */
export const findBrandBySlug = (db: TDb, slug: string) =>
  db
    .selectFrom("brand_slugs")
    .innerJoin("brands", (j) =>
      j
        .onRef("brands.workspace_id", "=", "brand_slugs.workspace_id")
        .onRef("brands.id", "=", "brand_slugs.brand_id"),
    )
    .selectAll("brands")
    .where("brand_slugs.slug", "=", slug)
    .executeTakeFirst();

export const isSlugTaken = async (db: TDb, slug: string, exceptBrandId?: string) => {
  const row = await db
    .selectFrom("brand_slugs")
    .select("brand_id")
    .where("slug", "=", slug)
    .executeTakeFirst();
  return row !== undefined && row.brand_id !== exceptBrandId;
};

export async function insertBrand(db: TDb, row: Insertable<BrandsTable>) {
  await db.insertInto("brands").values(row).execute();
  await db
    .insertInto("brand_slugs")
    .values({ slug: row.slug, workspace_id: row.workspace_id, brand_id: row.id })
    .execute();
}

export async function updateBrand(
  db: TDb,
  workspaceId: string,
  brandId: string,
  patch: Updateable<BrandsTable>,
) {
  if (patch.slug !== undefined) {
    await db
      .updateTable("brand_slugs")
      .set({ slug: patch.slug })
      .where("workspace_id", "=", workspaceId)
      .where("brand_id", "=", brandId)
      .execute();
  }
  await db
    .updateTable("brands")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", brandId)
    .execute();
}

export const brandExists = async (db: TDb, workspaceId: string, brandId: string) =>
  (await db
    .selectFrom("brands")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", brandId)
    .executeTakeFirst()) !== undefined;
