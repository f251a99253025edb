import type { TMessageKey } from "../i18n/messages.ts";
import type { TView } from "./views-api.ts";

/** The built-in views' names (the server names them by key; the app says them in the user's language). */
const BUILT_IN_LABELS: Record<string, TMessageKey> = {
  mine: "view.mine",
  unassigned: "view.unassigned",
  open: "view.open",
  pending: "view.pending",
  "on-hold": "view.onHold",
  solved: "view.solved",
};

export const DEFAULT_VIEW_ID = "mine";

/** A view's name as shown: translated for built-in views, as its author wrote it otherwise. */
export const viewLabel = (view: Pick<TView, "kind" | "name">, t: (id: TMessageKey) => string) =>
  view.kind === "builtin" && BUILT_IN_LABELS[view.name]
    ? t(BUILT_IN_LABELS[view.name] as TMessageKey)
    : view.name;

/** Who may save views for the whole workspace, and change them. */
export const canShareViews = (role: string) => role === "owner" || role === "admin" || role === "supervisor";

/** Whether this user may change or delete the view. */
export const canEditView = (view: Pick<TView, "kind">, role: string) =>
  view.kind === "personal" || (view.kind === "shared" && canShareViews(role));
