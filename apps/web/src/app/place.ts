import { DEFAULT_VIEW_ID } from "../views/views.ts";

/**
 * Where the agent is, read from the address (#/views/<id>, #/tickets/<id-or-number>,
 * #/customers/<id>), so a reload or a shared link opens the same place.
 */
export type TPlace =
  | { kind: "view"; viewId: string }
  | { kind: "ticket"; ticketId: string }
  | { kind: "customer"; customerId: string };

const VIEW_KEY = "switchboard.view";

/** The view the agent last opened in this tab: a ticket leads back to it, after a reload too. */
export const lastViewId = () => sessionStorage.getItem(VIEW_KEY) ?? DEFAULT_VIEW_ID;

export function placeFromHash(hash: string): TPlace {
  const ticketId = /^#\/tickets\/([\w-]+)/.exec(hash)?.[1];
  if (ticketId) return { kind: "ticket", ticketId };
  const customerId = /^#\/customers\/([\w-]+)/.exec(hash)?.[1];
  if (customerId) return { kind: "customer", customerId };
  const viewId = /^#\/views\/([\w-]+)/.exec(hash)?.[1];
  if (viewId) sessionStorage.setItem(VIEW_KEY, viewId);
  return { kind: "view", viewId: viewId ?? lastViewId() };
}
