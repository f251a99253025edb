-- An acknowledgement is composed in the transaction that opened its ticket, which knows everything it
-- says, so that sending it reads nothing. The mail holds the status page link (the ticket's secret):
-- it is cleared once sent, as the link alone was before.
ALTER TABLE outbound_emails ADD COLUMN prepared jsonb;
ALTER TABLE outbound_emails DROP COLUMN status_url;
