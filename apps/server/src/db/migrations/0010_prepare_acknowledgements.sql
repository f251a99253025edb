-- What an acknowledgement says (ticket number, subject, recipient, language, status link) is captured
-- in the transaction that opened its ticket, so that sending it reads nothing else. It holds the
-- status page link with the ticket's secret: it is cleared once sent, as the link alone was before.
ALTER TABLE outbound_emails ADD COLUMN acknowledgement jsonb;
ALTER TABLE outbound_emails DROP COLUMN status_url;
