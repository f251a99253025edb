import type { TBuiltinViewId, TTicketStatus, TView } from "@switchboard/contracts";

const OPEN: TTicketStatus[] = ["new", "open"];
const UNSOLVED: TTicketStatus[] = ["new", "open", "pending", "on_hold"];
const NEWEST_ACTIVITY = { by: "updated_at", direction: "desc" } as const;

const builtin = (
  id: TBuiltinViewId,
  position: number,
  filters: TView["filters"],
  sort: TView["sort"],
): TView => ({
  id,
  kind: "builtin",
  name: id,
  filters,
  sort,
  position,
  ownerId: null,
});

/**
 * The views every user has, as Zendesk users know them. Work waiting on us is new or open; pending
 * waits on the customer and on hold on a third party, so they have views of their own.
 */
export const BUILTIN_VIEWS: readonly TView[] = [
  // "My open tickets": what I am expected to answer.
  builtin("mine", 0, { assigneeId: ["me"], status: OPEN }, NEWEST_ACTIVITY),
  // Nobody's yet, and not finished: pending and on-hold tickets without an owner need one too.
  builtin("unassigned", 1, { assigneeId: ["none"], status: UNSOLVED }, NEWEST_ACTIVITY),
  builtin("open", 2, { status: OPEN }, NEWEST_ACTIVITY),
  builtin("pending", 3, { status: ["pending"] }, NEWEST_ACTIVITY),
  builtin("on-hold", 4, { status: ["on_hold"] }, NEWEST_ACTIVITY),
  // Solved in the last seven days, the latest first; closed ones too (a ticket is closed only after
  // it was solved, and keeps its solved time).
  builtin(
    "solved",
    5,
    { status: ["solved", "closed"], solvedWithinDays: 7 },
    { by: "solved_at", direction: "desc" },
  ),
];

export const findBuiltinView = (id: string): TView | undefined => BUILTIN_VIEWS.find((v) => v.id === id);
