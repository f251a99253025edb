import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Kysely's view of the tables in migrations/. Keep in step with the SQL. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

export type TAuditChange = { field: string; before: unknown; after: unknown };

export type WorkspacesTable = { id: string; name: string; created_at: Timestamp; updated_at: Timestamp };
export type LoginIdentitiesTable = { email: string; workspace_id: string; user_id: string };
export type BrandSlugsTable = { slug: string; workspace_id: string; brand_id: string };
export type LoginFailuresTable = { id: Generated<string>; email: string; ip: string; created_at: Timestamp };

export type BrandsTable = {
  workspace_id: string;
  id: string;
  name: string;
  slug: string;
  default_locale: string;
  supported_locales: string[];
  time_zone: string;
  primary_color: Generated<string>;
  accent_color: Generated<string>;
  logo_url: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type UsersTable = {
  workspace_id: string;
  id: string;
  email: string;
  name: string;
  role: "owner" | "admin" | "supervisor" | "agent" | "light_agent";
  password_hash: string | null;
  locale: Generated<string>;
  time_zone: Generated<string>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type UserBrandsTable = { workspace_id: string; user_id: string; brand_id: string };
export type GroupsTable = {
  workspace_id: string;
  id: string;
  name: string;
  description: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type GroupMembersTable = { workspace_id: string; group_id: string; user_id: string };

export type SessionsTable = {
  workspace_id: string;
  id: string;
  user_id: string;
  secret_hash: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
};

export type ApiTokensTable = {
  workspace_id: string;
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: Timestamp;
};

export type CustomersTable = {
  workspace_id: string;
  id: string;
  brand_id: string;
  name: Generated<string>;
  notes: Generated<string>;
  locale: string | null;
  merged_into_id: string | null;
  search_text: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type CustomerIdentitiesTable = {
  workspace_id: string;
  id: string;
  customer_id: string;
  brand_id: string;
  kind: "email" | "phone";
  value: string;
  created_at: Timestamp;
  bounced_at: NullableTimestamp;
  bounce_reason: string | null;
};

export type CategoriesTable = {
  workspace_id: string;
  id: string;
  key: string;
  name: string;
  position: Generated<number>;
  archived: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type CustomFieldsTable = {
  workspace_id: string;
  id: string;
  key: string;
  label: string;
  kind: "text" | "number" | "dropdown" | "checkbox" | "date";
  options: Generated<string[]>;
  required: Generated<boolean>;
  position: Generated<number>;
  archived: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type TTicketStatus = "new" | "open" | "pending" | "on_hold" | "solved" | "closed";
export type TTicketPriority = "low" | "normal" | "high" | "urgent";
export type TTicketType = "question" | "incident" | "problem" | "task";
export type TTicketChannel = "email" | "web" | "chat" | "phone" | "api";

export type TicketsTable = {
  workspace_id: string;
  id: string;
  brand_id: string;
  // bigint arrives from pg as a string; the DTO turns it into a number.
  number: ColumnType<string, string | number, never>;
  subject: string;
  status: Generated<TTicketStatus>;
  priority: Generated<TTicketPriority>;
  type: Generated<TTicketType>;
  channel: TTicketChannel;
  category_id: string | null;
  requester_id: string;
  assignee_id: string | null;
  group_id: string | null;
  tags: Generated<string[]>;
  due_at: NullableTimestamp;
  custom_fields: Json<Record<string, unknown>>;
  order_number: string | null;
  is_spam: Generated<boolean>;
  deleted_at: NullableTimestamp;
  merged_into_id: string | null;
  public_token_hash: string;
  search_text: Generated<string>;
  solved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  last_message_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type TicketCcsTable = { workspace_id: string; ticket_id: string; customer_id: string };
export type TicketFollowersTable = { workspace_id: string; ticket_id: string; user_id: string };

export type TMessageKind = "reply" | "note" | "event";
export type MessagesTable = {
  workspace_id: string;
  id: string;
  ticket_id: string;
  kind: TMessageKind;
  channel: TTicketChannel | "internal";
  author_user_id: string | null;
  author_customer_id: string | null;
  body_text: Generated<string>;
  body_html: string | null;
  event: Json<Record<string, unknown> | null> | null;
  email_message_id: string | null;
  inbound_email_id: string | null;
  thread_rule: string | null;
  quoted_text: string | null;
  created_at: Timestamp;
};

export type MessageMentionsTable = {
  workspace_id: string;
  message_id: string;
  user_id: string;
  created_at: Timestamp;
};

export type AttachmentsTable = {
  workspace_id: string;
  id: string;
  ticket_id: string;
  message_id: string | null;
  sha256: string;
  filename: string;
  content_type: string;
  size_bytes: ColumnType<string, number, never>;
  created_at: Timestamp;
};

export type AuditEventsTable = {
  workspace_id: string;
  id: string;
  entity_type: string;
  entity_id: string;
  action: string;
  actor_type: "user" | "customer" | "system";
  actor_id: string | null;
  changes: Json<TAuditChange[]>;
  created_at: Timestamp;
};

export type IdempotencyKeysTable = {
  workspace_id: string;
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Json<unknown>;
  created_at: Timestamp;
};

export type SupportAddressesTable = {
  workspace_id: string;
  id: string;
  brand_id: string;
  address: string;
  display_name: Generated<string>;
  is_default: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type InboundAddressesTable = { address: string; workspace_id: string; address_id: string };

export type TInboundState = "received" | "processed" | "ignored" | "quarantined";
export type InboundEmailsTable = {
  workspace_id: string;
  id: string;
  brand_id: string | null;
  source: "smtp" | "imap" | "webhook";
  mailbox_id: string | null;
  envelope_from: string | null;
  recipients: string[];
  message_id: string | null;
  dedup_key: string;
  subject: Generated<string>;
  from_address: string | null;
  raw: Buffer;
  size_bytes: number;
  state: Generated<TInboundState>;
  outcome: string | null;
  ticket_id: string | null;
  error: string | null;
  attempts: Generated<number>;
  received_at: Timestamp;
  processed_at: NullableTimestamp;
};

export type EmailMessageIdsTable = {
  workspace_id: string;
  brand_id: string;
  message_id: string;
  ticket_id: string;
  direction: "inbound" | "outbound";
  created_at: Timestamp;
};

export type TOutboundState = "queued" | "sending" | "sent" | "failed";
export type OutboundEmailsTable = {
  workspace_id: string;
  id: string;
  brand_id: string;
  ticket_id: string;
  ticket_message_id: string | null;
  kind: "reply" | "acknowledgement";
  message_id: string;
  to_address: string;
  /** What an acknowledgement says, until it is sent. */
  acknowledgement: Json<Record<string, unknown> | null> | null;
  state: Generated<TOutboundState>;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type TicketLinksTable = {
  workspace_id: string;
  ticket_id: string;
  linked_ticket_id: string;
  kind: "follow_up" | "related";
  created_at: Timestamp;
};

export type BrandMailSettingsTable = {
  workspace_id: string;
  brand_id: string;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_secure: Generated<boolean>;
  smtp_username: string | null;
  smtp_password: string | null;
  signature: Generated<string>;
  send_acknowledgement: Generated<boolean>;
  updated_at: Timestamp;
};

export type ImapMailboxesTable = {
  workspace_id: string;
  id: string;
  brand_id: string;
  address: string;
  host: string;
  port: number;
  secure: Generated<boolean>;
  username: string;
  auth_kind: "password" | "oauth2";
  secret: string;
  folder: Generated<string>;
  after_import: Generated<"seen" | "move">;
  move_to: string | null;
  enabled: Generated<boolean>;
  uid_validity: string | null;
  /** bigint: read as a string. */
  last_uid: ColumnType<string, number | string | undefined, number | string>;
  last_error: string | null;
  last_checked_at: NullableTimestamp;
  lease_owner: string | null;
  lease_expires_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type ViewsTable = {
  workspace_id: string;
  id: string;
  /** null: a shared view. */
  owner_user_id: string | null;
  name: string;
  /** A ZViewFilters object. */
  filters: Json<Record<string, unknown>>;
  sort: "updated_at" | "created_at" | "number" | "priority" | "status" | "due_at" | "solved_at";
  sort_direction: "asc" | "desc";
  position: number;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type DB = {
  workspaces: WorkspacesTable;
  login_identities: LoginIdentitiesTable;
  brand_slugs: BrandSlugsTable;
  login_failures: LoginFailuresTable;
  brands: BrandsTable;
  users: UsersTable;
  user_brands: UserBrandsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  customers: CustomersTable;
  customer_identities: CustomerIdentitiesTable;
  categories: CategoriesTable;
  custom_fields: CustomFieldsTable;
  tickets: TicketsTable;
  ticket_ccs: TicketCcsTable;
  ticket_followers: TicketFollowersTable;
  messages: MessagesTable;
  message_mentions: MessageMentionsTable;
  attachments: AttachmentsTable;
  audit_events: AuditEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  support_addresses: SupportAddressesTable;
  inbound_addresses: InboundAddressesTable;
  inbound_emails: InboundEmailsTable;
  email_message_ids: EmailMessageIdsTable;
  outbound_emails: OutboundEmailsTable;
  ticket_links: TicketLinksTable;
  brand_mail_settings: BrandMailSettingsTable;
  imap_mailboxes: ImapMailboxesTable;
  views: ViewsTable;
};

export type TBrandRow = Selectable<BrandsTable>;
export type TUserRow = Selectable<UsersTable>;
export type TCustomerRow = Selectable<CustomersTable>;
export type TTicketRow = Selectable<TicketsTable>;
export type TMessageRow = Selectable<MessagesTable>;
export type TAttachmentRow = Selectable<AttachmentsTable>;
export type TNewTicket = Insertable<TicketsTable>;
export type TTicketUpdate = Updateable<TicketsTable>;
