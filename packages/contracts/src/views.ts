import { z } from "zod";
import { ZId, ZLine, ZPageQuery, ZQueryList } from "./common.ts";
import { ZSortDirection, ZTicketFilters, ZTicketSort } from "./tickets.ts";

/**
 * The built-in views every user has. Their id is this key (GET /views/mine/tickets), and their name is
 * the same key, which the apps translate.
 */
export const BUILTIN_VIEW_IDS = ["mine", "unassigned", "open", "pending", "on-hold", "solved"] as const;
export const ZBuiltinViewId = z.enum(BUILTIN_VIEW_IDS);
export type TBuiltinViewId = z.infer<typeof ZBuiltinViewId>;

export const VIEW_KINDS = ["builtin", "shared", "personal"] as const;
export const ZViewKind = z.enum(VIEW_KINDS);

/** The same filters as GET /tickets takes, as one typed object. */
export const ZViewFilters = ZTicketFilters;
export type TViewFilters = z.infer<typeof ZViewFilters>;

export const ZViewSort = z.strictObject({ by: ZTicketSort, direction: ZSortDirection });
export type TViewSort = z.infer<typeof ZViewSort>;

export const ZView = z.object({
  /** A built-in key ("mine") or a saved view's uuid. */
  id: z.string(),
  kind: ZViewKind,
  /** For built-in views a stable key the apps translate; else what its author called it. */
  name: z.string(),
  filters: ZViewFilters,
  sort: ZViewSort,
  position: z.number().int(),
  /** The user a personal view belongs to; null for built-in and shared views. */
  ownerId: ZId.nullable(),
});
export type TView = z.infer<typeof ZView>;

/** A built-in key or a saved view's id; anything else is simply not found. */
export const ZViewParams = z.object({ id: z.string().max(100) });

const ZPosition = z.number().int().min(0).max(10_000);

export const ZCreateView = z.strictObject({
  name: ZLine(100),
  filters: ZViewFilters.default({}),
  sort: ZViewSort.default({ by: "updated_at", direction: "desc" }),
  /** true: a view for the whole workspace (owners, admins, supervisors); else the caller's own. */
  shared: z.boolean().default(false),
  /** Place among the views of its kind; after the last one unless given. */
  position: ZPosition.optional(),
});
export type TCreateView = z.infer<typeof ZCreateView>;

export const ZUpdateView = z.strictObject({
  name: ZLine(100).optional(),
  /** Replaces the filters. */
  filters: ZViewFilters.optional(),
  sort: ZViewSort.optional(),
  position: ZPosition.optional(),
});
export type TUpdateView = z.infer<typeof ZUpdateView>;

/** Saved views in the order they should show; each gets its index as position among views of its kind. */
export const ZReorderViews = z.strictObject({ viewIds: z.array(ZId).min(1).max(200) });
export type TReorderViews = z.infer<typeof ZReorderViews>;

export const ZViewList = z.object({ items: z.array(ZView) });

export const VIEW_COUNT_CAP = 10_000;

export const ZViewCounts = z.object({
  counts: z.array(
    z.object({
      viewId: z.string(),
      /** At most VIEW_COUNT_CAP; `capped` says there are more. */
      count: z.number().int(),
      capped: z.boolean(),
    }),
  ),
});
export type TViewCounts = z.infer<typeof ZViewCounts>;

/** `?ids=mine,open` counts only these views; all the caller sees otherwise. */
export const ZViewCountsQuery = z.object({ ids: ZQueryList(z.string().max(100), 200) });

/** A page of a view's tickets; `sort` (and `direction`, desc unless given) override the view's order. */
export const ZViewTicketsQuery = ZPageQuery.extend({
  sort: ZTicketSort.optional(),
  direction: ZSortDirection.optional(),
});
export type TViewTicketsQuery = z.infer<typeof ZViewTicketsQuery>;
