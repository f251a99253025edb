import type { TGroup, TUser } from "@switchboard/contracts";
import type { TUserRow } from "../../db/schema.ts";

export const toUserDto = (
  row: TUserRow & { brand_ids?: string[] | null; group_ids?: string[] | null },
): TUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  locale: row.locale,
  timeZone: row.time_zone,
  active: row.active,
  brandIds: row.role === "owner" || row.role === "admin" ? null : (row.brand_ids ?? []),
  ...(row.group_ids !== undefined ? { groupIds: row.group_ids ?? [] } : {}),
  createdAt: row.created_at.toISOString(),
});

export const toGroupDto = (row: {
  id: string;
  name: string;
  description: string;
  created_at: Date;
  member_ids: string[] | null;
}): TGroup => ({
  id: row.id,
  name: row.name,
  description: row.description,
  memberIds: row.member_ids ?? [],
  createdAt: row.created_at.toISOString(),
});
