import { randomBytes } from "node:crypto";
import type { TDb } from "../../db/connection.ts";
import { newId } from "../../lib/ids.ts";
import { findOrCreateCustomer } from "../customers/index.ts";

/** A ticket row inserted directly, for tests of modules that only need one to exist. */
export async function insertTestTicket(
  db: TDb,
  workspaceId: string,
  brandId: string,
  subject = "Where is my order?",
): Promise<string> {
  const now = new Date();
  const customer = await findOrCreateCustomer(
    db,
    workspaceId,
    brandId,
    { identity: { kind: "email", value: `c-${randomBytes(4).toString("hex")}@shop.test` }, name: "Cara" },
    now,
  );
  const id = newId();
  await db
    .insertInto("tickets")
    .values({
      workspace_id: workspaceId,
      id,
      brand_id: brandId,
      number: 100_000 + Math.floor(Math.random() * 900_000),
      subject,
      channel: "web",
      requester_id: customer.id,
      custom_fields: "{}",
      public_token_hash: randomBytes(16).toString("hex"),
      last_message_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export type TPart = { name: string; filename?: string; contentType?: string; content: string | Buffer };

/** A multipart/form-data body for app.inject. */
export function multipartBody(parts: TPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----sb${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}`;
    const type =
      p.filename !== undefined ? `\r\nContent-Type: ${p.contentType ?? "application/octet-stream"}` : "";
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}
