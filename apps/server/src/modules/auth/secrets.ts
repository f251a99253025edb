import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const newSecret = (bytes = 32): string => randomBytes(bytes).toString("base64url");
export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");

export function secretMatches(secret: string, expectedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), "hex");
  const b = Buffer.from(expectedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

const compact = (uuid: string) => uuid.replace(/-/g, "");
const expand = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/**
 * Credentials carry their workspace and row id, so they are looked up inside one workspace, and
 * a secret that is only ever stored hashed: `<prefix>_<workspace><id>_<secret>`.
 */
export const formatCredential = (prefix: string, workspaceId: string, id: string, secret: string): string =>
  `${prefix}_${compact(workspaceId)}${compact(id)}_${secret}`;

export function parseCredential(
  prefix: string,
  value: string,
): { workspaceId: string; id: string; secret: string } | null {
  const match = new RegExp(`^${prefix}_([0-9a-f]{64})_([A-Za-z0-9_-]{20,200})$`).exec(value);
  if (!match?.[1] || !match[2]) return null;
  return { workspaceId: expand(match[1].slice(0, 32)), id: expand(match[1].slice(32)), secret: match[2] };
}
