import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileTypeFromFile } from "file-type";
import { AppError } from "../../lib/app-error.ts";
import { sniffTextType } from "./file-safety.ts";

export type TStoredBlob = { sha256: string; sizeBytes: number; contentType: string };

const HEAD_BYTES = 4096;
const SHA256_RE = /^[0-9a-f]{64}$/;

export const payloadTooLarge = (maxBytes: number) =>
  new AppError(
    "payload_too_large",
    `A file is larger than the limit of ${Math.floor(maxBytes / (1024 * 1024))} MB`,
    413,
  );

/**
 * Content-addressed files on disk: <dir>/ab/cd/<sha256>. A file is written to a temporary name in
 * the same folder tree, hashed while it streams, then renamed into place, so readers never see a
 * half-written file and the same content is kept once however often it is uploaded.
 */
export function createAttachmentStore({ dir, maxBytes }: { dir: string; maxBytes: number }) {
  const tmpDir = path.join(dir, "tmp");
  const pathOf = (sha256: string) => {
    if (!SHA256_RE.test(sha256)) throw new Error("not a sha256 digest");
    return path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  async function save(content: Readable | Buffer): Promise<TStoredBlob> {
    await fs.promises.mkdir(tmpDir, { recursive: true });
    const tmpPath = path.join(tmpDir, `${randomUUID()}.part`);
    const hash = createHash("sha256");
    let size = 0;
    const heads: Buffer[] = [];
    let headSize = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(payloadTooLarge(maxBytes));
        hash.update(chunk);
        if (headSize < HEAD_BYTES) {
          heads.push(chunk.subarray(0, HEAD_BYTES - headSize));
          headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
        }
        done(null, chunk);
      },
    });
    const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
    try {
      await pipeline(source, meter, fs.createWriteStream(tmpPath, { flags: "wx" }));
      const sha256 = hash.digest("hex");
      const detected = await fileTypeFromFile(tmpPath);
      const head = Buffer.concat(heads);
      const contentType =
        detected?.mime === "application/xml" ? sniffTextType(head) : (detected?.mime ?? sniffTextType(head));
      const finalPath = pathOf(sha256);
      if (fs.existsSync(finalPath)) {
        await fs.promises.rm(tmpPath, { force: true });
      } else {
        await fs.promises.mkdir(path.dirname(finalPath), { recursive: true });
        await fs.promises.rename(tmpPath, finalPath);
      }
      return { sha256, sizeBytes: size, contentType };
    } catch (err) {
      await fs.promises.rm(tmpPath, { force: true });
      // Drain what is left of an upload so the request can still be answered.
      if (!Buffer.isBuffer(content) && !content.destroyed) content.resume();
      throw err;
    }
  }

  return {
    save,
    pathOf,
    /** Opens a stored file; null when it is missing on disk. */
    async open(sha256: string): Promise<{ stream: fs.ReadStream; size: number } | null> {
      const file = pathOf(sha256);
      try {
        const stat = await fs.promises.stat(file);
        return { stream: fs.createReadStream(file), size: stat.size };
      } catch {
        return null;
      }
    },
  };
}
export type TAttachmentStore = ReturnType<typeof createAttachmentStore>;
