-- Saved views: shared ones (owner_user_id null) for the whole workspace, personal ones for their owner.
-- The built-in views are defined in code (modules/views/builtin-views.ts), not stored.
CREATE TABLE views (
  workspace_id uuid NOT NULL REFERENCES workspaces (id),
  id uuid NOT NULL,
  owner_user_id uuid,
  name text NOT NULL,
  -- The ticket filters as the API takes them (ZViewFilters), checked when saved and when read.
  filters jsonb NOT NULL DEFAULT '{}',
  sort text NOT NULL DEFAULT 'updated_at'
    CHECK (sort IN ('updated_at', 'created_at', 'number', 'priority', 'status', 'due_at', 'solved_at')),
  sort_direction text NOT NULL DEFAULT 'desc' CHECK (sort_direction IN ('asc', 'desc')),
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, owner_user_id) REFERENCES users (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX views_owner_idx ON views (workspace_id, owner_user_id, position);
