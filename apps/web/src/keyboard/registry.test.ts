import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { SHORTCUT_GROUPS, SHORTCUTS } from "./bindings.ts";
import { press } from "./fake-keydown.ts";
import {
  dispatchShortcut,
  helpSections,
  registeredShortcuts,
  registerShortcuts,
  SEQUENCE_TIMEOUT_MS,
} from "./registry.ts";

const cleanups: (() => void)[] = [];
const register = (...args: Parameters<typeof registerShortcuts>) => {
  cleanups.push(registerShortcuts(...args));
  return cleanups.at(-1) as () => void;
};
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

test("a key runs its shortcut and is kept from the browser; other keys pass", () => {
  const ran: string[] = [];
  register(SHORTCUT_GROUPS.ticket, [{ ...SHORTCUTS.reply, run: () => void ran.push("reply") }]);
  const r = press({ key: "r", code: "KeyR" });
  assert.ok(dispatchShortcut(r));
  assert.ok(r.defaultPrevented);
  const x = press({ key: "x", code: "KeyX" });
  assert.ok(!dispatchShortcut(x));
  assert.ok(!x.defaultPrevented);
  assert.deepEqual(ran, ["reply"]);
});

test("the latest registration wins; one answering false hands the key on", () => {
  const ran: string[] = [];
  register(SHORTCUT_GROUPS.list, [{ ...SHORTCUTS.next, run: () => void ran.push("list") }]);
  const unregister = register(SHORTCUT_GROUPS.ticket, [
    { ...SHORTCUTS.next, run: () => void ran.push("ticket") },
  ]);
  dispatchShortcut(press({ key: "j", code: "KeyJ" }));
  unregister();
  dispatchShortcut(press({ key: "j", code: "KeyJ" }));
  register(SHORTCUT_GROUPS.ticket, [{ ...SHORTCUTS.next, run: () => false }]);
  dispatchShortcut(press({ key: "j", code: "KeyJ" }));
  assert.deepEqual(ran, ["ticket", "list", "list"]);
});

test("g then v is a sequence, within its time; g alone runs nothing and s alone is its own shortcut", () => {
  const ran: string[] = [];
  register(SHORTCUT_GROUPS.general, [
    { ...SHORTCUTS.goViews, run: () => void ran.push("views") },
    { ...SHORTCUTS.goSearch, run: () => void ran.push("search") },
  ]);
  register(SHORTCUT_GROUPS.ticket, [{ ...SHORTCUTS.solve, run: () => void ran.push("solve") }]);
  const t = 1_000_000;
  dispatchShortcut(press({ key: "g", code: "KeyG" }), t);
  dispatchShortcut(press({ key: "Shift" }), t + 10); // a modifier alone does not break it
  dispatchShortcut(press({ key: "v", code: "KeyV" }), t + 100);
  dispatchShortcut(press({ key: "g", code: "KeyG" }), t + 200);
  dispatchShortcut(press({ key: "s", code: "KeyS" }), t + 300);
  dispatchShortcut(press({ key: "s", code: "KeyS" }), t + 400);
  dispatchShortcut(press({ key: "g", code: "KeyG" }), t + 500);
  dispatchShortcut(press({ key: "v", code: "KeyV" }), t + 500 + SEQUENCE_TIMEOUT_MS + 1);
  dispatchShortcut(press({ key: "g", code: "KeyG" }), t + 5000);
  dispatchShortcut(press({ key: "s", code: "KeyS" }), t + 5100);
  assert.deepEqual(ran, ["views", "search", "solve", "search"]);
});

test("a sequence broken by another key reads that key on its own", () => {
  const ran: string[] = [];
  register(SHORTCUT_GROUPS.general, [
    { ...SHORTCUTS.goViews, run: () => void ran.push("views") },
    { ...SHORTCUTS.help, run: () => void ran.push("help") },
  ]);
  dispatchShortcut(press({ key: "g", code: "KeyG" }), 0);
  dispatchShortcut(press({ key: "?", code: "Slash", shift: true }), 10);
  assert.deepEqual(ran, ["help"]);
});

test("keys being composed (IME), and keys another handler took, are left alone", () => {
  let runs = 0;
  register(SHORTCUT_GROUPS.general, [{ ...SHORTCUTS.help, run: () => void runs++ }]);
  const composing = press({ key: "?", code: "Slash" });
  Object.defineProperty(composing, "isComposing", { value: true });
  assert.ok(!dispatchShortcut(composing));
  const taken = press({ key: "?", code: "Slash" });
  taken.preventDefault();
  assert.ok(!dispatchShortcut(taken));
  assert.equal(runs, 0);
});

test("the help lists each group once, standard groups and bindings in order, the latest of equal keys", () => {
  const noop = () => undefined;
  register("shortcut.group.ticket", [
    { ...SHORTCUTS.send, run: noop },
    { ...SHORTCUTS.reply, run: noop },
  ]);
  register(SHORTCUT_GROUPS.general, [
    { ...SHORTCUTS.goSearch, run: noop },
    { ...SHORTCUTS.focusSearch, run: noop },
  ]);
  register(SHORTCUT_GROUPS.general, [
    { ...SHORTCUTS.help, run: noop },
    { keys: "g s", label: "shortcut.goViews", run: noop },
  ]);
  assert.deepEqual(helpSections(registeredShortcuts()), [
    {
      group: "shortcut.group.general",
      shortcuts: [
        { keys: "/", label: "shortcut.focusSearch" },
        { keys: "?", label: "shortcut.help" },
        { keys: "g s", label: "shortcut.goViews" },
      ],
    },
    {
      group: "shortcut.group.ticket",
      shortcuts: [
        { keys: "r", label: "shortcut.reply" },
        { keys: "mod+Enter", label: "shortcut.send" },
      ],
    },
  ]);
});

test("taking shortcuts away empties the registry", () => {
  const unregister = register(SHORTCUT_GROUPS.general, [{ ...SHORTCUTS.help, run: () => undefined }]);
  assert.equal(registeredShortcuts().length, 1);
  unregister();
  assert.equal(registeredShortcuts().length, 0);
});
