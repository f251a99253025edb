import { z } from "zod";
import { ZEmail, ZId } from "./common.ts";

export const ZSupportAddress = z.object({
  id: ZId,
  brandId: ZId,
  address: z.string(),
  displayName: z.string(),
  isDefault: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TSupportAddress = z.infer<typeof ZSupportAddress>;

const ZDisplayName = z.string().trim().max(200);

export const ZCreateSupportAddress = z.strictObject({
  address: ZEmail,
  displayName: ZDisplayName.default(""),
  isDefault: z.boolean().default(false),
});
export type TCreateSupportAddress = z.infer<typeof ZCreateSupportAddress>;

export const ZUpdateSupportAddress = z.strictObject({
  displayName: ZDisplayName.optional(),
  isDefault: z.literal(true).optional(),
});
export type TUpdateSupportAddress = z.infer<typeof ZUpdateSupportAddress>;
