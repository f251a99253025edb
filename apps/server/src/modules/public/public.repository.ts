import type { TDb } from "../../db/connection.ts";

/** The categories a customer may choose on the contact form. */
export const listOpenCategories = (db: TDb, workspaceId: string) =>
  db
    .selectFrom("categories")
    .select(["key", "name"])
    .where("workspace_id", "=", workspaceId)
    .where("archived", "=", false)
    .orderBy("position")
    .orderBy("name")
    .execute();

/** Tickets requested since `since` by whoever has this email address in the brand. */
export async function countRecentTicketsByEmail(
  db: TDb,
  workspaceId: string,
  brandId: string,
  email: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom("tickets")
    .innerJoin("customer_identities", (j) =>
      j
        .onRef("customer_identities.workspace_id", "=", "tickets.workspace_id")
        .onRef("customer_identities.customer_id", "=", "tickets.requester_id"),
    )
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("tickets.workspace_id", "=", workspaceId)
    .where("customer_identities.brand_id", "=", brandId)
    .where("customer_identities.kind", "=", "email")
    .where("customer_identities.value", "=", email.trim().toLowerCase())
    .where("tickets.created_at", ">=", since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
