-- Foundation: tenancy, staff, customers, tickets, audit.
-- Every tenant table has primary key (workspace_id, id) and tenant foreign keys carry workspace_id,
-- so the database itself refuses a row that points into another workspace (and Citus stays possible).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Global tables ----------------------------------------------------------------------------------

CREATE TABLE workspaces (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Login e-mail → the workspace and user it belongs to (e-mail is unique across workspaces).
CREATE TABLE login_identities (
  email text PRIMARY KEY CHECK (email = lower(email)),
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  user_id uuid NOT NULL
);

-- Public brand slug → workspace, so public pages can find a brand without a session.
CREATE TABLE brand_slugs (
  slug text PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  brand_id uuid NOT NULL
);

-- Failed logins, for throttling per account and per IP across server processes.
CREATE TABLE login_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  ip text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, created_at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, created_at);

-- Tenant tables ----------------------------------------------------------------------------------

CREATE TABLE brands (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  id uuid NOT NULL,
  name text NOT NULL,
  slug text NOT NULL,
  default_locale text NOT NULL,
  supported_locales text[] NOT NULL,
  time_zone text NOT NULL,
  primary_color text NOT NULL DEFAULT '#2563eb',
  accent_color text NOT NULL DEFAULT '#0f766e',
  logo_url text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, slug)
);

CREATE TABLE users (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(email)),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'supervisor', 'agent', 'light_agent')),
  password_hash text,
  locale text NOT NULL DEFAULT 'en',
  time_zone text NOT NULL DEFAULT 'UTC',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, email)
);

CREATE TABLE user_brands (
  workspace_id uuid NOT NULL,
  user_id uuid NOT NULL,
  brand_id uuid NOT NULL,
  PRIMARY KEY (workspace_id, user_id, brand_id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, brand_id) REFERENCES brands (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE groups (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  id uuid NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, name)
);

CREATE TABLE group_members (
  workspace_id uuid NOT NULL,
  group_id uuid NOT NULL,
  user_id uuid NOT NULL,
  PRIMARY KEY (workspace_id, group_id, user_id),
  FOREIGN KEY (workspace_id, group_id) REFERENCES groups (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE sessions (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  secret_hash text NOT NULL,
  csrf_token text NOT NULL,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE api_tokens (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  name text NOT NULL,
  secret_hash text NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX api_tokens_user_idx ON api_tokens (workspace_id, user_id);

CREATE TABLE customers (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  brand_id uuid NOT NULL,
  name text NOT NULL DEFAULT '',
  notes text NOT NULL DEFAULT '',
  locale text,
  merged_into_id uuid,
  search_text text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, brand_id) REFERENCES brands (workspace_id, id),
  FOREIGN KEY (workspace_id, merged_into_id) REFERENCES customers (workspace_id, id)
);
CREATE INDEX customers_brand_idx ON customers (workspace_id, brand_id, id);
CREATE INDEX customers_search_trgm_idx ON customers USING gin (search_text gin_trgm_ops);
CREATE INDEX customers_search_fts_idx ON customers USING gin (to_tsvector('simple', search_text));

CREATE TABLE customer_identities (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  brand_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('email', 'phone')),
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, brand_id, kind, value),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, brand_id) REFERENCES brands (workspace_id, id)
);
CREATE INDEX customer_identities_customer_idx ON customer_identities (workspace_id, customer_id);

CREATE TABLE categories (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  id uuid NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  position integer NOT NULL DEFAULT 0,
  archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, key)
);

CREATE TABLE custom_fields (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  id uuid NOT NULL,
  key text NOT NULL,
  label text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('text', 'number', 'dropdown', 'checkbox', 'date')),
  options text[] NOT NULL DEFAULT '{}',
  required boolean NOT NULL DEFAULT false,
  position integer NOT NULL DEFAULT 0,
  archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, key)
);

-- One row per workspace; incremented as the last statement of the creating transaction so the
-- row lock is held only for the commit. Numbers are never reused.
CREATE TABLE ticket_counters (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id),
  last_number bigint NOT NULL DEFAULT 1000
);

