-- Merging customers moves their CCs: find a customer's CCs without reading every CC of the workspace.
CREATE INDEX ticket_ccs_customer_idx ON ticket_ccs (workspace_id, customer_id);
