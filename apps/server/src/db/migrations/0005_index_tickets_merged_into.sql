-- A ticket's thread also lists the messages of tickets merged into it; find those by index.
CREATE INDEX tickets_merged_into_idx ON tickets (workspace_id, merged_into_id) WHERE merged_into_id IS NOT NULL;
