import { canSeeBrand, requireRole, type TActor } from "../../lib/actor.ts";
import { forbidden, notFound } from "../../lib/app-error.ts";
import { isUuid } from "../../lib/ids.ts";
import { decodeCursor } from "../../lib/pagination.ts";
import type { TTicketRef } from "./tickets.repository.ts";

/** "0190…-…" (an id) or "1042" (the human number); anything else is simply not found. */
export function parseTicketRef(value: string): TTicketRef {
  if (isUuid(value)) return { id: value };
  if (/^\d{1,15}$/.test(value)) return { number: Number(value) };
  throw notFound("ticket");
}

/** A ticket the actor may see: in their workspace (the query's scope), not deleted, of one of their brands. */
export function assertVisible<T extends { brand_id: string; deleted_at: Date | null }>(
  actor: TActor,
  row: T | undefined,
): T {
  if (!row || row.deleted_at !== null || !canSeeBrand(actor, row.brand_id)) throw notFound("ticket");
  return row;
}

/** Light agents read tickets and write internal notes; everything else needs an agent or above. */
export function requireTicketEditor(actor: TActor): void {
  if (actor.role === "light_agent")
    throw forbidden("Light agents can read tickets and add internal notes only");
}

export const requireDeleter = (actor: TActor) => requireRole(actor, ["owner", "admin", "supervisor"]);

/** The keyset position after which a page starts, from the client's opaque cursor. */
export function afterCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  const c = decodeCursor(cursor);
  return c ? { at: new Date(c.at), id: c.id } : undefined;
}
