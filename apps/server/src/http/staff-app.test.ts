import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import Fastify from "fastify";
import { registerStaffApp } from "./staff-app.ts";

const built = fs.mkdtempSync(path.join(os.tmpdir(), "sb-web-"));
fs.mkdirSync(path.join(built, "assets"));
fs.writeFileSync(path.join(built, "index.html"), "<!doctype html><title>app</title>");
fs.writeFileSync(path.join(built, "assets", "index-abc.js"), "console.log(1)");
after(() => fs.rmSync(built, { recursive: true, force: true }));

async function appWith(dir: string) {
  const app = Fastify();
  await registerStaffApp(app, dir);
  return app;
}

test("the app's own routes get index.html with a strict CSP, not cached", async () => {
  const app = await appWith(built);
  for (const url of ["/app", "/app/", "/app/views/mine", "/app/tickets/1042"]) {
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.match(res.body, /<title>app<\/title>/);
    assert.match(String(res.headers["content-security-policy"]), /script-src 'self';/);
    // Brand logos (https, on the shops' sites) show in the admin section; plain http never does.
    assert.match(String(res.headers["content-security-policy"]), /img-src 'self' data: https:;/);
    assert.equal(res.headers["cache-control"], "no-cache");
  }
});

test("hashed assets are served for a year; nothing outside the build is", async () => {
  const app = await appWith(built);
  const js = await app.inject({ url: "/app/assets/index-abc.js" });
  assert.equal(js.statusCode, 200);
  assert.match(String(js.headers["content-type"]), /javascript/);
  assert.match(String(js.headers["cache-control"]), /immutable/);
  // Only files of the build are routes; any other path under /app is the app's, so it gets index.html.
  const outside = await app.inject({ url: "/app/assets/..%2f..%2f..%2fetc%2fpasswd" });
  assert.match(outside.body, /<title>app<\/title>/);
});

test("without a build, /app says how to make one", async () => {
  const app = await appWith(path.join(built, "missing"));
  const res = await app.inject({ url: "/app/" });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /npm run build -w @switchboard\/web/);
});
