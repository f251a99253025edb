import { z } from "zod";
import { ZEmail, ZId, ZLine, ZLocale, ZTimeZone, ZUserRole } from "./common.ts";

export const ZUser = z.object({
  id: ZId,
  email: z.string(),
  name: z.string(),
  role: ZUserRole,
  locale: z.string(),
  timeZone: z.string(),
  active: z.boolean(),
  /** null: every brand of the workspace (owners and admins). */
  brandIds: z.array(ZId).nullable(),
  groupIds: z.array(ZId).optional(),
  createdAt: z.iso.datetime(),
});
export type TUser = z.infer<typeof ZUser>;

export const ZPassword = z.string().min(10, "Use at least 10 characters").max(200);

export const ZCreateUser = z.strictObject({
  email: ZEmail,
  name: ZLine(200),
  role: ZUserRole.exclude(["owner"]).default("agent"),
  password: ZPassword.optional(),
  locale: ZLocale.default("en"),
  timeZone: ZTimeZone.default("UTC"),
  brandIds: z.array(ZId).max(500).default([]),
  groupIds: z.array(ZId).max(500).default([]),
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZUpdateUser = z.strictObject({
  name: ZLine(200).optional(),
  role: ZUserRole.optional(),
  locale: ZLocale.optional(),
  timeZone: ZTimeZone.optional(),
  active: z.boolean().optional(),
  brandIds: z.array(ZId).max(500).optional(),
  groupIds: z.array(ZId).max(500).optional(),
});
export type TUpdateUser = z.infer<typeof ZUpdateUser>;

export const ZGroup = z.object({
  id: ZId,
  name: z.string(),
  description: z.string(),
  memberIds: z.array(ZId),
  createdAt: z.iso.datetime(),
});
export type TGroup = z.infer<typeof ZGroup>;

export const ZCreateGroup = z.strictObject({
  name: ZLine(200),
  description: z.string().max(2000).default(""),
  memberIds: z.array(ZId).max(1000).default([]),
});
export type TCreateGroup = z.infer<typeof ZCreateGroup>;

/** Rename, describe, or set the members (the whole list, as for a user's groupIds). */
export const ZUpdateGroup = z.strictObject({
  name: ZLine(200).optional(),
  description: z.string().max(2000).optional(),
  memberIds: z.array(ZId).max(1000).optional(),
});
export type TUpdateGroup = z.infer<typeof ZUpdateGroup>;
