import { getHotkeyHandler } from "@mantine/hooks";

/** "g v" → ["g", "v"]; "mod+Enter" → ["mod+Enter"]. */
export const chordsOf = (keys: string): string[] => keys.trim().split(/\s+/);

const MODIFIERS = ["alt", "ctrl", "meta", "mod", "shift"];
const partsOf = (chord: string) => chord.split("+").map((p) => p.trim().toLowerCase());
const keyOf = (chord: string) => partsOf(chord).find((p) => !MODIFIERS.includes(p)) ?? "";

/** A printable symbol ("?", "/"): which modifier types it depends on the layout, so Shift is not part of it. */
const isSymbol = (key: string) => key.length === 1 && !/[\p{L}\p{N}]/u.test(key);

/** The same key as typed on other layouts: the Persian keyboard's question mark for "?". */
const SAME_KEY: Record<string, string[]> = { "?": ["؟"] };

/** Mantine's matcher (modifiers exact, `mod` = Ctrl or ⌘, key names like Enter), for one hotkey. */
function mantineMatches(hotkey: string, event: KeyboardEvent, usePhysicalKeys: boolean): boolean {
  let hit = false;
  getHotkeyHandler([
    [
      hotkey,
      () => {
        hit = true;
      },
      { preventDefault: false, usePhysicalKeys },
    ],
  ])(event);
  return hit;
}

/**
 * Whether a key press is this chord. Beyond Mantine's rule: a symbol matches with or without Shift
 * ("?" is Shift+/ in English, Shift+ß in German), and on a non-Latin layout (Persian, Bulgarian) a
 * letter shortcut follows the physical key, so "r" works where that key types "ق" or "р".
 */
export function matchesChord(chord: string, event: KeyboardEvent): boolean {
  const key = keyOf(chord);
  const modifiers = partsOf(chord).filter((p) => MODIFIERS.includes(p));
  const hotkeys = [key, ...(SAME_KEY[key] ?? [])].map((k) => [...modifiers, k].join("+"));
  if (isSymbol(key) && !modifiers.includes("shift")) hotkeys.push(...hotkeys.map((h) => `shift+${h}`));
  if (hotkeys.some((h) => mantineMatches(h, event, false))) return true;
  const nonLatinLayout = event.key.length === 1 && event.key.charCodeAt(0) > 0x7f;
  return nonLatinLayout && mantineMatches(chord, event, true);
}

const NOT_TEXT_INPUTS = new Set([
  "checkbox",
  "radio",
  "button",
  "submit",
  "reset",
  "range",
  "color",
  "file",
  "image",
]);

/** A text field, text area, select or rich-text editor: keys there are typing, not shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  // Guarded so the rules can be tested in Node, which has no DOM.
  if (typeof HTMLElement === "undefined" || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !NOT_TEXT_INPUTS.has(target.type);
}

/** Inside an open modal dialog, whose own keys (Escape, Tab) are the only ones that apply. */
export function isInModal(target: EventTarget | null): boolean {
  if (typeof Element === "undefined" || !(target instanceof Element)) return false;
  return target.closest('[aria-modal="true"]') !== null;
}

/**
 * Whether a shortcut applies while the agent types, unless it says otherwise: Escape and chords with
 * Ctrl, ⌘ or Alt (mod+Enter to send) do; a plain letter or symbol would be text.
 */
export function firesWhileTyping(keys: string): boolean {
  const chords = chordsOf(keys);
  if (chords.length !== 1) return false;
  const parts = partsOf(chords[0] ?? "");
  return (
    parts.some((p) => ["alt", "ctrl", "meta", "mod"].includes(p)) || ["escape", "esc"].includes(keyOf(keys))
  );
}

/** Keys that only modify another: pressing them alone neither runs nor breaks a shortcut. */
export const MODIFIER_KEYS = new Set(["Shift", "Control", "Alt", "Meta", "AltGraph", "CapsLock", "OS"]);

const CAPS: Record<string, [apple: string, other: string]> = {
  mod: ["⌘", "Ctrl"],
  ctrl: ["⌃", "Ctrl"],
  meta: ["⌘", "Meta"],
  alt: ["⌥", "Alt"],
  shift: ["⇧", "Shift"],
  escape: ["Esc", "Esc"],
  esc: ["Esc", "Esc"],
  enter: ["Return", "Enter"],
  space: ["Space", "Space"],
  arrowup: ["↑", "↑"],
  arrowdown: ["↓", "↓"],
  arrowleft: ["←", "←"],
  arrowright: ["→", "→"],
};

/** What is printed on the keys: "g v" → [["g"], ["v"]], "mod+Enter" → [["Ctrl", "Enter"]] (⌘ on Apple). */
export function keyCaps(keys: string, apple: boolean): string[][] {
  return chordsOf(keys).map((chord) =>
    chord.split("+").map((part) => {
      const caps = CAPS[part.trim().toLowerCase()];
      return caps ? caps[apple ? 0 : 1] : part.trim();
    }),
  );
}

/** An Apple keyboard, where `mod` is ⌘. */
export const isApple = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.userAgent);
