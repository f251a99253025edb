-- Support addresses: mail to one of them becomes a ticket of its brand.
CREATE TABLE support_addresses (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  brand_id uuid NOT NULL,
  address text NOT NULL CHECK (address = lower(address)),
  display_name text NOT NULL DEFAULT '',
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, address),
  FOREIGN KEY (workspace_id, brand_id) REFERENCES brands (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX support_addresses_brand_idx ON support_addresses (workspace_id, brand_id);
-- At most one default (the From of replies) per brand.
CREATE UNIQUE INDEX support_addresses_default_idx ON support_addresses (workspace_id, brand_id) WHERE is_default;

-- Global: an inbound recipient address → its workspace and address row (addresses are unique everywhere).
CREATE TABLE inbound_addresses (
  address text PRIMARY KEY CHECK (address = lower(address)),
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  address_id uuid NOT NULL
);
