import type { Insertable, Selectable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type {
  BrandMailSettingsTable,
  InboundEmailsTable,
  OutboundEmailsTable,
  TInboundState,
} from "../../db/schema.ts";

export type TInboundRow = Omit<Selectable<InboundEmailsTable>, "raw">;
const INBOUND_COLUMNS = [
  "workspace_id",
  "id",
  "brand_id",
  "source",
  "mailbox_id",
  "envelope_from",
  "recipients",
  "message_id",
  "dedup_key",
  "subject",
  "from_address",
  "size_bytes",
  "state",
  "outcome",
  "ticket_id",
  "error",
  "attempts",
  "received_at",
  "processed_at",
] as const;

/** Stores the mail unless the same one is stored already; returns the new row's id or null. */
export const insertInbound = async (trx: TDb, row: Insertable<InboundEmailsTable>) =>
  (
    await trx
      .insertInto("inbound_emails")
      .values(row)
      .onConflict((oc) => oc.columns(["workspace_id", "dedup_key"]).doNothing())
      .returning("id")
      .executeTakeFirst()
  )?.id ?? null;

export const lockInbound = (trx: TDb, workspaceId: string, id: string) =>
  trx
    .selectFrom("inbound_emails")
    .select(INBOUND_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
export type TLockedInbound = NonNullable<Awaited<ReturnType<typeof lockInbound>>>;

export const findInbound = (db: TDb, workspaceId: string, id: string) =>
  db
    .selectFrom("inbound_emails")
    .select(INBOUND_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();

export const findInboundRaw = (db: TDb, workspaceId: string, id: string) =>
  db
    .selectFrom("inbound_emails")
    .select(["raw", "brand_id", "state", "attempts"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();

export const finishInbound = (
  trx: TDb,
  workspaceId: string,
  id: string,
  result: {
    state: TInboundState;
    outcome: string | null;
    ticketId: string | null;
    error: string | null;
    attempts: number;
    brandId?: string | null;
    subject?: string;
    fromAddress?: string | null;
    at: Date | null;
  },
) =>
  trx
    .updateTable("inbound_emails")
    .set({
      state: result.state,
      outcome: result.outcome,
      ticket_id: result.ticketId,
      error: result.error,
      attempts: result.attempts,
      processed_at: result.at,
      ...(result.brandId !== undefined ? { brand_id: result.brandId } : {}),
      ...(result.subject !== undefined ? { subject: result.subject } : {}),
      ...(result.fromAddress !== undefined ? { from_address: result.fromAddress } : {}),
    })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .execute();

export const listInbound = (
  db: TDb,
  workspaceId: string,
  f: {
    state?: TInboundState | undefined;
    after: { at: Date; id: string } | null;
    limit: number;
  },
) =>
  db
    .selectFrom("inbound_emails")
    .select(INBOUND_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .$if(f.state !== undefined, (q) => q.where("state", "=", f.state as TInboundState))
    .$if(f.after !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb("received_at", "<", f.after?.at as Date),
          eb.and([eb("received_at", "=", f.after?.at as Date), eb("id", "<", f.after?.id as string)]),
        ]),
      ),
    )
    .orderBy("received_at", "desc")
    .orderBy("id", "desc")
    .limit(f.limit + 1)
    .execute();

/** Mail still waiting whose job may have been lost: across workspaces, like the job queue itself. */
export const listStaleReceived = (db: TDb, olderThan: Date, limit: number) =>
  db
    .selectFrom("inbound_emails")
    .select(["workspace_id", "id"])
    .where("state", "=", "received")
    .where("received_at", "<", olderThan)
    .orderBy("received_at")
    .limit(limit)
    .execute();

export const requeueInbound = (trx: TDb, workspaceId: string, id: string) =>
  trx
    .updateTable("inbound_emails")
    .set({ state: "received", attempts: 0, error: null, outcome: null, processed_at: null })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("state", "in", ["quarantined", "ignored"])
    .returning("id")
    .executeTakeFirst();

// Threading ---------------------------------------------------------------------------------------

/**
 * The ticket of the first of these Message-IDs (in the order given: In-Reply-To, then References
 * from the newest) that the brand sent or received; the newest such ticket when one id has several.
 */
export async function findTicketByMessageIds(db: TDb, workspaceId: string, brandId: string, ids: string[]) {
  if (ids.length === 0) return null;
  const rows = await db
    .selectFrom("email_message_ids")
    .select(["message_id", "ticket_id"])
    .where("workspace_id", "=", workspaceId)
    .where("brand_id", "=", brandId)
    .where("message_id", "in", ids.slice(0, 100))
    .orderBy("created_at", "desc")
    .execute();
  for (const id of ids) {
    const hit = rows.find((r) => r.message_id === id);
    if (hit) return hit.ticket_id;
  }
  return null;
}

export const recordMessageId = (
  trx: TDb,
  row: {
    workspaceId: string;
    brandId: string;
    messageId: string;
    ticketId: string;
    direction: "inbound" | "outbound";
    at: Date;
  },
) =>
  trx
    .insertInto("email_message_ids")
    .values({
      workspace_id: row.workspaceId,
      brand_id: row.brandId,
      message_id: row.messageId,
      ticket_id: row.ticketId,
      direction: row.direction,
      created_at: row.at,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();

/** Message-IDs of a ticket's emails, oldest first: the References of our next reply. */
export const listThreadMessageIds = (db: TDb, workspaceId: string, ticketId: string) =>
  db
    .selectFrom("email_message_ids")
    .select("message_id")
    .where("workspace_id", "=", workspaceId)
    .where("ticket_id", "=", ticketId)
    .orderBy("created_at")
    .orderBy("message_id")
    .execute()
    .then((rows) => rows.map((r) => r.message_id));

/** Which of the addresses are the workspace's own support addresses (mail from them is ours, looping back). */
export const ownAddresses = async (
  db: TDb,
  workspaceId: string,
  addresses: string[],
): Promise<Set<string>> =>
  addresses.length === 0
    ? new Set()
    : new Set(
        (
          await db
            .selectFrom("support_addresses")
            .select("address")
            .where("workspace_id", "=", workspaceId)
            .where("address", "in", addresses)
            .execute()
        ).map((r) => r.address),
      );

// Outgoing ----------------------------------------------------------------------------------------

export const insertOutbound = async (trx: TDb, row: Insertable<OutboundEmailsTable>) =>
  (
    await trx
      .insertInto("outbound_emails")
      .values(row)
      .onConflict((oc) => oc.columns(["workspace_id", "message_id"]).doNothing())
      .returning("id")
      .executeTakeFirst()
  )?.id ?? null;

export const lockOutbound = (trx: TDb, workspaceId: string, id: string) =>
  trx
    .selectFrom("outbound_emails")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
export type TOutboundRow = Selectable<OutboundEmailsTable>;

export const updateOutbound = (
  trx: TDb,
  workspaceId: string,
  id: string,
  patch: Partial<Pick<TOutboundRow, "state" | "attempts" | "last_error" | "sent_at" | "updated_at">>,
) =>
  trx
    .updateTable("outbound_emails")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .execute();

export const clearStatusUrl = (trx: TDb, workspaceId: string, id: string) =>
  trx
    .updateTable("outbound_emails")
    .set({ status_url: null })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .execute();

export const findOutboundByMessageId = (db: TDb, workspaceId: string, messageId: string) =>
  db
    .selectFrom("outbound_emails")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("message_id", "=", messageId)
    .executeTakeFirst();

/** Automatic answers sent to the address since the given time. */
export const countRecentAcknowledgements = async (
  db: TDb,
  workspaceId: string,
  address: string,
  since: Date,
) =>
  Number(
    (
      await db
        .selectFrom("outbound_emails")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("workspace_id", "=", workspaceId)
        .where("kind", "=", "acknowledgement")
        .where("to_address", "=", address)
        .where("created_at", ">=", since)
        .executeTakeFirst()
    )?.n ?? 0,
  );

/** Flags the address as bouncing on every customer of the workspace that has it. */
export const flagBouncedAddress = (
  trx: TDb,
  workspaceId: string,
  address: string,
  reason: string,
  at: Date,
) =>
  trx
    .updateTable("customer_identities")
    .set({ bounced_at: at, bounce_reason: reason })
    .where("workspace_id", "=", workspaceId)
    .where("kind", "=", "email")
    .where("value", "=", address)
    .execute();

export const isBouncedAddress = async (db: TDb, workspaceId: string, brandId: string, address: string) =>
  (await db
    .selectFrom("customer_identities")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("brand_id", "=", brandId)
    .where("kind", "=", "email")
    .where("value", "=", address)
    .where("bounced_at", "is not", null)
    .executeTakeFirst()) !== undefined;

// Brand mail settings -----------------------------------------------------------------------------

export const findMailSettings = (db: TDb, workspaceId: string, brandId: string) =>
  db
    .selectFrom("brand_mail_settings")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("brand_id", "=", brandId)
    .executeTakeFirst();
export type TMailSettingsRow = Selectable<BrandMailSettingsTable>;

export const upsertMailSettings = (trx: TDb, row: Insertable<BrandMailSettingsTable>) =>
  trx
    .insertInto("brand_mail_settings")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["workspace_id", "brand_id"]).doUpdateSet({
        smtp_host: (eb) => eb.ref("excluded.smtp_host"),
        smtp_port: (eb) => eb.ref("excluded.smtp_port"),
        smtp_secure: (eb) => eb.ref("excluded.smtp_secure"),
        smtp_username: (eb) => eb.ref("excluded.smtp_username"),
        smtp_password: (eb) => eb.ref("excluded.smtp_password"),
        signature: (eb) => eb.ref("excluded.signature"),
        send_acknowledgement: (eb) => eb.ref("excluded.send_acknowledgement"),
        updated_at: (eb) => eb.ref("excluded.updated_at"),
      }),
    )
    .execute();

/** What an outgoing mail of a brand needs: name, languages, default From address. */
export const findBrandForMail = (db: TDb, workspaceId: string, brandId: string) =>
  db
    .selectFrom("brands")
    .leftJoin("support_addresses as sa", (j) =>
      j
        .onRef("sa.workspace_id", "=", "brands.workspace_id")
        .onRef("sa.brand_id", "=", "brands.id")
        .on("sa.is_default", "=", true),
    )
    .select([
      "brands.id",
      "brands.name",
      "brands.slug",
      "brands.default_locale",
      "brands.supported_locales",
      "sa.address as address",
      "sa.display_name as address_name",
    ])
    .where("brands.workspace_id", "=", workspaceId)
    .where("brands.id", "=", brandId)
    .executeTakeFirst();
