import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where `npm run build -w @switchboard/web` writes the staff app. */
export const STAFF_APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/dist");

// The app loads nothing from elsewhere but images; Mantine sets style attributes, hence 'unsafe-inline' for
// styles only. Brand logos are https URLs on the shops' own sites (admins preview them), so images may come
// from any https origin; remote images in mail stay held back by the sanitizer (data-remote-src).
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

/**
 * The staff app at /app: its built files, and index.html for every other path under /app, so the
 * app's own routes survive a reload. Hashed assets are cached for a year; index.html is not cached.
 */
export async function registerStaffApp(app: FastifyInstance, dir = STAFF_APP_DIR): Promise<void> {
  const index = path.join(dir, "index.html");
  if (!fs.existsSync(index)) {
    app.get("/app*", { schema: { hide: true } }, async (_req, reply) =>
      reply
        .status(503)
        .type("text/plain; charset=utf-8")
        .send("The staff app is not built: run `npm run build -w @switchboard/web`, then restart.\n"),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: "/app/",
    wildcard: false,
    index: false,
    setHeaders(res, filePath) {
      res.header("content-security-policy", CSP);
      res.header(
        "cache-control",
        filePath.includes(`${path.sep}assets${path.sep}`)
          ? "public, max-age=31536000, immutable"
          : "no-cache",
      );
    },
  });
  const sendIndex = async (_req: FastifyRequest, reply: FastifyReply) =>
    reply
      .header("content-security-policy", CSP)
      .header("cache-control", "no-cache")
      .type("text/html; charset=utf-8")
      .send(await fs.promises.readFile(index));
  app.get("/app", { schema: { hide: true } }, sendIndex);
  app.get("/app/*", { schema: { hide: true } }, sendIndex);
}
