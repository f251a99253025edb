import {
  type ExpressionBuilder,
  type Insertable,
  type RawBuilder,
  type Selectable,
  sql,
  type Updateable,
} from "kysely";
import type { TDb } from "../../db/connection.ts";
import type {
  DB,
  MessagesTable,
  TicketsTable,
  TTicketChannel,
  TTicketPriority,
  TTicketStatus,
  TTicketType,
} from "../../db/schema.ts";

type TPersonJson = { id: string; name: string; email: string | null };

/** A ticket as the DTO needs it: the row (without its search text and token hash) and its people. */
export type TTicketView = Omit<Selectable<TicketsTable>, "search_text" | "public_token_hash"> & {
  category_key: string | null;
  requester_name: string;
  requester_email: string | null;
  ccs: TPersonJson[];
  follower_ids: string[];
};

export type TTicketRef = { id: string } | { number: number };
export type TMessageChannel = MessagesTable["channel"];

const firstEmail = (customerIdColumn: RawBuilder<unknown>) =>
  sql<string | null>`(SELECT ci.value FROM customer_identities ci
    WHERE ci.workspace_id = tickets.workspace_id AND ci.customer_id = ${customerIdColumn} AND ci.kind = 'email'
    ORDER BY ci.created_at, ci.id LIMIT 1)`;

const ccsJson = sql<TPersonJson[]>`(SELECT coalesce(json_agg(json_build_object('id', c.id, 'name', c.name,
    'email', (SELECT ci.value FROM customer_identities ci WHERE ci.workspace_id = c.workspace_id
      AND ci.customer_id = c.id AND ci.kind = 'email' ORDER BY ci.created_at, ci.id LIMIT 1)) ORDER BY c.id), '[]')
  FROM ticket_ccs tc JOIN customers c ON c.workspace_id = tc.workspace_id AND c.id = tc.customer_id
  WHERE tc.workspace_id = tickets.workspace_id AND tc.ticket_id = tickets.id)`;

const followerIds = sql<string[]>`(SELECT coalesce(array_agg(tf.user_id::text ORDER BY tf.user_id), '{}')
  FROM ticket_followers tf WHERE tf.workspace_id = tickets.workspace_id AND tf.ticket_id = tickets.id)`;

const TICKET_COLUMNS = [
  "tickets.workspace_id",
  "tickets.id",
  "tickets.brand_id",
  "tickets.number",
  "tickets.subject",
  "tickets.status",
  "tickets.priority",
  "tickets.type",
  "tickets.channel",
  "tickets.category_id",
  "tickets.requester_id",
  "tickets.assignee_id",
  "tickets.group_id",
  "tickets.tags",
  "tickets.due_at",
  "tickets.custom_fields",
  "tickets.order_number",
  "tickets.is_spam",
  "tickets.deleted_at",
  "tickets.merged_into_id",
  "tickets.solved_at",
  "tickets.closed_at",
  "tickets.last_message_at",
  "tickets.created_at",
  "tickets.updated_at",
] as const;

/** Tickets of the workspace with what the DTO needs (requester, category key, CCs, followers). */
export const ticketViews = (db: TDb, workspaceId: string) =>
  db
    .selectFrom("tickets")
    .innerJoin("customers as requester", (j) =>
      j
        .onRef("requester.workspace_id", "=", "tickets.workspace_id")
        .onRef("requester.id", "=", "tickets.requester_id"),
    )
    .leftJoin("categories", (j) =>
      j
        .onRef("categories.workspace_id", "=", "tickets.workspace_id")
        .onRef("categories.id", "=", "tickets.category_id"),
    )
    .select(TICKET_COLUMNS)
    .select([
      "categories.key as category_key",
      "requester.name as requester_name",
      firstEmail(sql.ref("tickets.requester_id")).as("requester_email"),
      ccsJson.as("ccs"),
      followerIds.as("follower_ids"),
    ])
    .where("tickets.workspace_id", "=", workspaceId);

const byRef = (ref: TTicketRef) => (eb: ExpressionBuilder<DB, "tickets">) =>
  "id" in ref ? eb("tickets.id", "=", ref.id) : eb("tickets.number", "=", String(ref.number));

/** One ticket of the workspace by id or number, deleted ones included (the service decides). */
export const findTicketView = (
  db: TDb,
  workspaceId: string,
  ref: TTicketRef,
): Promise<TTicketView | undefined> => ticketViews(db, workspaceId).where(byRef(ref)).executeTakeFirst();

