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

-- Ticket list sorts and view counts (EXPLAIN at 50,000 tickets: BENCHMARKS.md, "Views").
-- updated_at desc already has tickets_updated_idx. These give the other common orders an index
-- walk that stops after one page, instead of sorting every ticket of the workspace: creation time
-- (newest first), due time (soonest first; no due date last, as the list orders them), and solved
-- time (the built-in "recently solved" view, latest first).
CREATE INDEX tickets_created_idx ON tickets (workspace_id, created_at DESC, id DESC);
CREATE INDEX tickets_due_idx ON tickets (workspace_id, due_at, id);
CREATE INDEX tickets_solved_idx ON tickets (workspace_id, solved_at DESC NULLS LAST, id DESC);
-- Views list live tickets only, and their counts (re-read on every realtime ticket change) filter by
-- status, brand and assignee: counted from this index alone, without visiting the table.
CREATE INDEX tickets_live_idx ON tickets (workspace_id, status, brand_id, assignee_id)
  WHERE NOT is_spam AND deleted_at IS NULL AND merged_into_id IS NULL;
