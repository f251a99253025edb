import type {
  TCreateImapMailbox,
  TImapMailbox,
  TImapMailboxTestResult,
  TUpdateImapMailbox,
} from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import { canSeeBrand, requireAdmin, type TActor } from "../../lib/actor.ts";
import { AppError, badRequest, conflict, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { isUuid, newId } from "../../lib/ids.ts";
import type { TBrandsService } from "../brands/index.ts";
import { probeMailbox, type TImapMailboxConfigInput } from "./imap-mailbox.ts";
import * as repo from "./imap-mailboxes.repository.ts";

/** A stored mailbox → what imap-mailbox.ts connects with. */
export const toImapConfig = (row: repo.TImapMailboxRow): TImapMailboxConfigInput => ({
  host: row.host,
  port: row.port,
  secure: row.secure,
  username: row.username,
  auth:
    row.auth_kind === "password"
      ? { kind: "password", password: row.secret }
      : { kind: "oauth2", accessToken: row.secret },
  folder: row.folder,
  afterImport: row.after_import,
  ...(row.move_to !== null ? { moveTo: row.move_to } : {}),
});

const invalid = (field: string, message: string) =>
  badRequest("validation_failed", `${field}: ${message}`, [{ field, message, in: "body" }]);

/** IMAP mailboxes of a brand, for admins. The gateway (imap-gateway.ts) reads them. */
export function createImapMailboxesService({
  db,
  clock,
  brands,
}: {
  db: TDb;
  clock: TClock;
  brands: TBrandsService;
}) {
  const toDto = (row: repo.TImapMailboxRow): TImapMailbox => ({
    id: row.id,
    brandId: row.brand_id,
    address: row.address,
    host: row.host,
    port: row.port,
    secure: row.secure,
    username: row.username,
    authKind: row.auth_kind,
    hasSecret: row.secret.length > 0,
    folder: row.folder,
    afterImport: row.after_import,
    moveTo: row.move_to,
    enabled: row.enabled,
    lastError: row.last_error,
    lastCheckedAt: row.last_checked_at?.toISOString() ?? null,
    watched:
      row.enabled &&
      row.lease_owner !== null &&
      (row.lease_expires_at?.getTime() ?? 0) > clock.now().getTime(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  });

  /** Another workspace's id, or one of a brand the actor does not see, answers 404; then only admins. */
  async function getManaged(actor: TActor, id: string) {
    const row = isUuid(id) ? await repo.findMailbox(db, actor.workspaceId, id) : undefined;
    if (!row || !canSeeBrand(actor, row.brand_id)) throw notFound("mailbox");
    requireAdmin(actor);
    return row;
  }

  async function checkAddress(trx: TDb, actor: TActor, brandId: string, address: string) {
    if (!(await repo.isSupportAddressOfBrand(trx, actor.workspaceId, brandId, address))) {
      throw invalid(
        "address",
        "not a support address of this brand (add it under the brand's addresses first)",
      );
    }
  }

  async function checkAccount(
    trx: TDb,
    actor: TActor,
    account: { host: string; username: string; folder: string },
    exceptId: string | null,
  ) {
    if (await repo.findSameAccount(trx, actor.workspaceId, account, exceptId)) {
      throw conflict("mailbox_exists", "This folder of this account is already read by another mailbox");
    }
  }

  return {
    async listMailboxes(actor: TActor, brandId: string): Promise<TImapMailbox[]> {
      await brands.assertBrandAccess(actor, brandId);
      requireAdmin(actor);
      return (await repo.listMailboxes(db, actor.workspaceId, brandId)).map(toDto);
    },

    getMailbox: async (actor: TActor, id: string): Promise<TImapMailbox> =>
      toDto(await getManaged(actor, id)),

    async createMailbox(actor: TActor, brandId: string, input: TCreateImapMailbox): Promise<TImapMailbox> {
      await brands.assertBrandAccess(actor, brandId);
      requireAdmin(actor);
      const id = newId();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await checkAddress(trx, actor, brandId, input.address);
        await checkAccount(trx, actor, input, null);
        await repo.insertMailbox(trx, {
          workspace_id: actor.workspaceId,
          id,
          brand_id: brandId,
          address: input.address,
          host: input.host,
          port: input.port,
          secure: input.secure,
          username: input.username,
          auth_kind: input.authKind,
          secret: input.secret,
          folder: input.folder,
          after_import: input.afterImport,
          move_to: input.moveTo,
          enabled: input.enabled,
          created_at: now,
          updated_at: now,
        });
      });
      return toDto(await getManaged(actor, id));
    },

    /**
     * Changes take effect within one lease period: the gateway restarts the mailbox's watch. A new
     * account or folder starts over from that folder's unread and new mail.
     */
    async updateMailbox(actor: TActor, id: string, patch: TUpdateImapMailbox): Promise<TImapMailbox> {
      await db.transaction().execute(async (trx) => {
        const current = await repo.findMailbox(trx, actor.workspaceId, id);
        if (!current || !canSeeBrand(actor, current.brand_id)) throw notFound("mailbox");
        requireAdmin(actor);
        const next = {
          host: patch.host ?? current.host,
          port: patch.port ?? current.port,
          username: patch.username ?? current.username,
          folder: patch.folder ?? current.folder,
          afterImport: patch.afterImport ?? current.after_import,
          moveTo: patch.moveTo !== undefined ? patch.moveTo : current.move_to,
        };
        if (next.afterImport === "move" && (next.moveTo === null || next.moveTo === next.folder)) {
          throw invalid("moveTo", 'afterImport "move" needs a moveTo folder other than the one read');
        }
        if (patch.address !== undefined && patch.address !== current.address) {
          await checkAddress(trx, actor, current.brand_id, patch.address);
        }
        const accountChanged =
          next.host !== current.host ||
          next.port !== current.port ||
          next.username !== current.username ||
          next.folder !== current.folder;
        if (accountChanged) await checkAccount(trx, actor, next, id);
        await repo.updateMailbox(trx, actor.workspaceId, id, {
          address: patch.address,
          host: patch.host,
          port: patch.port,
          secure: patch.secure,
          username: patch.username,
          auth_kind: patch.authKind,
          secret: patch.secret,
          folder: patch.folder,
          after_import: patch.afterImport,
          move_to: patch.moveTo,
          enabled: patch.enabled,
          updated_at: clock.now(),
          // The UIDs of another account or folder mean nothing here: the gateway starts over.
          ...(accountChanged
            ? { uid_validity: null, last_uid: 0, last_error: null, last_checked_at: null }
            : {}),
          // New credentials deserve a fresh verdict.
          ...(patch.secret !== undefined || patch.authKind !== undefined ? { last_error: null } : {}),
        });
      });
      return toDto(await getManaged(actor, id));
    },

    async deleteMailbox(actor: TActor, id: string): Promise<void> {
      await getManaged(actor, id);
      await repo.deleteMailbox(db, actor.workspaceId, id);
    },

    /** Logs in with the stored settings and opens the folders: for an admin's "test connection". */
    async testMailbox(actor: TActor, id: string): Promise<TImapMailboxTestResult> {
      const row = await getManaged(actor, id);
      const probe = await probeMailbox(toImapConfig(row)).catch((err: unknown) => {
        if (err instanceof AppError) throw err;
        throw new AppError(
          "imap_connection_failed",
          `IMAP test of ${row.username} at ${row.host} failed: ${String((err as Error)?.message ?? err)}`,
          502,
        );
      });
      return { ok: true, messages: probe.messages, uidNext: probe.uidNext, idle: probe.idle };
    },
  };
}
export type TImapMailboxesService = ReturnType<typeof createImapMailboxesService>;
