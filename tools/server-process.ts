import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** Starts Switchboard (`apps/server/src/main.ts`) as its own process, as `npm start` would, for benches and browser tests. */
const ROOT = path.resolve(import.meta.dirname, "..");
const START_TIMEOUT_MS = 60_000;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

export type TServerProcess = { url: string; stop(): Promise<void> };

/** A fresh data folder, a free port, and the server answering /healthz. `env` is added to this process's. */
export async function startServerProcess(
  opts: { env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<TServerProcess> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-server-"));
  const child: ChildProcess = spawn(
    path.join(ROOT, "node_modules/.bin/tsx"),
    [...(opts.nodeArgs ?? []), "apps/server/src/main.ts"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        SWITCHBOARD_DATA_DIR: dataDir,
        DATABASE_URL: "",
        ...opts.env,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer ${url}/healthz within a minute`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
