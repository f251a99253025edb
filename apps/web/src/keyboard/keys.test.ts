import assert from "node:assert/strict";
import { test } from "node:test";
import { press } from "./fake-keydown.ts";
import { firesWhileTyping, keyCaps, matchesChord } from "./keys.ts";

test("a letter matches itself, without modifiers, in either case (Caps Lock)", () => {
  assert.ok(matchesChord("r", press({ key: "r", code: "KeyR" })));
  assert.ok(matchesChord("r", press({ key: "R", code: "KeyR" })));
  assert.ok(!matchesChord("r", press({ key: "r", code: "KeyR", ctrl: true })), "Ctrl+R is the browser's");
  assert.ok(!matchesChord("r", press({ key: "t", code: "KeyT" })));
});

test("a symbol matches with or without Shift, as each layout types it", () => {
  assert.ok(matchesChord("?", press({ key: "?", code: "Slash", shift: true })), "English: Shift+/");
  assert.ok(matchesChord("?", press({ key: "?", code: "Minus", shift: true })), "German: Shift+ß");
  assert.ok(matchesChord("/", press({ key: "/", code: "Slash" })));
  assert.ok(matchesChord("/", press({ key: "/", code: "Digit7", shift: true })), "German: Shift+7");
  assert.ok(matchesChord("?", press({ key: "؟", code: "Slash", shift: true })), "Persian question mark");
  assert.ok(!matchesChord("?", press({ key: "/", code: "Slash" })));
});

test("on a Persian or Bulgarian layout a letter shortcut follows the physical key", () => {
  assert.ok(matchesChord("r", press({ key: "ق", code: "KeyR" })));
  assert.ok(matchesChord("j", press({ key: "т", code: "KeyJ" })));
  assert.ok(!matchesChord("r", press({ key: "ق", code: "KeyR", ctrl: true })));
  assert.ok(!matchesChord("r", press({ key: "ш", code: "KeyT" })));
});

test("mod is Ctrl or ⌘; named keys by name", () => {
  assert.ok(matchesChord("mod+Enter", press({ key: "Enter", code: "Enter", ctrl: true })));
  assert.ok(matchesChord("mod+Enter", press({ key: "Enter", code: "Enter", meta: true })));
  assert.ok(!matchesChord("mod+Enter", press({ key: "Enter", code: "Enter" })));
  assert.ok(matchesChord("Enter", press({ key: "Enter", code: "Enter" })));
  assert.ok(matchesChord("Escape", press({ key: "Escape", code: "Escape" })));
});

test("only Escape and chords with Ctrl, ⌘ or Alt apply while typing", () => {
  assert.ok(firesWhileTyping("Escape"));
  assert.ok(firesWhileTyping("mod+Enter"));
  assert.ok(firesWhileTyping("alt+n"));
  assert.ok(!firesWhileTyping("r"));
  assert.ok(!firesWhileTyping("?"));
  assert.ok(!firesWhileTyping("shift+a"));
  assert.ok(!firesWhileTyping("g v"));
});

test("keys are printed as on the keyboard: ⌘ on Apple, Ctrl elsewhere", () => {
  assert.deepEqual(keyCaps("mod+Enter", false), [["Ctrl", "Enter"]]);
  assert.deepEqual(keyCaps("mod+Enter", true), [["⌘", "Return"]]);
  assert.deepEqual(keyCaps("g v", false), [["g"], ["v"]]);
  assert.deepEqual(keyCaps("?", false), [["?"]]);
  assert.deepEqual(keyCaps("Escape", false), [["Esc"]]);
});
