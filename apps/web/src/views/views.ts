import type { TMessageKey } from "../i18n/messages.ts";

/** The built-in views: a name and the ticket list query behind it. */
export type TView = { id: string; label: TMessageKey; query: string };

const OPEN = "status=new,open";

export const BUILT_IN_VIEWS: TView[] = [
  { id: "mine", label: "view.mine", query: `assigneeId=me&${OPEN}` },
  { id: "unassigned", label: "view.unassigned", query: `assigneeId=none&${OPEN}` },
  { id: "open", label: "view.open", query: OPEN },
  { id: "pending", label: "view.pending", query: "status=pending" },
  { id: "on-hold", label: "view.onHold", query: "status=on_hold" },
  { id: "solved", label: "view.solved", query: "status=solved" },
];
