import type { Insertable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { SupportAddressesTable } from "../../db/schema.ts";

export const listAddresses = (db: TDb, workspaceId: string, brandId: string) =>
  db
    .selectFrom("support_addresses")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("brand_id", "=", brandId)
    .orderBy("is_default", "desc")
    .orderBy("address")
    .execute();

export const findAddress = (db: TDb, workspaceId: string, addressId: string) =>
  db
    .selectFrom("support_addresses")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", addressId)
    .executeTakeFirst();

export const isAddressTaken = async (db: TDb, address: string) =>
  (await db
    .selectFrom("inbound_addresses")
    .select("address")
    .where("address", "=", address)
    .executeTakeFirst()) !== undefined;

export const brandHasAddresses = async (db: TDb, workspaceId: string, brandId: string) =>
  (await db
    .selectFrom("support_addresses")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("brand_id", "=", brandId)
    .limit(1)
    .executeTakeFirst()) !== undefined;

export async function insertAddress(db: TDb, row: Insertable<SupportAddressesTable>) {
  await db.insertInto("support_addresses").values(row).execute();
  await db
    .insertInto("inbound_addresses")
    .values({ address: row.address, workspace_id: row.workspace_id, address_id: row.id })
    .execute();
}

/** Makes one address the brand's default and every other one not. */
export async function setDefaultAddress(
  db: TDb,
  workspaceId: string,
  brandId: string,
  addressId: string,
  now: Date,
) {
  await db
    .updateTable("support_addresses")
    .set({ is_default: false, updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("brand_id", "=", brandId)
    .where("is_default", "=", true)
    .where("id", "!=", addressId)
    .execute();
  await db
    .updateTable("support_addresses")
    .set({ is_default: true, updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", addressId)
    .execute();
}

export const updateDisplayName = (
  db: TDb,
  workspaceId: string,
  addressId: string,
  displayName: string,
  now: Date,
) =>
  db
    .updateTable("support_addresses")
    .set({ display_name: displayName, updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", addressId)
    .execute();

export async function deleteAddress(db: TDb, workspaceId: string, addressId: string) {
  await db
    .deleteFrom("inbound_addresses")
    .where("workspace_id", "=", workspaceId)
    .where("address_id", "=", addressId)
    .execute();
  await db
    .deleteFrom("support_addresses")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", addressId)
    .execute();
}

/** Which workspace and brand an inbound recipient belongs to (for the mail gateways). */
export const findInboundAddress = (db: TDb, address: string) =>
  db
    .selectFrom("inbound_addresses")
    .innerJoin("support_addresses", (j) =>
      j
        .onRef("support_addresses.workspace_id", "=", "inbound_addresses.workspace_id")
        .onRef("support_addresses.id", "=", "inbound_addresses.address_id"),
    )
    .selectAll("support_addresses")
    .where("inbound_addresses.address", "=", address)
    .executeTakeFirst();
