import fs from "node:fs";
import path from "node:path";
import { AppError } from "../lib/app-error.ts";

export type TDataDirLock = { release(): void };

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * PGlite has no lock of its own: two processes on one folder lose writes. A pid file taken with
 * O_EXCL refuses a second process, and a lock left by a killed process is taken over at once
 * (a time-based stale lock would make a crashed server wait before it may restart).
 */
export function lockDataDir(dataDir: string): TDataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "switchboard.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return {
        release: () => {
          if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = readPid(file);
      if (holder !== null && holder !== process.pid && isAlive(holder)) {
        throw new AppError(
          "data_dir_locked",
          `The data folder ${dataDir} is in use by another Switchboard process (pid ${holder}). ` +
            "Stop it first, or set SWITCHBOARD_DATA_DIR to another folder, or use DATABASE_URL for PostgreSQL.",
          500,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new AppError("data_dir_locked", `Could not lock the data folder ${dataDir}`, 500);
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, "utf8"), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
