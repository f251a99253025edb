-- Ticket numbers come from one sequence per workspace instead of a counter row: nextval takes no
-- lock that lives until commit, so concurrent creates no longer queue behind each other's commit.
-- Numbers stay sequential and are never reused (a failed insert may leave a gap).
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT workspace_id, last_number FROM ticket_counters LOOP
    EXECUTE format('CREATE SEQUENCE %I START %s', 'ticket_number_' || replace(r.workspace_id::text, '-', ''), r.last_number + 1);
  END LOOP;
END $$;

DROP TABLE ticket_counters;
