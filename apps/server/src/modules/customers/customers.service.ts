import type {
  TCreateCustomer,
  TCustomer,
  TCustomerDetail,
  TCustomerListQuery,
  TMergeCustomer,
  TUpdateCustomer,
} from "@switchboard/contracts";
import { z } from "zod";
import type { TDb } from "../../db/connection.ts";
import type { TCustomerRow } from "../../db/schema.ts";
import { canSeeBrand, requireRole, type TActor } from "../../lib/actor.ts";
import { AppError, badRequest, conflict, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import { foldForSearch } from "../../lib/search-text.ts";
import { diffFields, recordAudit } from "../audit/index.ts";
import { brandExists } from "../brands/index.ts";
import { toCustomerDetailDto, toCustomerDto } from "./customers.dto.ts";
import * as repo from "./customers.repository.ts";

export type TCustomersDeps = { db: TDb; clock: TClock };

// Light agents may look customers up but not change them.
const EDITORS = ["owner", "admin", "supervisor", "agent"] as const;

const ZListCursor = z.object({ id: z.uuid() });
const encodeListCursor = (id: string) => Buffer.from(JSON.stringify({ id })).toString("base64url");
function decodeListCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    return ZListCursor.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))).id;
  } catch {
    throw badRequest("invalid_cursor", "The cursor is not valid; start again from the first page");
  }
}

const identityTaken = (taken: repo.TIdentityInput[]) =>
  new AppError(
    "identity_taken",
    `${taken.map((i) => i.value).join(", ")} already belongs to another customer of this brand`,
    409,
    { identities: taken },
  );

const customerMerged = () =>
  conflict("customer_merged", "This customer was merged into another; work with that one instead");

const joinNotes = (a: string, b: string) => [a, b].filter((n) => n.trim() !== "").join("\n\n");

