import type { TSortDirection, TTicketFilters, TTicketSort } from "@switchboard/contracts";
import { z } from "zod";
import type { TActor } from "../../lib/actor.ts";
import { badRequest } from "../../lib/app-error.ts";
import {
  SORT_COLUMNS,
  type TIdsOrNone,
  type TListAfter,
  type TListFilters,
  type TListSort,
  type TTimeRange,
} from "./ticket-list.repository.ts";

const DAY_MS = 86_400_000;

/** Flags a view never sets: views list live tickets only. */
export type TListFlags = { spam: boolean; includeMerged: boolean; deleted: boolean; requesterId?: string };
export const LIVE_TICKETS: TListFlags = { spam: false, includeMerged: false, deleted: false };

function idsOrNone(values: readonly string[] | undefined, me?: string): TIdsOrNone | undefined {
  if (!values) return undefined;
  const ids = values.filter((v) => v !== "none").map((v) => (v === "me" && me ? me : v));
  return { ids: [...new Set(ids)], none: values.includes("none") };
}

function range(from: string | undefined, to: string | undefined, withinDays: number | undefined, now: Date) {
  if (!from && !to && withinDays === undefined) return undefined;
  const starts = [
    ...(from ? [Date.parse(from)] : []),
    ...(withinDays !== undefined ? [now.getTime() - withinDays * DAY_MS] : []),
  ];
  const r: TTimeRange = {};
  if (starts.length > 0) r.from = new Date(Math.max(...starts));
  if (to) r.to = new Date(to);
  return r;
}

/**
 * The filters as the repository takes them, for this actor: "me" is the actor, brands are those the
 * filter names AND the actor may see, relative dates count back from now. null when no ticket can pass
 * (the actor sees none of the brands asked for), so the caller answers without a query.
 */
export function resolveFilters(
  actor: TActor,
  f: TTicketFilters,
  now: Date,
  flags: TListFlags = LIVE_TICKETS,
): TListFilters | null {
  let brandIds = actor.brandIds;
  if (f.brandId) brandIds = brandIds === null ? f.brandId : f.brandId.filter((b) => brandIds?.includes(b));
  if (brandIds !== null && brandIds.length === 0) return null;
  return {
    brandIds: brandIds === null ? null : [...new Set(brandIds)],
    statuses: f.status,
    priorities: f.priority,
    channels: f.channel,
    categoryKeys: f.category,
    tags: f.tag,
    assignees: idsOrNone(f.assigneeId, actor.userId),
    groups: idsOrNone(f.groupId),
    requesterId: flags.requesterId,
    created: range(f.createdFrom, f.createdTo, f.createdWithinDays, now),
    updated: range(f.updatedFrom, f.updatedTo, f.updatedWithinDays, now),
    solved: range(f.solvedFrom, f.solvedTo, f.solvedWithinDays, now),
    spam: flags.spam,
    includeMerged: flags.includeMerged,
    deleted: flags.deleted,
  };
}

// A cursor carries the sort it was made for, so a page of one order is never continued in another.
const ZListCursor = z.object({
  s: z.string(),
  d: z.enum(["asc", "desc"]),
  v: z.string().max(40).nullable(),
  id: z.uuid(),
});
// Cursors handed out before lists could be sorted: updated_at desc.
const ZLegacyCursor = z.object({ at: z.iso.datetime(), id: z.uuid() });

const VALUE_FORMAT: Record<"timestamptz" | "bigint" | "int", RegExp> = {
  timestamptz: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/,
  bigint: /^\d{1,18}$/,
  int: /^\d$/,
};

export const encodeListCursor = (sort: TListSort, value: string | null, id: string): string =>
  Buffer.from(JSON.stringify({ s: sort.by, d: sort.direction, v: value, id })).toString("base64url");

const invalidCursor = () =>
  badRequest(
    "invalid_cursor",
    "The cursor is not valid for this list and order; start again from the first page",
  );

/** The keyset position after which a page starts; 400 invalid_cursor when it does not fit this sort. */
export function decodeListCursor(cursor: string | undefined, sort: TListSort): TListAfter | undefined {
  if (!cursor) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  const legacy = ZLegacyCursor.safeParse(raw);
  if (legacy.success && sort.by === "updated_at" && sort.direction === "desc") {
    return { value: legacy.data.at, id: legacy.data.id };
  }
  const parsed = ZListCursor.safeParse(raw);
  if (!parsed.success || parsed.data.s !== sort.by || parsed.data.d !== sort.direction) throw invalidCursor();
  const column = SORT_COLUMNS[sort.by];
  const { v } = parsed.data;
  if (v === null ? !column.nullable : !VALUE_FORMAT[column.type].test(v)) throw invalidCursor();
  return { value: v, id: parsed.data.id };
}

export const toListSort = (by: TTicketSort, direction: TSortDirection): TListSort => ({ by, direction });
