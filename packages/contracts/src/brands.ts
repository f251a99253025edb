import { z } from "zod";
import { ZId, ZLine, ZLocale, ZTimeZone } from "./common.ts";

const ZColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a hex colour like #2563eb");
const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/, "Use 1-50 lowercase letters, digits and dashes");
const ZLogoUrl = z.url({ protocol: /^https?$/, message: "Use an http(s) URL" }).max(2000);

export const ZBrand = z.object({
  id: ZId,
  name: z.string(),
  slug: z.string(),
  defaultLocale: ZLocale,
  supportedLocales: z.array(ZLocale),
  timeZone: z.string(),
  primaryColor: z.string(),
  accentColor: z.string(),
  logoUrl: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TBrand = z.infer<typeof ZBrand>;

const brandFields = {
  name: ZLine(200),
  slug: ZSlug,
  defaultLocale: ZLocale,
  supportedLocales: z.array(ZLocale).min(1).max(5),
  timeZone: ZTimeZone,
  primaryColor: ZColor,
  accentColor: ZColor,
  logoUrl: ZLogoUrl.nullable(),
};

const defaultLocaleSupported = (b: { defaultLocale?: string; supportedLocales?: string[] }) =>
  !b.defaultLocale || !b.supportedLocales || b.supportedLocales.includes(b.defaultLocale);
const localeIssue = { message: "defaultLocale must be one of supportedLocales", path: ["defaultLocale"] };

export const ZCreateBrand = z
  .strictObject({
    ...brandFields,
    defaultLocale: ZLocale.default("en"),
    supportedLocales: brandFields.supportedLocales.optional(),
    timeZone: ZTimeZone.default("UTC"),
    primaryColor: ZColor.default("#2563eb"),
    accentColor: ZColor.default("#0f766e"),
    logoUrl: ZLogoUrl.nullable().default(null),
  })
  .transform((b) => ({ ...b, supportedLocales: b.supportedLocales ?? [b.defaultLocale] }))
  .refine(defaultLocaleSupported, localeIssue);
export type TCreateBrand = z.infer<typeof ZCreateBrand>;

export const ZUpdateBrand = z.strictObject(brandFields).partial().refine(defaultLocaleSupported, localeIssue);
export type TUpdateBrand = z.infer<typeof ZUpdateBrand>;