CREATE TABLE tickets (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  brand_id uuid NOT NULL,
  number bigint NOT NULL,
  subject text NOT NULL,
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  type text NOT NULL DEFAULT 'question' CHECK (type IN ('question', 'incident', 'problem', 'task')),
  channel text NOT NULL CHECK (channel IN ('email', 'web', 'chat', 'phone', 'api')),
  category_id uuid,
  requester_id uuid NOT NULL,
  assignee_id uuid,
  group_id uuid,
  tags text[] NOT NULL DEFAULT '{}',
  due_at timestamptz,
  custom_fields jsonb NOT NULL DEFAULT '{}',
  order_number text,
  is_spam boolean NOT NULL DEFAULT false,
  deleted_at timestamptz,
  merged_into_id uuid,
  public_token_hash text NOT NULL,
  search_text text NOT NULL DEFAULT '',
  solved_at timestamptz,
  closed_at timestamptz,
  last_message_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, number),
  FOREIGN KEY (workspace_id, brand_id) REFERENCES brands (workspace_id, id),
  FOREIGN KEY (workspace_id, requester_id) REFERENCES customers (workspace_id, id),
  FOREIGN KEY (workspace_id, assignee_id) REFERENCES users (workspace_id, id),
  FOREIGN KEY (workspace_id, group_id) REFERENCES groups (workspace_id, id),
  FOREIGN KEY (workspace_id, category_id) REFERENCES categories (workspace_id, id),
  FOREIGN KEY (workspace_id, merged_into_id) REFERENCES tickets (workspace_id, id)
);
CREATE INDEX tickets_brand_updated_idx ON tickets (workspace_id, brand_id, updated_at DESC, id DESC);
CREATE INDEX tickets_updated_idx ON tickets (workspace_id, updated_at DESC, id DESC);
CREATE INDEX tickets_requester_idx ON tickets (workspace_id, requester_id);
CREATE INDEX tickets_assignee_idx ON tickets (workspace_id, assignee_id, status);
CREATE INDEX tickets_status_idx ON tickets (workspace_id, status);
CREATE INDEX tickets_search_fts_idx ON tickets USING gin (to_tsvector('simple', search_text));
CREATE INDEX tickets_subject_trgm_idx ON tickets USING gin (subject gin_trgm_ops);

CREATE TABLE ticket_ccs (
  workspace_id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  PRIMARY KEY (workspace_id, ticket_id, customer_id),
  FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id)
);

CREATE TABLE ticket_followers (
  workspace_id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  user_id uuid NOT NULL,
  PRIMARY KEY (workspace_id, ticket_id, user_id),
  FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE messages (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reply', 'note', 'event')),
  channel text NOT NULL CHECK (channel IN ('email', 'web', 'chat', 'phone', 'api', 'internal')),
  author_user_id uuid,
  author_customer_id uuid,
  body_text text NOT NULL DEFAULT '',
  body_html text,
  event jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets (workspace_id, id),
  FOREIGN KEY (workspace_id, author_user_id) REFERENCES users (workspace_id, id),
  FOREIGN KEY (workspace_id, author_customer_id) REFERENCES customers (workspace_id, id)
);
CREATE INDEX messages_ticket_idx ON messages (workspace_id, ticket_id, created_at, id);

CREATE TABLE attachments (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  message_id uuid,
  sha256 text NOT NULL,
  filename text NOT NULL,
  content_type text NOT NULL,
  size_bytes bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets (workspace_id, id),
  FOREIGN KEY (workspace_id, message_id) REFERENCES messages (workspace_id, id)
);
CREATE INDEX attachments_message_idx ON attachments (workspace_id, message_id);
CREATE INDEX attachments_ticket_idx ON attachments (workspace_id, ticket_id);

CREATE TABLE audit_events (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  id uuid NOT NULL,
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  action text NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'customer', 'system')),
  actor_id uuid,
  changes jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX audit_events_entity_idx ON audit_events (workspace_id, entity_type, entity_id, created_at, id);

-- Creating POSTs remember their answer per key, so a retried request gets the same response.
CREATE TABLE idempotency_keys (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, scope, key)
);
