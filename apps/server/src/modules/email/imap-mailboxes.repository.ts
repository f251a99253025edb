import { type Insertable, type Selectable, sql, type Updateable } from "kysely";
import type { TDb } from "../../db/connection.ts";
import type { ImapMailboxesTable } from "../../db/schema.ts";

export type TImapMailboxRow = Selectable<ImapMailboxesTable>;

export const listMailboxes = (db: TDb, workspaceId: string, brandId: string) =>
  db
    .selectFrom("imap_mailboxes")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("brand_id", "=", brandId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();

export const findMailbox = (db: TDb, workspaceId: string, id: string) =>
  db
    .selectFrom("imap_mailboxes")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();

/** Another mailbox of the workspace reading the same folder of the same account. */
export const findSameAccount = (
  db: TDb,
  workspaceId: string,
  account: { host: string; username: string; folder: string },
  exceptId: string | null,
) =>
  db
    .selectFrom("imap_mailboxes")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where(sql<string>`lower(host)`, "=", account.host.toLowerCase())
    .where(sql<string>`lower(username)`, "=", account.username.toLowerCase())
    .where("folder", "=", account.folder)
    .$if(exceptId !== null, (q) => q.where("id", "!=", exceptId as string))
    .executeTakeFirst();

export const isSupportAddressOfBrand = async (
  db: TDb,
  workspaceId: string,
  brandId: string,
  address: string,
) =>
  (await db
    .selectFrom("support_addresses")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("brand_id", "=", brandId)
    .where("address", "=", address)
    .executeTakeFirst()) !== undefined;

export const insertMailbox = (db: TDb, row: Insertable<ImapMailboxesTable>) =>
  db.insertInto("imap_mailboxes").values(row).execute();

export const updateMailbox = (
  db: TDb,
  workspaceId: string,
  id: string,
  set: Updateable<ImapMailboxesTable>,
) =>
  db
    .updateTable("imap_mailboxes")
    .set(set)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .execute();

export const deleteMailbox = (db: TDb, workspaceId: string, id: string) =>
  db.deleteFrom("imap_mailboxes").where("workspace_id", "=", workspaceId).where("id", "=", id).execute();

// The gateway's lease rounds. Unlike everything above they span workspaces, as the job queue does:
// a process asks "which mailboxes are free" and "which are mine". Lease times come from the
// database's clock, so processes on hosts whose clocks disagree still agree on who holds what.

const leaseEnd = (leaseMs: number) =>
  sql<Date>`now() + ${leaseMs}::double precision * interval '1 millisecond'`;
const leaseFree = sql<boolean>`(lease_expires_at IS NULL OR lease_expires_at < now())`;

/** Gives up the leases `owner` holds on mailboxes that were disabled meanwhile. */
export const releaseDisabled = (db: TDb, owner: string) =>
  db
    .updateTable("imap_mailboxes")
    .set({ lease_owner: null, lease_expires_at: null })
    .where("lease_owner", "=", owner)
    .where("enabled", "=", false)
    .execute();

/** Extends every lease `owner` still holds; the rows answered are the mailboxes it may go on reading. */
export const renewLeases = (db: TDb, owner: string, leaseMs: number) =>
  db
    .updateTable("imap_mailboxes")
    .set({ lease_expires_at: leaseEnd(leaseMs) })
    .where("lease_owner", "=", owner)
    .where("enabled", "=", true)
    .returningAll()
    .execute();

/** Enabled mailboxes nobody holds (or whose holder's lease ran out), the longest-waiting first. */
export const listClaimable = (db: TDb, limit: number) =>
  db
    .selectFrom("imap_mailboxes")
    .select(["workspace_id", "id"])
    .where("enabled", "=", true)
    .where(leaseFree)
    .orderBy("lease_expires_at", (o) => o.asc().nullsFirst())
    .limit(limit)
    .execute();

/**
 * Takes one mailbox for `owner` if it is still free. The condition is checked again on the row
 * itself, so when two processes race for it, the second one's UPDATE (re-checked after the first
 * committed) matches nothing: one owner per mailbox.
 */
export const claimMailbox = (db: TDb, workspaceId: string, id: string, owner: string, leaseMs: number) =>
  db
    .updateTable("imap_mailboxes")
    .set({ lease_owner: owner, lease_expires_at: leaseEnd(leaseMs) })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("enabled", "=", true)
    .where(leaseFree)
    .returningAll()
    .executeTakeFirst();

/** Gives up `owner`'s leases (all of them, or one mailbox's) so another process may take over at once. */
export const releaseLeases = (db: TDb, owner: string, only?: { workspaceId: string; id: string }) =>
  db
    .updateTable("imap_mailboxes")
    .set({ lease_owner: null, lease_expires_at: null })
    .where("lease_owner", "=", owner)
    .$if(only !== undefined, (q) =>
      q.where("workspace_id", "=", only?.workspaceId as string).where("id", "=", only?.id as string),
    )
    .execute();

/**
 * Saves where the import stands, only while `owner` holds the lease and the mailbox still points at
 * the account and folder the state belongs to (an admin may have changed them, which resets it).
 */
export const saveImportState = (
  db: TDb,
  key: { workspaceId: string; id: string; owner: string },
  account: { host: string; port: number; username: string; folder: string },
  set: { uidValidity: string | null; lastUid: number; lastError: string | null; at: Date },
) =>
  db
    .updateTable("imap_mailboxes")
    .set({
      uid_validity: set.uidValidity,
      last_uid: set.lastUid,
      last_error: set.lastError,
      last_checked_at: set.at,
    })
    .where("workspace_id", "=", key.workspaceId)
    .where("id", "=", key.id)
    .where("lease_owner", "=", key.owner)
    .where("host", "=", account.host)
    .where("port", "=", account.port)
    .where("username", "=", account.username)
    .where("folder", "=", account.folder)
    .execute();

/** Records a mailbox's health (its last error, when it last worked) while `owner` holds it. */
export const saveHealth = (
  db: TDb,
  key: { workspaceId: string; id: string; owner: string },
  set: { lastError: string | null; checkedAt: Date | null },
) =>
  db
    .updateTable("imap_mailboxes")
    .set({ last_error: set.lastError, ...(set.checkedAt ? { last_checked_at: set.checkedAt } : {}) })
    .where("workspace_id", "=", key.workspaceId)
    .where("id", "=", key.id)
    .where("lease_owner", "=", key.owner)
    .execute();

/** The mailboxes `owner` reads without trouble: seen working now. */
export const markChecked = (
  db: TDb,
  owner: string,
  keys: Array<{ workspaceId: string; id: string }>,
  at: Date,
) =>
  db
    .updateTable("imap_mailboxes")
    .set({ last_checked_at: at, last_error: null })
    .where("lease_owner", "=", owner)
    .where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple("workspace_id", "id"),
        "in",
        keys.map((k) => tuple(k.workspaceId, k.id)),
      ),
    )
    .execute();
