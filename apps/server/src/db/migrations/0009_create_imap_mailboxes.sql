-- IMAP mailboxes a brand's mail is read from. Every server process runs the IMAP gateway
-- (modules/email/imap-gateway.ts): it leases a mailbox (lease_owner until lease_expires_at, renewed
-- while it watches), so exactly one process reads each one, and another takes over once a crashed
-- owner's lease has run out.
CREATE TABLE imap_mailboxes (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  brand_id uuid NOT NULL,
  -- The support address (of this brand) its mail counts as sent to.
  address text NOT NULL CHECK (address = lower(address)),
  host text NOT NULL,
  port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  -- TLS from the first byte (993); otherwise STARTTLS, required unless the host is loopback.
  secure boolean NOT NULL DEFAULT true,
  username text NOT NULL,
  auth_kind text NOT NULL CHECK (auth_kind IN ('password', 'oauth2')),
  -- The password or the OAuth2 access token; never returned by the API.
  secret text NOT NULL,
  folder text NOT NULL DEFAULT 'INBOX',
  after_import text NOT NULL DEFAULT 'seen' CHECK (after_import IN ('seen', 'move')),
  move_to text,
  enabled boolean NOT NULL DEFAULT true,
  -- Where the import stands: every message up to last_uid of this UIDVALIDITY has been stored and
  -- flagged; null until the gateway first opened the folder.
  uid_validity text,
  last_uid bigint NOT NULL DEFAULT 0 CHECK (last_uid >= 0),
  last_error text,
  last_checked_at timestamptz,
  lease_owner text,
  lease_expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, brand_id) REFERENCES brands (workspace_id, id) ON DELETE CASCADE,
  CHECK (after_import = 'seen' OR (move_to IS NOT NULL AND move_to <> folder))
);
CREATE INDEX imap_mailboxes_brand_idx ON imap_mailboxes (workspace_id, brand_id);
-- One folder of one account is read once per workspace.
CREATE UNIQUE INDEX imap_mailboxes_account_idx ON imap_mailboxes (workspace_id, lower(host), lower(username), folder);
-- The gateway's lease rounds span workspaces (like the job queue): free mailboxes, and a process's own.
CREATE INDEX imap_mailboxes_lease_idx ON imap_mailboxes (lease_expires_at) WHERE enabled;
CREATE INDEX imap_mailboxes_owner_idx ON imap_mailboxes (lease_owner) WHERE lease_owner IS NOT NULL;
