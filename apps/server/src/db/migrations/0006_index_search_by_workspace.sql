-- Search indexes lead with workspace_id (btree_gin), so a search reads only its own workspace's
-- entries: no query spans two workspaces, and one tenant's size does not slow another's search.
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX tickets_ws_search_fts_idx ON tickets USING gin (workspace_id, to_tsvector('simple', search_text));
CREATE INDEX tickets_ws_subject_trgm_idx ON tickets USING gin (workspace_id, subject gin_trgm_ops);
CREATE INDEX customers_ws_search_fts_idx ON customers USING gin (workspace_id, to_tsvector('simple', search_text));
CREATE INDEX customers_ws_search_trgm_idx ON customers USING gin (workspace_id, search_text gin_trgm_ops);

DROP INDEX tickets_search_fts_idx;
DROP INDEX tickets_subject_trgm_idx;
DROP INDEX customers_search_fts_idx;
DROP INDEX customers_search_trgm_idx;
