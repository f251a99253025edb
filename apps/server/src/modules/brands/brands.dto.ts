import type { TBrand, TLocale } from "@switchboard/contracts";
import type { TBrandRow } from "../../db/schema.ts";

export const toBrandDto = (row: TBrandRow): TBrand => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  defaultLocale: row.default_locale as TLocale,
  supportedLocales: row.supported_locales as TLocale[],
  timeZone: row.time_zone,
  primaryColor: row.primary_color,
  accentColor: row.accent_color,
  logoUrl: row.logo_url,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
