import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { TTicketStatus } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { foldForSearch } from "../../lib/search-text.ts";

/**
 * Test-only: writes a ticket row the way the tickets module does (search_text = folded subject and
 * thread text), so customer and search tests do not depend on that module.
 */
export async function insertTestTicket(
  db: TDb,
  workspaceId: string,
  t: {
    brandId: string;
    requesterId: string;
    subject: string;
    body?: string;
    status?: TTicketStatus;
    number?: number;
    isSpam?: boolean;
    deleted?: boolean;
    mergedIntoId?: string;
    updatedAt?: Date;
  },
): Promise<{ id: string; number: number }> {
  const id = newId();
  const number =
    t.number ??
    (
      await sql<{ n: string }>`SELECT coalesce(max(number), 1000) + 1 AS n FROM tickets
        WHERE workspace_id = ${workspaceId}`.execute(db)
    ).rows[0]?.n;
  const at = t.updatedAt ?? new Date();
  await db
    .insertInto("tickets")
    .values({
      workspace_id: workspaceId,
      id,
      brand_id: t.brandId,
      number: Number(number),
      subject: t.subject,
      status: t.status ?? "open",
      channel: "email",
      requester_id: t.requesterId,
      custom_fields: "{}",
      is_spam: t.isSpam ?? false,
      deleted_at: t.deleted ? at : null,
      merged_into_id: t.mergedIntoId ?? null,
      public_token_hash: randomBytes(16).toString("hex"),
      search_text: foldForSearch(`${t.subject} ${t.body ?? ""}`),
      last_message_at: at,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return { id, number: Number(number) };
}
