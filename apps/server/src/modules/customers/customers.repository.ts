import type { TDb } from "../../db/connection.ts";
import { newId } from "../../lib/ids.ts";
import { foldForSearch } from "../../lib/search-text.ts";

export type TIdentityInput = { kind: "email" | "phone"; value: string };

/** Emails compare case-insensitively; phone numbers by digits with an optional leading +. */
export function normalizeIdentity(identity: TIdentityInput): TIdentityInput {
  if (identity.kind === "email") return { kind: "email", value: identity.value.trim().toLowerCase() };
  const trimmed = identity.value.trim();
  return { kind: "phone", value: (trimmed.startsWith("+") ? "+" : "") + trimmed.replace(/\D/g, "") };
}

export const customerSearchText = (name: string, identities: TIdentityInput[]) =>
  foldForSearch([name, ...identities.map((i) => i.value)].join(" "));

export const findIdentity = (db: TDb, workspaceId: string, brandId: string, identity: TIdentityInput) =>
  db
    .selectFrom("customer_identities")
    .select(["customer_id"])
    .where("workspace_id", "=", workspaceId)
    .where("brand_id", "=", brandId)
    .where("kind", "=", identity.kind)
    .where("value", "=", identity.value)
    .executeTakeFirst();

/**
 * The customer with this identity in the brand, created if there is none. Safe under concurrency:
 * the identity's unique key decides the winner, and a loser removes its own unused row.
 * Call it inside the caller's transaction.
 */
export async function findOrCreateCustomer(
  trx: TDb,
  workspaceId: string,
  brandId: string,
  input: { identity: TIdentityInput; name?: string | undefined; locale?: string | undefined },
  now: Date,
): Promise<{ id: string; created: boolean }> {
  const identity = normalizeIdentity(input.identity);
  const existing = await findIdentity(trx, workspaceId, brandId, identity);
  if (existing) return { id: existing.customer_id, created: false };
  const id = newId();
  const name = input.name?.trim() ?? "";
  await trx
    .insertInto("customers")
    .values({
      workspace_id: workspaceId,
      id,
      brand_id: brandId,
      name,
      locale: input.locale ?? null,
      merged_into_id: null,
      search_text: customerSearchText(name, [identity]),
      created_at: now,
      updated_at: now,
    })
    .execute();
  const inserted = await trx
    .insertInto("customer_identities")
    .values({
      workspace_id: workspaceId,
      id: newId(),
      customer_id: id,
      brand_id: brandId,
      kind: identity.kind,
      value: identity.value,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(["workspace_id", "brand_id", "kind", "value"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { id, created: true };
  await trx.deleteFrom("customers").where("workspace_id", "=", workspaceId).where("id", "=", id).execute();
  const winner = await findIdentity(trx, workspaceId, brandId, identity);
  if (!winner) throw new Error("customer identity vanished during find-or-create");
  return { id: winner.customer_id, created: false };
}
