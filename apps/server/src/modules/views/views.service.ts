import {
  type TCreateView,
  type TReorderViews,
  type TSortDirection,
  type TTicketSort,
  type TUpdateView,
  type TView,
  type TViewCounts,
  type TViewFilters,
  VIEW_COUNT_CAP,
} from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import { canSeeBrand, type TActor } from "../../lib/actor.ts";
import { forbidden, notFound, unprocessable } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { isUuid, newId } from "../../lib/ids.ts";
import type { TPageRequest, TTicketLists, TTicketPage } from "../tickets/index.ts";
import { BUILTIN_VIEWS, findBuiltinView } from "./builtin-views.ts";
import { type TViewRow, toViewDto } from "./views.dto.ts";
import * as repo from "./views.repository.ts";

export type TViewsDeps = {
  db: TDb;
  clock: TClock;
  tickets: Pick<TTicketLists, "listByFilters" | "countByFilters">;
  /** Counts stop here (VIEW_COUNT_CAP); tests lower it. */
  countCap?: number;
};

/** Per user for personal views, per workspace for shared ones: counts stay one cheap statement. */
export const MAX_VIEWS = 100;
const MANAGERS = new Set(["owner", "admin", "supervisor"]);

type TFound = { view: TView; row: TViewRow | null };

const viewNotFound = () => notFound("view");
const shown = (row: TViewRow, actor: TActor): TView => {
  const view = toViewDto(row, actor);
  if (!view) throw viewNotFound();
  return view;
};

