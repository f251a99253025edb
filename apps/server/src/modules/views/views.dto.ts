import { type TView, ZViewFilters } from "@switchboard/contracts";
import type { Selectable } from "kysely";
import type { ViewsTable } from "../../db/schema.ts";
import { canSeeBrand, type TActor } from "../../lib/actor.ts";

export type TViewRow = Selectable<ViewsTable>;

/**
 * A saved view as this actor sees it, or null when it is not theirs to see. Its brand filter shows
 * only the brands the actor may see; a view left with none of them is not shown at all (its tickets
 * could only be of brands the actor may not see, and its filter would name them).
 */
export function toViewDto(row: TViewRow, actor: TActor): TView | null {
  if (row.owner_user_id !== null && row.owner_user_id !== actor.userId) return null;
  // Stored filters were checked when saved; parsing again keeps a row from an older shape from
  // reaching clients unchecked.
  const filters = ZViewFilters.parse(row.filters);
  if (filters.brandId) {
    const brandId = filters.brandId.filter((b) => canSeeBrand(actor, b));
    if (brandId.length === 0) return null;
    filters.brandId = brandId;
  }
  return {
    id: row.id,
    kind: row.owner_user_id === null ? "shared" : "personal",
    name: row.name,
    filters,
    sort: { by: row.sort, direction: row.sort_direction },
    position: row.position,
    ownerId: row.owner_user_id,
  };
}
