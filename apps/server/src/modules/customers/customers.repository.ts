import { type Insertable, sql, type Updateable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { CustomersTable } from "../../db/schema.ts";
import { notFound } from "../../lib/app-error.ts";
import { newId } from "../../lib/ids.ts";
import { foldForSearch } from "../../lib/search-text.ts";

export type TIdentityInput = { kind: "email" | "phone"; value: string };

/** Emails compare case-insensitively; phone numbers by digits with an optional leading +. */
export function normalizeIdentity(identity: TIdentityInput): TIdentityInput {
  if (identity.kind === "email") return { kind: "email", value: identity.value.trim().toLowerCase() };
  const trimmed = identity.value.trim();
  return { kind: "phone", value: (trimmed.startsWith("+") ? "+" : "") + trimmed.replace(/\D/g, "") };
}

/**
 * What customer search matches: the name, each identity verbatim, and the pieces a person types
 * (the words of an email address, a phone number's digits without the +), because PostgreSQL's
 * parser keeps "ana.pop@shop.ro" and "+40721..." as single lexemes.
 */
export const customerSearchText = (name: string, identities: TIdentityInput[]) =>
  foldForSearch(
    [
      name,
      ...identities.flatMap((i) =>
        i.kind === "email"
          ? [i.value, i.value.replace(/[^\p{L}\p{N}]+/gu, " ")]
          : [i.value, i.value.replace(/\D/g, "")],
      ),
    ].join(" "),
  );

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

export type TEmailContact = { brandId: string; email: string; name: string; locale: string | null };

/**
 * findOrCreateCustomer for many email addresses at once, in a few statements whatever their number
 * (inbound mail is processed in batches). Returns the customer and their locale by "brandId email";
 * emails are expected normalised.
 */
export async function findOrCreateEmailCustomers(
  trx: TDb,
  workspaceId: string,
  contacts: TEmailContact[],
  now: Date,
): Promise<Map<string, { id: string; locale: string | null }>> {
  const keyOf = (brandId: string, email: string) => `${brandId} ${email}`;
  const brandIds = [...new Set(contacts.map((c) => c.brandId))];
  const find = async (emails: string[]) =>
    emails.length === 0
      ? []
      : trx
          .selectFrom("customer_identities as ci")
          .innerJoin("customers as c", (j) =>
            j.onRef("c.workspace_id", "=", "ci.workspace_id").onRef("c.id", "=", "ci.customer_id"),
          )
          .select(["ci.brand_id", "ci.value", "ci.customer_id", "c.locale"])
          .where("ci.workspace_id", "=", workspaceId)
          .where("ci.brand_id", "in", brandIds)
          .where("ci.kind", "=", "email")
          .where("ci.value", "in", emails)
          .execute();
  const found = new Map<string, { id: string; locale: string | null }>();
  const remember = (rows: Awaited<ReturnType<typeof find>>) => {
    for (const r of rows) found.set(keyOf(r.brand_id, r.value), { id: r.customer_id, locale: r.locale });
  };
  remember(await find([...new Set(contacts.map((c) => c.email))]));
  const missing = new Map<string, TEmailContact & { id: string }>();
  for (const c of contacts) {
    const key = keyOf(c.brandId, c.email);
    if (!found.has(key) && !missing.has(key)) missing.set(key, { ...c, id: newId() });
  }
  if (missing.size === 0) return found;
  const created = [...missing.values()];
  await trx
    .insertInto("customers")
    .values(
      created.map((c) => ({
        workspace_id: workspaceId,
        id: c.id,
        brand_id: c.brandId,
        name: c.name.trim(),
        locale: c.locale,
        merged_into_id: null,
        search_text: customerSearchText(c.name.trim(), [{ kind: "email", value: c.email }]),
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const won = await trx
    .insertInto("customer_identities")
    .values(
      created.map((c) => ({
        workspace_id: workspaceId,
        id: newId(),
        customer_id: c.id,
        brand_id: c.brandId,
        kind: "email" as const,
        value: c.email,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(["workspace_id", "brand_id", "kind", "value"]).doNothing())
    .returning("customer_id")
    .execute();
  const winners = new Set(won.map((r) => r.customer_id));
  for (const c of created)
    if (winners.has(c.id)) found.set(keyOf(c.brandId, c.email), { id: c.id, locale: c.locale });
  // Another transaction created some of them first: ours are removed and theirs are used.
  const lost = created.filter((c) => !winners.has(c.id));
  if (lost.length > 0) {
    await trx
      .deleteFrom("customers")
      .where("workspace_id", "=", workspaceId)
      .where(
        "id",
        "in",
        lost.map((c) => c.id),
      )
      .execute();
    remember(await find(lost.map((c) => c.email)));
  }
  return found;
}

export const findCustomer = (db: TDb, workspaceId: string, customerId: string) =>
  db
    .selectFrom("customers")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", customerId)
    .executeTakeFirst();

/** Locks the customers' rows for the rest of the transaction, in id order so two merges cannot deadlock. */
export const lockCustomers = (trx: TDb, workspaceId: string, customerIds: string[]) =>
  trx
    .selectFrom("customers")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", customerIds)
    .orderBy("id")
    .forUpdate()
    .execute();

export const listIdentities = (db: TDb, workspaceId: string, customerIds: string[]) =>
  customerIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom("customer_identities")
        .select(["id", "customer_id", "kind", "value", "created_at"])
        .where("workspace_id", "=", workspaceId)
        .where("customer_id", "in", customerIds)
        .orderBy("created_at")
        .orderBy("id")
        .execute();

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first (ids are time-ordered); merged customers are left out. */
export const listCustomers = (
  db: TDb,
  workspaceId: string,
  opts: { brandIds: string[] | null; beforeId?: string; foldedQuery?: string; limit: number },
) =>
  db
    .selectFrom("customers")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("merged_into_id", "is", null)
    .$if(opts.brandIds !== null, (q) => q.where("brand_id", "in", opts.brandIds as string[]))
    .$if(opts.beforeId !== undefined, (q) => q.where("id", "<", opts.beforeId as string))
    .$if(Boolean(opts.foldedQuery), (q) => {
      // A word of search_text starts with the query: the trigram index on search_text serves LIKE.
      const prefix = `${escapeLike(opts.foldedQuery as string)}%`;
      return q.where((eb) =>
        eb.or([eb("search_text", "like", prefix), eb("search_text", "like", `% ${prefix}`)]),
      );
    })
    .orderBy("id", "desc")
    .limit(opts.limit + 1)
    .execute();

export const insertCustomer = (db: TDb, row: Insertable<CustomersTable>) =>
  db.insertInto("customers").values(row).execute();

export const updateCustomer = (
  db: TDb,
  workspaceId: string,
  customerId: string,
  patch: Updateable<CustomersTable>,
) =>
  db
    .updateTable("customers")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", customerId)
    .execute();

/**
 * Adds identities to a customer. Returns those that already belong to another customer of the
 * brand (nothing is inserted for them); ones the customer already has are left as they are.
 */
export async function addIdentities(
  trx: TDb,
  workspaceId: string,
  customer: { id: string; brandId: string },
  identities: TIdentityInput[],
  now: Date,
): Promise<TIdentityInput[]> {
  const unique = [
    ...new Map(identities.map(normalizeIdentity).map((i) => [`${i.kind}:${i.value}`, i])).values(),
  ];
  if (unique.length === 0) return [];
  const inserted = await trx
    .insertInto("customer_identities")
    .values(
      unique.map((i) => ({
        workspace_id: workspaceId,
        id: newId(),
        customer_id: customer.id,
        brand_id: customer.brandId,
        kind: i.kind,
        value: i.value,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(["workspace_id", "brand_id", "kind", "value"]).doNothing())
    .returning(["kind", "value"])
    .execute();
  const done = new Set(inserted.map((i) => `${i.kind}:${i.value}`));
  const taken: TIdentityInput[] = [];
  for (const identity of unique.filter((i) => !done.has(`${i.kind}:${i.value}`))) {
    const owner = await findIdentity(trx, workspaceId, customer.brandId, identity);
    if (owner?.customer_id !== customer.id) taken.push(identity);
  }
  return taken;
}

/** Removes the customer's identities with these ids; returns how many there were. */
export async function removeIdentities(trx: TDb, workspaceId: string, customerId: string, ids: string[]) {
  if (ids.length === 0) return 0;
  const removed = await trx
    .deleteFrom("customer_identities")
    .where("workspace_id", "=", workspaceId)
    .where("customer_id", "=", customerId)
    .where("id", "in", ids)
    .returning("id")
    .execute();
  return removed.length;
}

/** Recomputes search_text from the customer's current name and identities. */
export async function refreshSearchText(trx: TDb, workspaceId: string, customerId: string) {
  const customer = await findCustomer(trx, workspaceId, customerId);
  if (!customer) return;
  const identities = await listIdentities(trx, workspaceId, [customerId]);
  await updateCustomer(trx, workspaceId, customerId, {
    search_text: customerSearchText(
      customer.name,
      identities.map((i) => ({ kind: i.kind, value: i.value })),
    ),
  });
}

const liveTickets = (db: TDb, workspaceId: string, customerId: string) =>
  db
    .selectFrom("tickets")
    .where("workspace_id", "=", workspaceId)
    .where("requester_id", "=", customerId)
    .where("deleted_at", "is", null)
    .where("merged_into_id", "is", null)
    .where("is_spam", "=", false);

/** The customer's tickets (not deleted, spam or merged away): counts by status and the latest ten. */
export async function ticketSummary(db: TDb, workspaceId: string, customerId: string) {
  const counts = await liveTickets(db, workspaceId, customerId)
    .select(["status", sql<number>`count(*)::int`.as("n")])
    .groupBy("status")
    .execute();
  const latest = await liveTickets(db, workspaceId, customerId)
    .select(["id", "number", "subject", "status", "updated_at"])
    .orderBy("updated_at", "desc")
    .orderBy("id", "desc")
    .limit(10)
    .execute();
  return { counts, latest };
}

/**
 * Moves everything of the source customer to the target: identities, tickets it requested, CCs,
 * and customers merged into it earlier. The source stays, marked merged_into_id, for the record.
 */
export async function mergeCustomerRows(
  trx: TDb,
  workspaceId: string,
  targetId: string,
  sourceId: string,
  now: Date,
) {
  await trx
    .updateTable("customer_identities")
    .set({ customer_id: targetId })
    .where("workspace_id", "=", workspaceId)
    .where("customer_id", "=", sourceId)
    .execute();
  const tickets = await trx
    .updateTable("tickets")
    .set({ requester_id: targetId, updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("requester_id", "=", sourceId)
    .returning("id")
    .execute();
  await sql`INSERT INTO ticket_ccs (workspace_id, ticket_id, customer_id)
    SELECT workspace_id, ticket_id, ${targetId} FROM ticket_ccs
    WHERE workspace_id = ${workspaceId} AND customer_id = ${sourceId}
    ON CONFLICT DO NOTHING`.execute(trx);
  const ccs = await trx
    .deleteFrom("ticket_ccs")
    .where("workspace_id", "=", workspaceId)
    .where("customer_id", "=", sourceId)
    .returning("ticket_id")
    .execute();
  await trx
    .updateTable("customers")
    .set({ merged_into_id: targetId, updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("id", "=", sourceId), eb("merged_into_id", "=", sourceId)]))
    .execute();
  await updateCustomer(trx, workspaceId, sourceId, { search_text: "" });
  return { ticketIds: tickets.map((t) => t.id), ccTicketIds: ccs.map((c) => c.ticket_id) };
}

/** A customer as other modules show it beside a ticket: name and first email and phone. */
export type TCustomerSummary = {
  id: string;
  brandId: string;
  name: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  mergedIntoId: string | null;
};

/** Summaries of the workspace's customers with these ids, in no particular order; unknown ids are skipped. */
export async function listCustomerSummaries(
  db: TDb,
  workspaceId: string,
  customerIds: string[],
): Promise<TCustomerSummary[]> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("customers")
    .select(["id", "brand_id", "name", "locale", "merged_into_id"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .execute();
  const identities = await listIdentities(db, workspaceId, ids);
  const first = (customerId: string, kind: "email" | "phone") =>
    identities.find((i) => i.customer_id === customerId && i.kind === kind)?.value ?? null;
  return rows.map((r) => ({
    id: r.id,
    brandId: r.brand_id,
    name: r.name,
    email: first(r.id, "email"),
    phone: first(r.id, "phone"),
    locale: r.locale,
    mergedIntoId: r.merged_into_id,
  }));
}

/** One customer's summary; throws customer_not_found when the workspace has no such customer. */
export async function getCustomerSummary(
  db: TDb,
  workspaceId: string,
  customerId: string,
): Promise<TCustomerSummary> {
  const [summary] = await listCustomerSummaries(db, workspaceId, [customerId]);
  if (!summary) throw notFound("customer");
  return summary;
}
