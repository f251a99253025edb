import type { TUserRole } from "@switchboard/contracts";
import { forbidden } from "./app-error.ts";

/**
 * Who is acting, and within which walls. Every service call takes one: the workspace is the hard
 * wall, brandIds the soft one (null means every brand of the workspace: owners and admins).
 */
export type TActor = {
  workspaceId: string;
  userId: string;
  role: TUserRole;
  brandIds: string[] | null;
  via: "session" | "token";
};

export const isAdmin = (actor: TActor): boolean => actor.role === "owner" || actor.role === "admin";

export const canSeeBrand = (actor: TActor, brandId: string): boolean =>
  actor.brandIds === null || actor.brandIds.includes(brandId);

export function requireAdmin(actor: TActor): void {
  if (!isAdmin(actor)) throw forbidden("Only owners and admins can do this");
}

export function requireRole(actor: TActor, roles: readonly TUserRole[]): void {
  if (!roles.includes(actor.role)) throw forbidden();
}
