import type { TBrand, TCreateBrand, TUpdateBrand } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import { canSeeBrand, requireAdmin, type TActor } from "../../lib/actor.ts";
import { conflict, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import { toBrandDto } from "./brands.dto.ts";
import * as repo from "./brands.repository.ts";

export type TBrandsDeps = { db: TDb; clock: TClock };

const slugTaken = () => conflict("slug_taken", "Another brand already uses this slug");

export function createBrandsService({ db, clock }: TBrandsDeps) {
  async function getBrand(actor: TActor, brandId: string): Promise<TBrand> {
    const row = canSeeBrand(actor, brandId)
      ? await repo.findBrand(db, actor.workspaceId, brandId)
      : undefined;
    if (!row) throw notFound("brand");
    return toBrandDto(row);
  }

  return {
    getBrand,

    /** Throws brand_not_found unless the actor may work in this brand. */
    assertBrandAccess: async (actor: TActor, brandId: string) => {
      await getBrand(actor, brandId);
    },

    async listBrands(actor: TActor): Promise<TBrand[]> {
      if (actor.brandIds?.length === 0) return [];
      return (await repo.listBrands(db, actor.workspaceId, actor.brandIds)).map(toBrandDto);
    },

    async createBrand(actor: TActor, input: TCreateBrand): Promise<TBrand> {
      requireAdmin(actor);
      const id = newId();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (await repo.isSlugTaken(trx, input.slug)) throw slugTaken();
        await repo.insertBrand(trx, {
          workspace_id: actor.workspaceId,
          id,
          name: input.name,
          slug: input.slug,
          default_locale: input.defaultLocale,
          supported_locales: input.supportedLocales,
          time_zone: input.timeZone,
          primary_color: input.primaryColor,
          accent_color: input.accentColor,
          logo_url: input.logoUrl,
          created_at: now,
          updated_at: now,
        });
      });
      return getBrand(actor, id);
    },

    async updateBrand(actor: TActor, brandId: string, patch: TUpdateBrand): Promise<TBrand> {
      const current = await getBrand(actor, brandId);
      requireAdmin(actor);
      const supported = patch.supportedLocales ?? current.supportedLocales;
      const defaultLocale = patch.defaultLocale ?? current.defaultLocale;
      if (!supported.includes(defaultLocale)) {
        throw conflict(
          "default_locale_unsupported",
          "The default locale must be one of the supported locales",
        );
      }
      await db.transaction().execute(async (trx) => {
        if (patch.slug !== undefined && (await repo.isSlugTaken(trx, patch.slug, brandId))) throw slugTaken();
        await repo.updateBrand(trx, actor.workspaceId, brandId, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
          ...(patch.defaultLocale !== undefined ? { default_locale: patch.defaultLocale } : {}),
          ...(patch.supportedLocales !== undefined ? { supported_locales: patch.supportedLocales } : {}),
          ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
          ...(patch.primaryColor !== undefined ? { primary_color: patch.primaryColor } : {}),
          ...(patch.accentColor !== undefined ? { accent_color: patch.accentColor } : {}),
          ...(patch.logoUrl !== undefined ? { logo_url: patch.logoUrl } : {}),
          updated_at: clock.now(),
        });
      });
      return getBrand(actor, brandId);
    },

    findBrandBySlug: async (slug: string) => {
      const row = await repo.findBrandBySlug(db, slug.toLowerCase());
      return row ? { workspaceId: row.workspace_id, brand: toBrandDto(row) } : null;
    },
  };
}
export type TBrandsService = ReturnType<typeof createBrandsService>;