export function createViewsService({ db, clock, tickets, countCap = VIEW_COUNT_CAP }: TViewsDeps) {
  async function listVisible(actor: TActor): Promise<TView[]> {
    const saved = await repo.listSavedViews(db, actor.workspaceId, actor.userId);
    return [...BUILTIN_VIEWS, ...saved.map((row) => toViewDto(row, actor)).filter((v) => v !== null)];
  }

  /** A view the actor sees, by built-in key or id; anything else (another's, another workspace's) is 404. */
  async function findVisible(actor: TActor, id: string): Promise<TFound> {
    const builtin = findBuiltinView(id);
    if (builtin) return { view: builtin, row: null };
    const row = isUuid(id) ? await repo.findSavedView(db, actor.workspaceId, id) : undefined;
    const view = row ? toViewDto(row, actor) : null;
    if (!row || !view) throw viewNotFound();
    return { view, row };
  }

  function requireEditable(actor: TActor, found: TFound): TViewRow {
    if (!found.row) throw forbidden("Built-in views cannot be changed");
    if (found.row.owner_user_id === null && !MANAGERS.has(actor.role)) {
      throw forbidden("Only owners, admins and supervisors change shared views");
    }
    return found.row;
  }

  /**
   * 422 when the filters name a brand the actor may not see (the same answer as for a brand that does
   * not exist: nothing leaks), or a group, user or category the workspace does not have.
   */
  async function checkFilters(actor: TActor, f: TViewFilters): Promise<void> {
    const named = {
      brandId: f.brandId ?? [],
      groupId: (f.groupId ?? []).filter(isUuid),
      assigneeId: (f.assigneeId ?? []).filter(isUuid),
      category: f.category ?? [],
    };
    const found = await repo.existingRefs(db, actor.workspaceId, {
      brandIds: named.brandId,
      groupIds: named.groupId,
      userIds: named.assigneeId,
      categoryKeys: named.category,
    });
    const known = {
      brandId: found.brandIds.filter((b) => canSeeBrand(actor, b)),
      groupId: found.groupIds,
      assigneeId: found.userIds,
      category: found.categoryKeys,
    };
    const messages = {
      brandId: "No such brand",
      groupId: "No such group",
      assigneeId: "No such user",
      category: "No such category",
    };
    const details: { field: string; message: string }[] = [];
    for (const field of ["brandId", "groupId", "assigneeId", "category"] as const) {
      // Indexes into the filter as sent ("me" and "none" take places too).
      for (const [i, value] of (f[field] ?? []).entries()) {
        if (named[field].includes(value) && !known[field].includes(value)) {
          details.push({ field: `filters.${field}.${i}`, message: messages[field] });
        }
      }
    }
    if (details.length > 0) {
      throw unprocessable("invalid_filters", `${details[0]?.field}: ${details[0]?.message}`, details);
    }
  }

  return {
    /** The built-in views, then the shared ones, then the caller's own, each in position order. */
    listViews: listVisible,

    getView: async (actor: TActor, id: string): Promise<TView> => (await findVisible(actor, id)).view,

    /** Anyone creates personal views; owners, admins and supervisors also shared ones. */
    async createView(actor: TActor, input: TCreateView): Promise<TView> {
      if (input.shared && !MANAGERS.has(actor.role)) {
        throw forbidden("Only owners, admins and supervisors create shared views");
      }
      await checkFilters(actor, input.filters);
      const owner = input.shared ? null : actor.userId;
      const slots = await repo.viewSlots(db, actor.workspaceId, owner);
      if (slots.count >= MAX_VIEWS) {
        throw unprocessable(
          "too_many_views",
          `At most ${MAX_VIEWS} ${input.shared ? "shared" : "personal"} views`,
        );
      }
      const now = clock.now();
      const row = await repo.insertView(db, {
        workspace_id: actor.workspaceId,
        id: newId(),
        owner_user_id: owner,
        name: input.name,
        filters: JSON.stringify(input.filters),
        sort: input.sort.by,
        sort_direction: input.sort.direction,
        position: input.position ?? slots.nextPosition,
        created_at: now,
        updated_at: now,
      });
      return shown(row, actor);
    },

    async updateView(actor: TActor, id: string, patch: TUpdateView): Promise<TView> {
      const row = requireEditable(actor, await findVisible(actor, id));
      if (patch.filters) await checkFilters(actor, patch.filters);
      const updated = await repo.updateView(db, actor.workspaceId, row.id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.filters !== undefined ? { filters: JSON.stringify(patch.filters) } : {}),
        ...(patch.sort !== undefined ? { sort: patch.sort.by, sort_direction: patch.sort.direction } : {}),
        ...(patch.position !== undefined ? { position: patch.position } : {}),
        updated_at: clock.now(),
      });
      if (!updated) throw viewNotFound();
      return shown(updated, actor);
    },

    async deleteView(actor: TActor, id: string): Promise<void> {
      const row = requireEditable(actor, await findVisible(actor, id));
      await repo.deleteView(db, actor.workspaceId, row.id);
    },

    /** Positions follow the order given, counted separately among shared and among personal views. */
    async reorderViews(actor: TActor, input: TReorderViews): Promise<TView[]> {
      const ids = [...new Set(input.viewIds)];
      const rows = new Map(
        (await repo.findSavedViews(db, actor.workspaceId, ids)).map((r) => [r.id, r] as const),
      );
      const next = { shared: 0, personal: 0 };
      const positions = ids.map((id) => {
        const row = rows.get(id);
        const view = row ? toViewDto(row, actor) : null;
        if (!row || !view) throw viewNotFound();
        requireEditable(actor, { view, row });
        const kind = row.owner_user_id === null ? "shared" : "personal";
        return { id, position: next[kind]++ };
      });
      const now = clock.now();
      await db.transaction().execute((trx) => repo.setPositions(trx, actor.workspaceId, positions, now));
      return listVisible(actor);
    },

    /** The view's tickets, in the actor's brands only; `sort` overrides the view's order for this list. */
    async listViewTickets(
      actor: TActor,
      id: string,
      req: TPageRequest & { sort?: TTicketSort | undefined; direction?: TSortDirection | undefined },
    ): Promise<TTicketPage> {
      const { view } = await findVisible(actor, id);
      const sort = req.sort ? { by: req.sort, direction: req.direction ?? "desc" } : view.sort;
      return tickets.listByFilters(actor, view.filters, sort, { cursor: req.cursor, limit: req.limit });
    },

    /**
     * How many tickets each view the actor sees holds (or those of `ids`; ids they do not see are left
     * out), counted up to the cap (VIEW_COUNT_CAP) each, in one statement.
     */
    async countViews(actor: TActor, ids?: string[]): Promise<TViewCounts> {
      const all = await listVisible(actor);
      const views = ids ? all.filter((v) => ids.includes(v.id)) : all;
      const counts = await tickets.countByFilters(
        actor,
        views.map((v) => v.filters),
        countCap,
      );
      return {
        counts: views.map((v, i) => ({ viewId: v.id, ...(counts[i] ?? { count: 0, capped: false }) })),
      };
    },
  };
}
export type TViewsService = ReturnType<typeof createViewsService>;
