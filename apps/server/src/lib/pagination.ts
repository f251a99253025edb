import type { ZPageQuery } from "@switchboard/contracts";
import { z } from "zod";
import { badRequest } from "./app-error.ts";

/** Keyset cursor over (timestamp, id): stable while rows are inserted, opaque to clients. */
export type TCursor = { at: string; id: string };

export type TPageQuery = z.infer<typeof ZPageQuery>;

export const encodeCursor = (at: Date, id: string): string =>
  Buffer.from(JSON.stringify({ at: at.toISOString(), id })).toString("base64url");

const ZCursor = z.object({ at: z.iso.datetime(), id: z.uuid() });

export function decodeCursor(cursor: string | undefined): TCursor | undefined {
  if (!cursor) return undefined;
  try {
    return ZCursor.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw badRequest("invalid_cursor", "The cursor is not valid; start again from the first page");
  }
}

/** Given limit+1 rows, returns the page and the cursor of the next one. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  key: (row: R) => { at: Date; id: string },
  map: (row: R) => T,
): { items: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(key(last).at, key(last).id) : null;
  return { items: page.map(map), nextCursor };
}

/** Cursor for lists ordered by name, then id. */
export const encodeNameCursor = (name: string, id: string): string =>
  Buffer.from(JSON.stringify({ name, id })).toString("base64url");

const ZNameCursor = z.object({ name: z.string(), id: z.uuid() });

export function decodeNameCursor(cursor: string | undefined): { name: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    return ZNameCursor.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw badRequest("invalid_cursor", "The cursor is not valid; start again from the first page");
  }
}
