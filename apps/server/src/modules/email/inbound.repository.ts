import { type Insertable, type Selectable, sql } from "kysely";
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

/**
 * Stores the mails in one statement; one that is stored already (same workspace and dedup key, or
 * earlier in the same list) is skipped. Returns the stored rows' keys.
 */
export const insertInbounds = (trx: TDb, rows: Insertable<InboundEmailsTable>[]) =>
  trx
    .insertInto("inbound_emails")
    .values(rows)
    .onConflict((oc) => oc.columns(["workspace_id", "dedup_key"]).doNothing())
    .returning(["workspace_id", "id", "dedup_key"])
    .execute();

/**
 * Locks those of the mails that still wait, skipping any another transaction holds: that one is
 * processing it.
 */
export const lockReceived = (trx: TDb, workspaceId: string, ids: string[]) =>
  trx
    .selectFrom("inbound_emails")
    .select(INBOUND_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .where("state", "=", "received")
    .forUpdate()
    .skipLocked()
    .execute();
export type TLockedInbound = Awaited<ReturnType<typeof lockReceived>>[number];

/** The raw bytes of those of the mails that still wait. */
export const findReceivedRaw = (db: TDb, workspaceId: string, ids: string[]) =>
  db
    .selectFrom("inbound_emails")
    .select(["id", "raw", "attempts"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .where("state", "=", "received")
    .execute();

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

export type TInboundFinish = {
  id: string;
  state: TInboundState;
  outcome: string;
  ticketId: string | null;
  error: string | null;
  attempts: number;
  subject: string;
  fromAddress: string | null;
};

/** Records the outcome of several processed mails in one statement. */
export async function finishInbounds(trx: TDb, workspaceId: string, rows: TInboundFinish[], at: Date) {
  if (rows.length === 0) return;
  await sql`UPDATE inbound_emails AS i SET state = v.state, outcome = v.outcome, ticket_id = v.ticket_id,
      error = v.error, attempts = v.attempts, subject = v.subject, from_address = v.from_address,
      processed_at = ${at}
    FROM jsonb_to_recordset(${JSON.stringify(
      rows.map((r) => ({
        id: r.id,
        state: r.state,
        outcome: r.outcome,
        ticket_id: r.ticketId,
        error: r.error,
        attempts: r.attempts,
        subject: r.subject,
        from_address: r.fromAddress,
      })),
    )}::jsonb) AS v(id uuid, state text, outcome text, ticket_id uuid, error text, attempts integer,
      subject text, from_address text)
    WHERE i.workspace_id = ${workspaceId} AND i.id = v.id
      AND i.id IN (${sql.join(rows.map((r) => r.id))})`.execute(trx);
}

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

/** The tickets that these Message-IDs (sent or received by a brand of the workspace) belong to, newest first. */
export const findTicketsByMessageIds = (db: TDb, workspaceId: string, brandIds: string[], ids: string[]) =>
  ids.length === 0 || brandIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom("email_message_ids")
        .select(["brand_id", "message_id", "ticket_id"])
        .where("workspace_id", "=", workspaceId)
        .where("brand_id", "in", brandIds)
        .where("message_id", "in", ids)
        .orderBy("created_at", "desc")
        .execute();

export type TMessageIdRow = {
  brandId: string;
  messageId: string;
  ticketId: string;
  direction: "inbound" | "outbound";
};

export async function recordMessageIds(trx: TDb, workspaceId: string, rows: TMessageIdRow[], at: Date) {
  if (rows.length === 0) return;
  await trx
    .insertInto("email_message_ids")
    .values(
      rows.map((r) => ({
        workspace_id: workspaceId,
        brand_id: r.brandId,
        message_id: r.messageId,
        ticket_id: r.ticketId,
        direction: r.direction,
        created_at: at,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

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

/** The workspace's own support addresses: mail from them is ours, looping back. */
export const listOwnAddresses = async (db: TDb, workspaceId: string): Promise<Set<string>> =>
  new Set(
    (
      await db
        .selectFrom("support_addresses")
        .select("address")
        .where("workspace_id", "=", workspaceId)
        .execute()
    ).map((r) => r.address),
  );

// Outgoing ----------------------------------------------------------------------------------------

/** Inserts outgoing mails; one whose Message-ID is queued already is skipped. Returns the new ids. */
export const insertOutbounds = async (trx: TDb, rows: Insertable<OutboundEmailsTable>[]) =>
  rows.length === 0
    ? []
    : (
        await trx
          .insertInto("outbound_emails")
          .values(rows)
          .onConflict((oc) => oc.columns(["workspace_id", "message_id"]).doNothing())
          .returning("id")
          .execute()
      ).map((r) => r.id);

/** Marks the mails as being sent (one more attempt) unless sent or failed for good; returns those. */
export const claimOutbounds = (db: TDb, workspaceId: string, ids: string[], at: Date) =>
  db
    .updateTable("outbound_emails")
    .set((eb) => ({ state: "sending", attempts: eb("attempts", "+", 1), updated_at: at }))
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .where("state", "in", ["queued", "sending"])
    .returningAll()
    .execute();

/** Sent: what an acknowledgement said (and the secret link in it) is dropped. */
export const markOutboundsSent = (db: TDb, workspaceId: string, ids: string[], at: Date) =>
  db
    .updateTable("outbound_emails")
    .set({ state: "sent", sent_at: at, last_error: null, acknowledgement: null, updated_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .execute();

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

export const findOutboundByMessageId = (db: TDb, workspaceId: string, messageId: string) =>
  db
    .selectFrom("outbound_emails")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("message_id", "=", messageId)
    .executeTakeFirst();

/** Automatic answers sent to each of the addresses since the given time. */
export const countRecentAcknowledgements = async (
  db: TDb,
  workspaceId: string,
  addresses: string[],
  since: Date,
): Promise<Map<string, number>> =>
  new Map(
    (
      await db
        .selectFrom("outbound_emails")
        .select((eb) => ["to_address", eb.fn.countAll<string>().as("n")])
        .where("workspace_id", "=", workspaceId)
        // A literal, not a parameter, so that the partial index on acknowledgements is used.
        .where(sql<boolean>`kind = 'acknowledgement'`)
        .where("to_address", "in", addresses)
        .where("created_at", ">=", since)
        .groupBy("to_address")
        .execute()
    ).map((r) => [r.to_address, Number(r.n)]),
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

/** Which of the addresses bounced for good, as "brandId address". */
export const bouncedAddresses = async (
  db: TDb,
  workspaceId: string,
  brandIds: string[],
  addresses: string[],
) =>
  new Set(
    (
      await db
        .selectFrom("customer_identities")
        .select(["brand_id", "value"])
        .where("workspace_id", "=", workspaceId)
        .where("brand_id", "in", brandIds)
        .where("kind", "=", "email")
        .where("value", "in", addresses)
        .where("bounced_at", "is not", null)
        .execute()
    ).map((r) => `${r.brand_id} ${r.value}`),
  );

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
