import { useEffect, useLayoutEffect, useRef } from "react";
import type { TMessageKey } from "../i18n/messages.ts";
import { SHORTCUT_GROUPS } from "./bindings.ts";
import { registerShortcuts, type TShortcut } from "./registry.ts";

export { SHORTCUT_GROUPS, SHORTCUTS, type TBinding } from "./bindings.ts";
export type { TShortcut, TShortcutRun } from "./registry.ts";

/**
 * Registers a component's keyboard shortcuts while it is mounted; the help overlay lists them under
 * `group`. `run` may be a new closure on every render: the latest one runs, and the shortcuts are
 * registered again only when their keys, labels or group change.
 *
 * ```ts
 * useShortcuts(
 *   [
 *     { ...SHORTCUTS.reply, run: () => openComposer("reply") },
 *     { ...SHORTCUTS.send, run: () => form.current?.requestSubmit() }, // mod+Enter works in the composer
 *   ],
 *   { group: SHORTCUT_GROUPS.ticket },
 * );
 * ```
 */
export function useShortcuts(
  shortcuts: readonly TShortcut[],
  options: { group?: TMessageKey; enabled?: boolean } = {},
): void {
  const { group = SHORTCUT_GROUPS.general, enabled = true } = options;
  const latest = useRef(shortcuts);
  useLayoutEffect(() => {
    latest.current = shortcuts;
  });
  const signature = shortcuts.map((s) => `${s.keys}\t${s.label}\t${s.whileTyping ?? ""}`).join("\n");
  // biome-ignore lint/correctness/useExhaustiveDependencies: registered again when the keys change (the signature), not for each new `run` closure, which is read through the ref
  useEffect(() => {
    if (!enabled) return;
    return registerShortcuts(
      group,
      latest.current.map((s, i) => ({ ...s, run: (event: KeyboardEvent) => latest.current[i]?.run(event) })),
    );
  }, [signature, group, enabled]);
}
