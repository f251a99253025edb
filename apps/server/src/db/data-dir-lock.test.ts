import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { lockDataDir } from "./data-dir-lock.ts";

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "sb-lock-"));

test("a data folder held by a live process is refused with a clear message", async () => {
  const dir = tempDir();
  const holder = spawn("sleep", ["30"]);
  try {
    fs.writeFileSync(path.join(dir, "switchboard.lock"), String(holder.pid));
    assert.throws(() => lockDataDir(dir), /in use by another Switchboard process/);
  } finally {
    holder.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a lock left by a killed process is taken over at once, and released on close", () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, "switchboard.lock"), "999999999");
  const lock = lockDataDir(dir);
  assert.equal(fs.readFileSync(path.join(dir, "switchboard.lock"), "utf8"), String(process.pid));
  lock.release();
  assert.equal(fs.existsSync(path.join(dir, "switchboard.lock")), false);
  fs.rmSync(dir, { recursive: true, force: true });
});
