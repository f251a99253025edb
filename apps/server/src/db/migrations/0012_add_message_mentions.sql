-- Colleagues mentioned in an internal note. A row per mention rather than an array on the message:
-- the foreign keys (carrying workspace_id) make the database refuse a user of another workspace, and
-- "notes that mention me" can be listed from the user's index.
CREATE TABLE message_mentions (
  workspace_id uuid NOT NULL,
  message_id uuid NOT NULL,
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, message_id, user_id),
  FOREIGN KEY (workspace_id, message_id) REFERENCES messages (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX message_mentions_user_idx ON message_mentions (workspace_id, user_id, created_at);
