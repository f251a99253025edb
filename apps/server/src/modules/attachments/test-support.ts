import { randomBytes } from "node:crypto";
import type { TServices } from "../../app.ts";
import type { TActor } from "../../lib/actor.ts";

/** A ticket opened through the tickets service by someone who may work in the brand. */
export async function createTestTicket(services: TServices, actor: TActor, brandId: string): Promise<string> {
  const ticket = await services.tickets.createTicket(actor, {
    brandId,
    subject: "Where is my order?",
    requester: { email: `c-${randomBytes(4).toString("hex")}@shop.test`, name: "Cara" },
    message: { body: "It has not arrived." },
    channel: "web",
  });
  return ticket.id;
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
