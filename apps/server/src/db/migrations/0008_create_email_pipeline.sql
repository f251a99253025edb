-- The email channel: raw inbound mail stored before anything else, Message-IDs for threading,
-- outgoing mail as rows the send job works through, links between tickets, per-brand mail settings.

-- Every accepted message, raw, before it is parsed. The row is the promise that it will be processed:
-- "received" until a job turns it into a ticket or message ("processed"), decides it needs nothing
-- ("ignored"), or gives up on it ("quarantined", with the error, until an admin reprocesses it).
CREATE TABLE inbound_emails (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  id uuid NOT NULL,
  brand_id uuid,
  source text NOT NULL CHECK (source IN ('smtp', 'imap', 'webhook')),
  mailbox_id uuid,
  envelope_from text,
  recipients text[] NOT NULL DEFAULT '{}',
  message_id text,
  -- Message-ID and a hash of the content without trace headers: a second delivery of the same mail
  -- (a retried SMTP transaction, a mailbox read twice) finds this row and stores nothing.
  dedup_key text NOT NULL,
  subject text NOT NULL DEFAULT '',
  from_address text,
  raw bytea NOT NULL,
  size_bytes integer NOT NULL,
  state text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'processed', 'ignored', 'quarantined')),
  outcome text,
  ticket_id uuid,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, dedup_key),
  FOREIGN KEY (workspace_id, brand_id) REFERENCES brands (workspace_id, id) ON DELETE SET NULL (brand_id)
);
CREATE INDEX inbound_emails_state_idx ON inbound_emails (workspace_id, state, received_at DESC, id DESC);
-- The sweep that re-queues mail whose job was lost (a crash between commit and the worker) reads this.
CREATE INDEX inbound_emails_pending_idx ON inbound_emails (received_at) WHERE state = 'received';

-- Message-IDs we received or sent, per brand: rule 1 of threading looks replies up here.
CREATE TABLE email_message_ids (
  workspace_id uuid NOT NULL,
  brand_id uuid NOT NULL,
  message_id text NOT NULL,
  ticket_id uuid NOT NULL,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, brand_id, message_id, ticket_id),
  FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets (workspace_id, id) ON DELETE CASCADE
);

-- How an email became part of the thread, shown to staff ("joined by References", ...).
ALTER TABLE messages ADD COLUMN email_message_id text;
ALTER TABLE messages ADD COLUMN inbound_email_id uuid;
ALTER TABLE messages ADD COLUMN thread_rule text;
-- The quoted history below an email's new text: kept, shown collapsed.
ALTER TABLE messages ADD COLUMN quoted_text text;

-- Outgoing mail: one row per message and kind, so a retried job never sends twice.
CREATE TABLE outbound_emails (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  brand_id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  ticket_message_id uuid,
  kind text NOT NULL CHECK (kind IN ('reply', 'acknowledgement')),
  message_id text NOT NULL,
  to_address text NOT NULL,
  -- The acknowledgement's link to the status page (it holds the ticket's secret): cleared once sent.
  status_url text,
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, message_id),
  FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX outbound_emails_message_idx ON outbound_emails (workspace_id, ticket_message_id);
-- Automatic answers to one address are rate-limited; this counts the recent ones.
CREATE INDEX outbound_emails_recipient_idx ON outbound_emails (workspace_id, to_address, created_at) WHERE kind = 'acknowledgement';

-- A follow-up to a closed ticket, or a new ticket naming another one it may not join.
CREATE TABLE ticket_links (
  workspace_id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  linked_ticket_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('follow_up', 'related')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, ticket_id, linked_ticket_id),
  FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, linked_ticket_id) REFERENCES tickets (workspace_id, id) ON DELETE CASCADE
);

-- A customer's email address that bounced: staff see it, and we stop acknowledging it.
ALTER TABLE customer_identities ADD COLUMN bounced_at timestamptz;
ALTER TABLE customer_identities ADD COLUMN bounce_reason text;

-- Per brand: the outgoing server (else the install-wide relay), the signature, the acknowledgement.
CREATE TABLE brand_mail_settings (
  workspace_id uuid NOT NULL,
  brand_id uuid NOT NULL,
  smtp_host text,
  smtp_port integer,
  smtp_secure boolean NOT NULL DEFAULT false,
  smtp_username text,
  smtp_password text,
  signature text NOT NULL DEFAULT '',
  send_acknowledgement boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, brand_id),
  FOREIGN KEY (workspace_id, brand_id) REFERENCES brands (workspace_id, id) ON DELETE CASCADE
);
