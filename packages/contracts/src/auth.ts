import { z } from "zod";
import { ZId } from "./common.ts";
import { ZPassword, ZUser } from "./users.ts";

export const ZLogin = z.strictObject({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(200),
});
export const ZSession = z.object({ user: ZUser, csrfToken: z.string().nullable() });
export type TSession = z.infer<typeof ZSession>;

export const ZChangePassword = z.strictObject({
  currentPassword: z.string().max(200),
  newPassword: ZPassword,
});

export const ZCreateToken = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const ZApiToken = z.object({
  id: ZId,
  name: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export const ZCreatedToken = ZApiToken.extend({ token: z.string() });
export type TApiToken = z.infer<typeof ZApiToken>;
export type TCreatedToken = z.infer<typeof ZCreatedToken>;
