import type { TMessageKey } from "../i18n/messages.ts";
import { SHORTCUT_GROUPS, SHORTCUTS } from "./bindings.ts";
import {
  chordsOf,
  firesWhileTyping,
  isInModal,
  isTypingTarget,
  MODIFIER_KEYS,
  matchesChord,
} from "./keys.ts";

/**
 * What a shortcut does. It may answer `false` for "not now" (nothing to move to, no composer): the key
 * then goes on to an earlier shortcut on the same keys, or to the browser. Any other answer (none, a
 * promise) means it took the key.
 */
export type TShortcutRun = (event: KeyboardEvent) => unknown;

export type TShortcut = {
  keys: string;
  label: TMessageKey;
  run: TShortcutRun;
  /** Whether it applies in a text field; by default only Escape and chords with Ctrl, ⌘ or Alt do. */
  whileTyping?: boolean;
};

export type TRegistered = {
  id: number;
  group: TMessageKey;
  keys: string;
  label: TMessageKey;
  chords: string[];
  whileTyping: boolean;
  run: TShortcutRun;
};

/** The shortcuts of everything on screen, in the order they were registered. */
let entries: readonly TRegistered[] = [];
const listeners = new Set<() => void>();
let nextId = 1;
/** A sequence under way: the shortcuts its keys so far could still be, and the next chord's index. */
let pending: { candidates: TRegistered[]; index: number; until: number } | null = null;

const changed = () => {
  for (const listener of listeners) listener();
};

/** Adds a feature's shortcuts; the returned function takes them away again (on unmount). */
export function registerShortcuts(group: TMessageKey, shortcuts: readonly TShortcut[]): () => void {
  const added = shortcuts.map(
    (s): TRegistered => ({
      id: nextId++,
      group,
      keys: s.keys,
      label: s.label,
      chords: chordsOf(s.keys),
      whileTyping: s.whileTyping ?? firesWhileTyping(s.keys),
      run: s.run,
    }),
  );
  entries = [...entries, ...added];
  changed();
  return () => {
    entries = entries.filter((e) => !added.includes(e));
    pending = null;
    changed();
  };
}

/** For useSyncExternalStore: the help overlay re-renders when shortcuts come and go. */
export const subscribeShortcuts = (listener: () => void) => {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
};
export const registeredShortcuts = () => entries;

/** How long the second key of a sequence ("g", then "v") is waited for. */
export const SEQUENCE_TIMEOUT_MS = 1500;

function runFirst(matched: TRegistered[], event: KeyboardEvent): boolean {
  for (const entry of matched) {
    if (entry.run(event) !== false) {
      event.preventDefault();
      return true;
    }
  }
  return false;
}

/**
 * The one keydown listener (on the document, so a component that handled the key first, a combobox's
 * Enter say, has already prevented its default and is left alone). The latest registration wins, so a
 * page opened over another takes its keys. Answers whether a shortcut took the key.
 */
export function dispatchShortcut(event: KeyboardEvent, now = Date.now()): boolean {
  if (event.defaultPrevented || event.isComposing || MODIFIER_KEYS.has(event.key)) return false;
  if (isInModal(event.target)) {
    pending = null;
    return false;
  }
  if (pending && now <= pending.until) {
    const index = pending.index;
    const matched = pending.candidates.filter((e) => matchesChord(e.chords[index] ?? "", event));
    pending = null;
    const complete = matched.filter((e) => e.chords.length === index + 1);
    if (complete.length > 0) return runFirst(complete, event);
    if (matched.length > 0) {
      pending = { candidates: matched, index: index + 1, until: now + SEQUENCE_TIMEOUT_MS };
      event.preventDefault();
      return true;
    }
    // The sequence broke off: this key is read on its own.
  }
  pending = null;
  const typing = isTypingTarget(event.target);
  const starting = [...entries]
    .reverse()
    .filter((e) => (!typing || e.whileTyping) && matchesChord(e.chords[0] ?? "", event));
  // A key that begins a sequence waits for the next one rather than running a shortcut of its own.
  const sequences = starting.filter((e) => e.chords.length > 1);
  if (sequences.length > 0) {
    pending = { candidates: sequences, index: 1, until: now + SEQUENCE_TIMEOUT_MS };
    return true;
  }
  return runFirst(starting, event);
}

export type THelpSection = { group: TMessageKey; shortcuts: { keys: string; label: TMessageKey }[] };

const STANDARD_ORDER: readonly string[] = Object.values(SHORTCUTS).map((s) => `${s.keys}\n${s.label}`);
const GROUP_ORDER: readonly string[] = Object.values(SHORTCUT_GROUPS);
const rank = (order: readonly string[], value: string) => {
  const i = order.indexOf(value);
  return i === -1 ? order.length : i;
};

/**
 * The help overlay's sections: the standard groups first, each shortcut once (by group and keys: the
 * one that would run), standard bindings in SHORTCUTS' order, then the others as registered.
 */
export function helpSections(registered: readonly TRegistered[]): THelpSection[] {
  const byGroup = new Map<TMessageKey, Map<string, TRegistered>>();
  for (const entry of registered) {
    const group = byGroup.get(entry.group) ?? new Map<string, TRegistered>();
    group.delete(entry.keys); // the later registration wins, and takes the later place
    group.set(entry.keys, entry);
    byGroup.set(entry.group, group);
  }
  return [...byGroup.entries()]
    .map(([group, shortcuts], i) => ({ group, i, shortcuts: [...shortcuts.values()] }))
    .sort((a, b) => rank(GROUP_ORDER, a.group) - rank(GROUP_ORDER, b.group) || a.i - b.i)
    .map(({ group, shortcuts }) => ({
      group,
      shortcuts: shortcuts
        .map((s, i) => ({ s, i }))
        .sort(
          (a, b) =>
            rank(STANDARD_ORDER, `${a.s.keys}\n${a.s.label}`) -
              rank(STANDARD_ORDER, `${b.s.keys}\n${b.s.label}`) || a.i - b.i,
        )
        .map(({ s }) => ({ keys: s.keys, label: s.label })),
    }));
}