export const listTicketViews = (db: TDb, workspaceId: string, ids: string[]): Promise<TTicketView[]> =>
  ids.length === 0
    ? Promise.resolve([])
    : ticketViews(db, workspaceId).where("tickets.id", "in", ids).execute();

const LOCKED_COLUMNS = [
  "id",
  "number",
  "brand_id",
  "status",
  "channel",
  "requester_id",
  "assignee_id",
  "deleted_at",
  "merged_into_id",
  "solved_at",
  "closed_at",
  "search_text",
] as const;

/** Locks the ticket's row for the rest of the transaction and returns what writes need to know. */
export const lockTicket = (trx: TDb, workspaceId: string, ref: TTicketRef) =>
  trx
    .selectFrom("tickets")
    .select(LOCKED_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where(byRef(ref))
    .forUpdate()
    .executeTakeFirst();
export type TLockedTicket = NonNullable<Awaited<ReturnType<typeof lockTicket>>>;

/** Locks several tickets in id order, so two transactions locking the same pair cannot deadlock. */
export const lockTickets = (trx: TDb, workspaceId: string, ids: string[]) =>
  trx
    .selectFrom("tickets")
    .select(LOCKED_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .orderBy("id")
    .forUpdate()
    .execute();

/** What a message that came by email records: its Message-ID, raw mail and threading rule. */
export type TMessageEmailFields = {
  messageId: string | null;
  inboundEmailId: string;
  threadRule: string;
  quotedText: string | null;
};

export type TNewTicketInput = {
  workspaceId: string;
  id: string;
  brandId: string;
  subject: string;
  status: TTicketStatus;
  priority: TTicketPriority;
  type: TTicketType;
  channel: TTicketChannel;
  categoryId: string | null;
  /** By id, or by email identity (normalized) to be found by the statement itself. */
  requester: { id: string } | { email: string };
  assigneeId: string | null;
  groupId: string | null;
  tags: string[];
  dueAt: Date | null;
  customFields: Record<string, unknown>;
  orderNumber: string | null;
  publicTokenHash: string;
  searchText: string;
  ccIds: string[];
  now: Date;
  message: {
    id: string;
    channel: MessagesTable["channel"];
    bodyText: string;
    bodyHtml: string | null;
    email: TMessageEmailFields | null;
  };
  /** For a customer actor the requester is the actor. */
  audit: { id: string; actorType: "user" | "customer" | "system"; actorId: string | null };
};

/** Each workspace numbers its tickets from its own sequence, starting at 1001. */
const ticketNumberSequence = (workspaceId: string) => `ticket_number_${workspaceId.replace(/-/g, "")}`;

export async function createTicketNumbering(trx: TDb, workspaceId: string): Promise<void> {
  await sql`CREATE SEQUENCE ${sql.id(ticketNumberSequence(workspaceId))} START 1001`.execute(trx);
}

/**
 * Creates the ticket, its first message, CCs and audit entry in ONE statement, which also takes the
 * next number from the workspace's sequence. The requester is given by id, or by email identity: then
 * the statement finds them itself and writes nothing (returning null, taking no number) when the
 * brand has no such customer yet. Returns the number and the requester's and CCs' names and emails
 * for the DTO (no read-back).
 */
export async function insertTicketWithFirstMessage(trx: TDb, t: TNewTicketInput) {
  const ws = t.workspaceId;
  const requester =
    "id" in t.requester
      ? sql`SELECT ${t.requester.id}::uuid AS id`
      : sql`SELECT ci.customer_id AS id FROM customer_identities ci WHERE ci.workspace_id = ${ws}
          AND ci.brand_id = ${t.brandId} AND ci.kind = 'email' AND ci.value = ${t.requester.email}`;
  const ccRows =
    t.ccIds.length > 0
      ? sql`, cc AS (INSERT INTO ticket_ccs (workspace_id, ticket_id, customer_id) SELECT ${ws}, t.id, c.id
          FROM t, (VALUES ${sql.join(t.ccIds.map((cid) => sql`(${cid}::uuid)`))}) AS c(id))`
      : sql``;
  const ccPeople =
    t.ccIds.length > 0
      ? sql`(SELECT coalesce(json_agg(json_build_object('id', c.id, 'name', c.name,
          'email', (SELECT ci.value FROM customer_identities ci WHERE ci.workspace_id = c.workspace_id
            AND ci.customer_id = c.id AND ci.kind = 'email' ORDER BY ci.created_at, ci.id LIMIT 1)) ORDER BY c.id), '[]')
          FROM customers c WHERE c.workspace_id = ${ws} AND c.id IN (${sql.join(t.ccIds)}))`
      : sql`'[]'::json`;
  const actorId = t.audit.actorType === "customer" ? sql`t.requester_id` : sql`${t.audit.actorId}::uuid`;
  const result = await sql<{
    number: string;
    requester_id: string;
    requester_name: string;
    requester_email: string | null;
    ccs: TPersonJson[];
  }>`WITH req AS (${requester}), n AS (
      SELECT nextval(${ticketNumberSequence(ws)}::regclass) AS last_number FROM req
    ), t AS (
      INSERT INTO tickets (workspace_id, id, brand_id, number, subject, status, priority, type, channel,
        category_id, requester_id, assignee_id, group_id, tags, due_at, custom_fields, order_number,
        public_token_hash, search_text, last_message_at, created_at, updated_at)
      SELECT ${ws}, ${t.id}, ${t.brandId}, n.last_number, ${t.subject}, ${t.status}, ${t.priority},
        ${t.type}, ${t.channel}, ${t.categoryId}, req.id, ${t.assigneeId}, ${t.groupId}, ${t.tags},
        ${t.dueAt}, ${JSON.stringify(t.customFields)}, ${t.orderNumber}, ${t.publicTokenHash}, ${t.searchText},
        ${t.now}, ${t.now}, ${t.now}
      FROM req, n
      RETURNING id, requester_id
    ), m AS (
      INSERT INTO messages (workspace_id, id, ticket_id, kind, channel, author_customer_id, body_text, body_html,
        email_message_id, inbound_email_id, thread_rule, quoted_text, created_at)
      SELECT ${ws}, ${t.message.id}, t.id, 'reply', ${t.message.channel}, t.requester_id, ${t.message.bodyText},
        ${t.message.bodyHtml}, ${t.message.email?.messageId ?? null}, ${t.message.email?.inboundEmailId ?? null},
        ${t.message.email?.threadRule ?? null}, ${t.message.email?.quotedText ?? null}, ${t.now}
      FROM t
    ), a AS (
      INSERT INTO audit_events (workspace_id, id, entity_type, entity_id, action, actor_type, actor_id, changes,
        created_at)
      SELECT ${ws}, ${t.audit.id}, 'ticket', t.id, 'created', ${t.audit.actorType}, ${actorId}, '[]', ${t.now}
      FROM t
    )${ccRows}
    SELECT n.last_number AS number, req.id AS requester_id,
      (SELECT name FROM customers WHERE workspace_id = ${ws} AND id = req.id) AS requester_name,
      (SELECT ci.value FROM customer_identities ci WHERE ci.workspace_id = ${ws} AND ci.customer_id = req.id
        AND ci.kind = 'email' ORDER BY ci.created_at, ci.id LIMIT 1) AS requester_email,
      ${ccPeople} AS ccs
    FROM req, n`.execute(trx);
  const row = result.rows[0];
  if (!row) return null;
  return {
    number: Number(row.number),
    requesterId: row.requester_id,
    requesterName: row.requester_name,
    requesterEmail: row.requester_email,
    ccs: row.ccs,
  };
}

export const updateTicketRow = (
  trx: TDb,
  workspaceId: string,
  ticketId: string,
  patch: Updateable<TicketsTable>,
) =>
  trx
    .updateTable("tickets")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", ticketId)
    .execute();

export async function replaceCcs(trx: TDb, workspaceId: string, ticketId: string, customerIds: string[]) {
  await trx
    .deleteFrom("ticket_ccs")
    .where("workspace_id", "=", workspaceId)
    .where("ticket_id", "=", ticketId)
    .execute();
  if (customerIds.length === 0) return;
  await trx
    .insertInto("ticket_ccs")
    .values(
      customerIds.map((customer_id) => ({ workspace_id: workspaceId, ticket_id: ticketId, customer_id })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export const addCc = (trx: TDb, workspaceId: string, ticketId: string, customerId: string) =>
  trx
    .insertInto("ticket_ccs")
    .values({ workspace_id: workspaceId, ticket_id: ticketId, customer_id: customerId })
    .onConflict((oc) => oc.doNothing())
    .execute();

/** Adds followers (mentioned colleagues); returns those who were not following yet. */
export async function addFollowers(
  trx: TDb,
  workspaceId: string,
  ticketId: string,
  userIds: string[],
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await trx
    .insertInto("ticket_followers")
    .values(userIds.map((user_id) => ({ workspace_id: workspaceId, ticket_id: ticketId, user_id })))
    .onConflict((oc) => oc.doNothing())
    .returning("user_id")
    .execute();
  return rows.map((r) => r.user_id);
}

export const insertMentions = (
  trx: TDb,
  workspaceId: string,
  messageId: string,
  userIds: string[],
  now: Date,
) =>
  trx
    .insertInto("message_mentions")
    .values(
      userIds.map((user_id) => ({
        workspace_id: workspaceId,
        message_id: messageId,
        user_id,
        created_at: now,
      })),
    )
    .execute();

export async function replaceFollowers(trx: TDb, workspaceId: string, ticketId: string, userIds: string[]) {
  await trx
    .deleteFrom("ticket_followers")
    .where("workspace_id", "=", workspaceId)
    .where("ticket_id", "=", ticketId)
    .execute();
  if (userIds.length === 0) return;
  await trx
    .insertInto("ticket_followers")
    .values(userIds.map((user_id) => ({ workspace_id: workspaceId, ticket_id: ticketId, user_id })))
    .execute();
}

/**
 * The staff among these ids who may work on a ticket of the brand: active users of the workspace
 * that are owners or admins, or have the brand. Light agents are included only when asked.
 */
export async function staffWithBrandAccess(
  db: TDb,
  workspaceId: string,
  brandId: string,
  userIds: string[],
  opts: { includeLightAgents: boolean },
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("users")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", userIds)
    .where("active", "=", true)
    .$if(!opts.includeLightAgents, (q) => q.where("role", "!=", "light_agent"))
    .where((eb) =>
      eb.or([
        eb("role", "in", ["owner", "admin"]),
        eb.exists(
          eb
            .selectFrom("user_brands")
            .select("user_brands.user_id")
            .whereRef("user_brands.workspace_id", "=", "users.workspace_id")
            .whereRef("user_brands.user_id", "=", "users.id")
            .where("user_brands.brand_id", "=", brandId),
        ),
      ]),
    )
    .execute();
  return new Set(rows.map((r) => r.id));
}

export const groupExists = async (db: TDb, workspaceId: string, groupId: string) =>
  (await db
    .selectFrom("groups")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", groupId)
    .executeTakeFirst()) !== undefined;

export const insertMessages = (trx: TDb, rows: Insertable<MessagesTable>[]) =>
  trx.insertInto("messages").values(rows).execute();

export type TMessageView = Selectable<MessagesTable> & {
  mention_ids: string[];
  author_user_name: string | null;
  author_customer_name: string | null;
  delivery_state: "queued" | "sending" | "sent" | "failed" | null;
  delivery_error: string | null;
  delivery_sent_at: Date | null;
};

const messageViews = (db: TDb, workspaceId: string) =>
  db
    .selectFrom("messages")
    .leftJoin("users", (j) =>
      j
        .onRef("users.workspace_id", "=", "messages.workspace_id")
        .onRef("users.id", "=", "messages.author_user_id"),
    )
    .leftJoin("customers", (j) =>
      j
        .onRef("customers.workspace_id", "=", "messages.workspace_id")
        .onRef("customers.id", "=", "messages.author_customer_id"),
    )
    // A reply we send by email has one outgoing row; its state is the message's delivery.
    .leftJoin("outbound_emails as ob", (j) =>
      j
        .onRef("ob.workspace_id", "=", "messages.workspace_id")
        .onRef("ob.ticket_message_id", "=", "messages.id")
        .on("ob.kind", "=", "reply"),
    )
    .selectAll("messages")
    .select([
      sql<string[]>`(SELECT coalesce(array_agg(mm.user_id::text ORDER BY mm.user_id), '{}')
        FROM message_mentions mm WHERE mm.workspace_id = messages.workspace_id
          AND mm.message_id = messages.id)`.as("mention_ids"),
      "users.name as author_user_name",
      "customers.name as author_customer_name",
      "ob.state as delivery_state",
      "ob.last_error as delivery_error",
      "ob.sent_at as delivery_sent_at",
    ])
    .where("messages.workspace_id", "=", workspaceId);

/**
 * A ticket's thread, oldest first: its own messages and those of tickets merged into it.
 * `kinds` narrows it (the customer's status page shows replies only).
 */
export const listThread = (
  db: TDb,
  workspaceId: string,
  ticketId: string,
  opts: {
    after?: { at: Date; id: string } | undefined;
    limit: number;
    kinds?: MessagesTable["kind"][];
    /** Leave out the messages of tickets merged into this one. */
    ownOnly?: boolean;
  },
): Promise<TMessageView[]> =>
  messageViews(db, workspaceId)
    // "= ANY(array)" keeps the (workspace_id, ticket_id, created_at) index usable; an OR with a
    // subquery made PostgreSQL walk every message of the workspace.
    .where((eb) =>
      opts.ownOnly
        ? eb("messages.ticket_id", "=", ticketId)
        : eb(
            "messages.ticket_id",
            "=",
            sql<string>`ANY(ARRAY[${ticketId}::uuid] || ARRAY(SELECT t.id FROM tickets t
              WHERE t.workspace_id = ${workspaceId} AND t.merged_into_id = ${ticketId}))`,
          ),
    )
    .$if(opts.kinds !== undefined, (q) =>
      q.where("messages.kind", "in", opts.kinds as MessagesTable["kind"][]),
    )
    .$if(opts.after !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb("messages.created_at", ">", opts.after?.at as Date),
          eb.and([
            eb("messages.created_at", "=", opts.after?.at as Date),
            eb("messages.id", ">", opts.after?.id as string),
          ]),
        ]),
      ),
    )
    .orderBy("messages.created_at")
    .orderBy("messages.id")
    .limit(opts.limit + 1)
    .execute();

export const findMessageView = (db: TDb, workspaceId: string, messageId: string) =>
  messageViews(db, workspaceId).where("messages.id", "=", messageId).executeTakeFirst();

/** The requester's and CCs' customer ids when the email address is one of them, in the ticket's brand. */
export const isParticipant = async (trx: TDb, workspaceId: string, ticketId: string, email: string) =>
  (
    await sql<{ one: number }>`SELECT 1 AS one FROM tickets t
      JOIN customer_identities ci ON ci.workspace_id = t.workspace_id AND ci.brand_id = t.brand_id
        AND ci.kind = 'email' AND ci.value = ${email}
      WHERE t.workspace_id = ${workspaceId} AND t.id = ${ticketId}
        AND (ci.customer_id = t.requester_id OR EXISTS (SELECT 1 FROM ticket_ccs c
          WHERE c.workspace_id = t.workspace_id AND c.ticket_id = t.id AND c.customer_id = ci.customer_id))
      LIMIT 1`.execute(trx)
  ).rows.length > 0;

export const insertTicketLink = (
  trx: TDb,
  workspaceId: string,
  link: { ticketId: string; linkedTicketId: string; kind: "follow_up" | "related"; now: Date },
) =>
  trx
    .insertInto("ticket_links")
    .values({
      workspace_id: workspaceId,
      ticket_id: link.ticketId,
      linked_ticket_id: link.linkedTicketId,
      kind: link.kind,
      created_at: link.now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();

/** The ticket's requester and CCs with their email addresses and languages, for outgoing mail. */
export const listRecipients = (db: TDb, workspaceId: string, ticketId: string) =>
  sql<{ customer_id: string; name: string; locale: string | null; email: string; role: "requester" | "cc" }>`
    SELECT c.id AS customer_id, c.name, c.locale, ci.value AS email,
      CASE WHEN c.id = t.requester_id THEN 'requester' ELSE 'cc' END AS role
    FROM tickets t
    JOIN customers c ON c.workspace_id = t.workspace_id AND (c.id = t.requester_id OR c.id IN (
      SELECT customer_id FROM ticket_ccs WHERE workspace_id = t.workspace_id AND ticket_id = t.id))
    JOIN LATERAL (SELECT value FROM customer_identities WHERE workspace_id = c.workspace_id
      AND customer_id = c.id AND kind = 'email' AND bounced_at IS NULL ORDER BY created_at, id LIMIT 1) ci ON true
    WHERE t.workspace_id = ${workspaceId} AND t.id = ${ticketId}
    ORDER BY (c.id = t.requester_id) DESC, c.id`
    .execute(db)
    .then((r) => r.rows);

export const findMessageHtml = async (trx: TDb, workspaceId: string, messageId: string) =>
  (
    await trx
      .selectFrom("messages")
      .select("body_html")
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", messageId)
      .executeTakeFirst()
  )?.body_html ?? null;

export const updateMessageHtml = (trx: TDb, workspaceId: string, messageId: string, html: string) =>
  trx
    .updateTable("messages")
    .set({ body_html: html })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", messageId)
    .execute();
