import { useRef } from "react";
import { SHORTCUT_GROUPS, SHORTCUTS, useShortcuts } from "./shortcuts.ts";

/** Moves focus `step` items on (j/k), from the focused one, or onto the first when none is. */
function moveFocus(container: HTMLElement | null, selector: string, step: number): boolean {
  const items = [...(container?.querySelectorAll<HTMLElement>(selector) ?? [])];
  if (items.length === 0) return false;
  const current = items.findIndex((el) => el.contains(document.activeElement));
  const next = items[current === -1 ? 0 : Math.min(items.length - 1, Math.max(0, current + step))];
  next?.focus();
  next?.scrollIntoView({ block: "nearest" });
  return true;
}

/**
 * j/k move the focus through a list's links and Enter opens the focused one. Returns the ref for the
 * list's container (a table body, say); `selector` picks the one link of each item.
 */
export function useListNavigation<T extends HTMLElement>(selector = "a[href]") {
  const list = useRef<T>(null);
  const focused = () =>
    [...(list.current?.querySelectorAll<HTMLElement>(selector) ?? [])].find(
      (el) => el === document.activeElement,
    );
  useShortcuts(
    [
      { ...SHORTCUTS.next, run: () => moveFocus(list.current, selector, 1) },
      { ...SHORTCUTS.previous, run: () => moveFocus(list.current, selector, -1) },
      {
        ...SHORTCUTS.open,
        run: () => {
          const link = focused();
          link?.click();
          return link !== undefined;
        },
      },
    ],
    { group: SHORTCUT_GROUPS.list },
  );
  return list;
}