export function createCustomersService({ db, clock }: TCustomersDeps) {
  /** The customer if the actor may see it; anything else is customer_not_found. */
  async function visibleCustomer(executor: TDb, actor: TActor, customerId: string): Promise<TCustomerRow> {
    const row = await repo.findCustomer(executor, actor.workspaceId, customerId);
    if (!row || !canSeeBrand(actor, row.brand_id)) throw notFound("customer");
    return row;
  }

  async function assertBrand(actor: TActor, brandId: string) {
    if (!canSeeBrand(actor, brandId) || !(await brandExists(db, actor.workspaceId, brandId)))
      throw notFound("brand");
  }

  async function toDto(executor: TDb, row: TCustomerRow): Promise<TCustomer> {
    return toCustomerDto(row, await repo.listIdentities(executor, row.workspace_id, [row.id]));
  }

  async function getCustomer(actor: TActor, customerId: string): Promise<TCustomerDetail> {
    const row = await visibleCustomer(db, actor, customerId);
    const customer = await toDto(db, row);
    return toCustomerDetailDto(customer, await repo.ticketSummary(db, actor.workspaceId, customerId));
  }

  return {
    getCustomer,

    async listCustomers(actor: TActor, query: TCustomerListQuery) {
      if (query.brandId !== undefined) await assertBrand(actor, query.brandId);
      const brandIds = query.brandId !== undefined ? [query.brandId] : actor.brandIds;
      if (brandIds?.length === 0) return { items: [], nextCursor: null };
      const beforeId = decodeListCursor(query.cursor);
      const foldedQuery = query.q ? foldForSearch(query.q) : "";
      const rows = await repo.listCustomers(db, actor.workspaceId, {
        brandIds,
        ...(beforeId ? { beforeId } : {}),
        ...(foldedQuery ? { foldedQuery } : {}),
        limit: query.limit,
      });
      const page = rows.slice(0, query.limit);
      const identities = await repo.listIdentities(
        db,
        actor.workspaceId,
        page.map((r) => r.id),
      );
      const last = page.at(-1);
      return {
        items: page.map((r) => toCustomerDto(r, identities)),
        nextCursor: rows.length > query.limit && last ? encodeListCursor(last.id) : null,
      };
    },

    async createCustomer(actor: TActor, input: TCreateCustomer): Promise<TCustomerDetail> {
      requireRole(actor, EDITORS);
      await assertBrand(actor, input.brandId);
      const id = newId();
      const now = clock.now();
      const identities = [
        ...input.emails.map((value) => ({ kind: "email" as const, value })),
        ...input.phones.map((value) => ({ kind: "phone" as const, value })),
      ].map(repo.normalizeIdentity);
      await db.transaction().execute(async (trx) => {
        await repo.insertCustomer(trx, {
          workspace_id: actor.workspaceId,
          id,
          brand_id: input.brandId,
          name: input.name,
          notes: input.notes,
          locale: input.locale,
          merged_into_id: null,
          search_text: repo.customerSearchText(input.name, identities),
          created_at: now,
          updated_at: now,
        });
        const taken = await repo.addIdentities(
          trx,
          actor.workspaceId,
          { id, brandId: input.brandId },
          identities,
          now,
        );
        if (taken.length > 0) throw identityTaken(taken);
        await recordAudit(trx, actor.workspaceId, [
          {
            entityType: "customer",
            entityId: id,
            action: "created",
            actor: { type: "user", id: actor.userId },
            changes: [],
            at: now,
          },
        ]);
      });
      return getCustomer(actor, id);
    },

    async updateCustomer(
      actor: TActor,
      customerId: string,
      patch: TUpdateCustomer,
    ): Promise<TCustomerDetail> {
      await visibleCustomer(db, actor, customerId);
      requireRole(actor, EDITORS);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const [current] = await repo.lockCustomers(trx, actor.workspaceId, [customerId]);
        if (!current) throw notFound("customer");
        if (current.merged_into_id) throw customerMerged();
        const removeIds = [...new Set(patch.removeIdentityIds ?? [])];
        if ((await repo.removeIdentities(trx, actor.workspaceId, customerId, removeIds)) !== removeIds.length)
          throw notFound("customer_identity");
        const additions = [
          ...(patch.addEmails ?? []).map((value) => ({ kind: "email" as const, value })),
          ...(patch.addPhones ?? []).map((value) => ({ kind: "phone" as const, value })),
        ];
        const taken = await repo.addIdentities(
          trx,
          actor.workspaceId,
          { id: customerId, brandId: current.brand_id },
          additions,
          now,
        );
        if (taken.length > 0) throw identityTaken(taken);
        const fields = {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
          ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
        };
        await repo.updateCustomer(trx, actor.workspaceId, customerId, { ...fields, updated_at: now });
        if (patch.name !== undefined || removeIds.length > 0 || additions.length > 0)
          await repo.refreshSearchText(trx, actor.workspaceId, customerId);
        const changes = diffFields(current, fields);
        if (removeIds.length > 0) changes.push({ field: "identities", before: removeIds, after: null });
        if (additions.length > 0) changes.push({ field: "identities", before: null, after: additions });
        await recordAudit(trx, actor.workspaceId, [
          {
            entityType: "customer",
            entityId: customerId,
            action: "updated",
            actor: { type: "user", id: actor.userId },
            changes,
            at: now,
          },
        ]);
      });
      return getCustomer(actor, customerId);
    },

    /** Merges the source customer INTO the target: its identities, tickets and CCs move over. */
    async mergeCustomers(actor: TActor, targetId: string, input: TMergeCustomer): Promise<TCustomerDetail> {
      const sourceId = input.sourceCustomerId;
      await visibleCustomer(db, actor, targetId);
      if (sourceId === targetId)
        throw badRequest("cannot_merge_into_self", "A customer cannot be merged into itself");
      await visibleCustomer(db, actor, sourceId);
      requireRole(actor, EDITORS);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const locked = await repo.lockCustomers(trx, actor.workspaceId, [targetId, sourceId]);
        const target = locked.find((c) => c.id === targetId);
        const source = locked.find((c) => c.id === sourceId);
        if (!target || !source) throw notFound("customer");
        if (target.merged_into_id || source.merged_into_id) throw customerMerged();
        if (target.brand_id !== source.brand_id)
          throw badRequest("brand_mismatch", "Only customers of the same brand can be merged");
        const moved = await repo.mergeCustomerRows(trx, actor.workspaceId, targetId, sourceId, now);
        await repo.updateCustomer(trx, actor.workspaceId, targetId, {
          name: target.name || source.name,
          notes: joinNotes(target.notes, source.notes),
          locale: target.locale ?? source.locale,
          updated_at: now,
        });
        await repo.refreshSearchText(trx, actor.workspaceId, targetId);
        const by = { type: "user" as const, id: actor.userId };
        await recordAudit(trx, actor.workspaceId, [
          {
            entityType: "customer",
            entityId: targetId,
            action: "merged",
            actor: by,
            changes: [
              { field: "mergedCustomerId", before: null, after: sourceId },
              { field: "ticketIds", before: null, after: moved.ticketIds },
              { field: "ccTicketIds", before: null, after: moved.ccTicketIds },
            ],
            at: now,
          },
          {
            entityType: "customer",
            entityId: sourceId,
            action: "merged_into",
            actor: by,
            changes: [{ field: "mergedIntoId", before: null, after: targetId }],
            at: now,
          },
        ]);
      });
      return getCustomer(actor, targetId);
    },

    /**
     * For channels without a signed-in actor (contact form, inbound mail): the brand's customer
     * with this email or phone, created if there is none. Runs in its own transaction.
     */
    findOrCreate: (
      workspaceId: string,
      brandId: string,
      input: { identity: repo.TIdentityInput; name?: string | undefined; locale?: string | undefined },
    ) =>
      db
        .transaction()
        .execute((trx) => repo.findOrCreateCustomer(trx, workspaceId, brandId, input, clock.now())),
  };
}
export type TCustomersService = ReturnType<typeof createCustomersService>;
