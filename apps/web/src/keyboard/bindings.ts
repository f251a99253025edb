import type { TMessageKey } from "../i18n/messages.ts";

/**
 * A key binding: its keys and what it does (a message key, shown in the help overlay).
 *
 * Keys: a chord in Mantine's notation ("r", "?", "mod+Enter", "shift+a"; `mod` is ⌘ on Apple
 * keyboards and Ctrl elsewhere), or a sequence of chords separated by spaces ("g v": g, then v).
 */
export type TBinding = { keys: string; label: TMessageKey };

/**
 * The app's standard bindings, in the order the help overlay lists them. Features spread one and add
 * what it does: `useShortcuts([{ ...SHORTCUTS.reply, run: openReply }], { group: SHORTCUT_GROUPS.ticket })`.
 */
export const SHORTCUTS = {
  // Everywhere (wired by the search box and the shell's keyboard layer).
  focusSearch: { keys: "/", label: "shortcut.focusSearch" },
  help: { keys: "?", label: "shortcut.help" },
  goViews: { keys: "g v", label: "shortcut.goViews" },
  goSearch: { keys: "g s", label: "shortcut.goSearch" },
  // A list of tickets, and the ticket page (next/previous ticket of the view).
  next: { keys: "j", label: "shortcut.next" },
  previous: { keys: "k", label: "shortcut.previous" },
  open: { keys: "Enter", label: "shortcut.open" },
  // The ticket page.
  reply: { keys: "r", label: "shortcut.reply" },
  note: { keys: "n", label: "shortcut.note" },
  solve: { keys: "s", label: "shortcut.solve" },
  assignToMe: { keys: "a", label: "shortcut.assignToMe" },
  send: { keys: "mod+Enter", label: "shortcut.send" },
} as const satisfies Record<string, TBinding>;

/** The help overlay's sections, in this order; a feature may name its own (any message key) after them. */
export const SHORTCUT_GROUPS = {
  general: "shortcut.group.general",
  list: "shortcut.group.list",
  ticket: "shortcut.group.ticket",
} as const satisfies Record<string, TMessageKey>;
