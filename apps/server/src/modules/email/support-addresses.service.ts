import type { TCreateSupportAddress, TSupportAddress, TUpdateSupportAddress } from "@switchboard/contracts";
import type { Selectable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { SupportAddressesTable } from "../../db/schema.ts";
import { canSeeBrand, requireAdmin, type TActor } from "../../lib/actor.ts";
import { conflict, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import type { TBrandsService } from "../brands/index.ts";
import * as repo from "./support-addresses.repository.ts";

const toDto = (row: Selectable<SupportAddressesTable>): TSupportAddress => ({
  id: row.id,
  brandId: row.brand_id,
  address: row.address,
  displayName: row.display_name,
  isDefault: row.is_default,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export function createSupportAddressesService({
  db,
  clock,
  brands,
}: {
  db: TDb;
  clock: TClock;
  brands: TBrandsService;
}) {
  async function getVisible(actor: TActor, addressId: string) {
    const row = await repo.findAddress(db, actor.workspaceId, addressId);
    if (!row || !canSeeBrand(actor, row.brand_id)) throw notFound("address");
    return row;
  }

  return {
    async listAddresses(actor: TActor, brandId: string): Promise<TSupportAddress[]> {
      await brands.assertBrandAccess(actor, brandId);
      return (await repo.listAddresses(db, actor.workspaceId, brandId)).map(toDto);
    },

    async createAddress(
      actor: TActor,
      brandId: string,
      input: TCreateSupportAddress,
    ): Promise<TSupportAddress> {
      await brands.assertBrandAccess(actor, brandId);
      requireAdmin(actor);
      const id = newId();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (await repo.isAddressTaken(trx, input.address)) {
          throw conflict("address_taken", "This address already receives mail for a brand");
        }
        // A brand's first address is its default: replies need a From.
        const first = !(await repo.brandHasAddresses(trx, actor.workspaceId, brandId));
        await repo.insertAddress(trx, {
          workspace_id: actor.workspaceId,
          id,
          brand_id: brandId,
          address: input.address,
          display_name: input.displayName,
          is_default: false,
          created_at: now,
          updated_at: now,
        });
        if (first || input.isDefault) await repo.setDefaultAddress(trx, actor.workspaceId, brandId, id, now);
      });
      return toDto(await getVisible(actor, id));
    },

    async updateAddress(
      actor: TActor,
      addressId: string,
      patch: TUpdateSupportAddress,
    ): Promise<TSupportAddress> {
      const current = await getVisible(actor, addressId);
      requireAdmin(actor);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (patch.displayName !== undefined)
          await repo.updateDisplayName(trx, actor.workspaceId, addressId, patch.displayName, now);
        if (patch.isDefault)
          await repo.setDefaultAddress(trx, actor.workspaceId, current.brand_id, addressId, now);
      });
      return toDto(await getVisible(actor, addressId));
    },

    async deleteAddress(actor: TActor, addressId: string): Promise<void> {
      await getVisible(actor, addressId);
      requireAdmin(actor);
      await db.transaction().execute((trx) => repo.deleteAddress(trx, actor.workspaceId, addressId));
    },

    /** The brand an inbound recipient address belongs to, or null: for the mail gateways. */
    async resolveRecipient(address: string) {
      const row = await repo.findInboundAddress(db, address.trim().toLowerCase());
      return row ? { workspaceId: row.workspace_id, brandId: row.brand_id, address: toDto(row) } : null;
    },
  };
}
export type TSupportAddressesService = ReturnType<typeof createSupportAddressesService>;
