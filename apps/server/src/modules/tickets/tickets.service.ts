import type {
  TAuditEvent,
  TBulkResult,
  TBulkUpdateTickets,
  TCreateTicket,
  TLocale,
  TTicket,
  TUpdateTicket,
} from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import { canSeeBrand, type TActor } from "../../lib/actor.ts";
import { AppError, badRequest, forbidden, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import type { TOutbox } from "../../lib/outbox.ts";
import { type TPageQuery, toPage } from "../../lib/pagination.ts";
import { sanitizeStaffHtml } from "../../lib/staff-html.ts";
import { listAudit, recordAudit } from "../audit/index.ts";
import { secretMatches } from "../auth/secrets.ts";
import { findOrCreateCustomer } from "../customers/index.ts";
import { resolveCategoryId, validateCustomFields } from "../fields/index.ts";
import { assertNotClosed, changeStatus, statusTimestamps } from "./status-machine.ts";
import {
  afterCursor,
  assertVisible,
  parseTicketRef,
  requireDeleter,
  requireTicketEditor,
} from "./ticket-access.ts";
import { EVENT_FIELDS, mergeCustomFields, planChanges, snapshotOf, uniqueTags } from "./ticket-changes.ts";
import { insertTicket, parseStatusToken, type TNewTicket } from "./ticket-create.ts";
import { createTicketEmailOps } from "./ticket-email.ts";
import { messageCreated, ticketChanged } from "./ticket-events.ts";
import { createTicketLists } from "./ticket-list.service.ts";
import { createTicketMerge } from "./ticket-merge.ts";
import { createTicketMessages } from "./ticket-messages.service.ts";
import { toAuditDto, toTicketDto } from "./tickets.dto.ts";
import * as repo from "./tickets.repository.ts";

export type TTicketsDeps = { db: TDb; clock: TClock; outbox: TOutbox };

const invalidAssignee = () =>
  badRequest("invalid_assignee", "assigneeId: not an active agent with access to this ticket's brand", {
    field: "assigneeId",
  });

export function createTicketsService(deps: TTicketsDeps) {
  const { db, clock } = deps;
  const messages = createTicketMessages(deps);
  const lists = createTicketLists({ db, clock });
  const mergeTicket = createTicketMerge(deps);
  const emailOps = createTicketEmailOps({ clock, messages });

  async function getView(actor: TActor, ref: string, executor: TDb = db) {
    return assertVisible(actor, await repo.findTicketView(executor, actor.workspaceId, parseTicketRef(ref)));
  }

  async function assertAssignable(executor: TDb, workspaceId: string, brandId: string, userId: string) {
    const ok = await repo.staffWithBrandAccess(executor, workspaceId, brandId, [userId], {
      includeLightAgents: false,
    });
    if (!ok.has(userId)) throw invalidAssignee();
  }

  async function assertGroup(executor: TDb, workspaceId: string, groupId: string) {
    if (!(await repo.groupExists(executor, workspaceId, groupId))) {
      throw badRequest("invalid_group", "groupId: no such group", { field: "groupId" });
    }
  }

  /**
   * Applies a PATCH to a locked ticket: validates references, enforces the status rules, writes the
   * row, CCs and followers, the audit entry and (for status or assignee) a quiet event message.
   */
  async function applyUpdate(
    trx: TDb,
    actor: TActor,
    view: repo.TTicketView,
    patch: TUpdateTicket,
  ): Promise<TTicket> {
    const ws = actor.workspaceId;
    const ticketId = view.id;
    const before = toTicketDto(view);
    if (Object.keys(patch).length === 0) return before;
    assertNotClosed(before.status);
    const now = clock.now();

    const status = patch.status !== undefined ? changeStatus(before.status, patch.status) : before.status;
    const categoryId =
      patch.category === undefined || patch.category === null
        ? patch.category
        : await resolveCategoryId(trx, ws, patch.category);
    if (patch.assigneeId) await assertAssignable(trx, ws, view.brand_id, patch.assigneeId);
    if (patch.groupId) await assertGroup(trx, ws, patch.groupId);
    if (patch.followerIds?.length) {
      const ok = await repo.staffWithBrandAccess(trx, ws, view.brand_id, patch.followerIds, {
        includeLightAgents: true,
      });
      const missing = patch.followerIds.find((f) => !ok.has(f));
      if (missing) {
        throw badRequest("invalid_follower", `followerIds: ${missing} is not an active user of this brand`, {
          field: "followerIds",
        });
      }
    }
    const customFields =
      patch.customFields === undefined
        ? undefined
        : mergeCustomFields(
            before.customFields,
            patch.customFields,
            await validateCustomFields(trx, ws, patch.customFields, { enforceRequired: false }),
          );
    // The requester is never their own CC (the write below skips them too).
    const ccEmails = patch.ccs?.map((c) => c.email).filter((e) => e !== before.requester.email);
    const { changes } = planChanges(snapshotOf(before), patch, {
      ...(customFields ? { customFields } : {}),
      ...(ccEmails ? { ccEmails } : {}),
    });
    if (changes.length === 0) return before;

    const times = statusTimestamps(
      before.status,
      status,
      { solvedAt: view.solved_at, closedAt: view.closed_at },
      now,
    );
    await repo.updateTicketRow(trx, ws, ticketId, {
      ...(patch.subject !== undefined ? { subject: patch.subject } : {}),
      ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
      ...(patch.type !== undefined ? { type: patch.type } : {}),
      ...(categoryId !== undefined ? { category_id: categoryId } : {}),
      ...(patch.assigneeId !== undefined ? { assignee_id: patch.assigneeId } : {}),
      ...(patch.groupId !== undefined ? { group_id: patch.groupId } : {}),
      ...(patch.tags !== undefined ? { tags: uniqueTags(patch.tags) } : {}),
      ...(patch.dueAt !== undefined ? { due_at: patch.dueAt === null ? null : new Date(patch.dueAt) } : {}),
      ...(customFields !== undefined ? { custom_fields: JSON.stringify(customFields) } : {}),
      ...(patch.isSpam !== undefined ? { is_spam: patch.isSpam } : {}),
      status,
      solved_at: times.solvedAt,
      closed_at: times.closedAt,
      updated_at: now,
    });
    if (patch.ccs !== undefined) {
      const ids: string[] = [];
      for (const cc of patch.ccs) {
        const c = await findOrCreateCustomer(
          trx,
          ws,
          view.brand_id,
          { identity: { kind: "email", value: cc.email }, name: cc.name },
          now,
        );
        if (c.id !== view.requester_id && !ids.includes(c.id)) ids.push(c.id);
      }
      await repo.replaceCcs(trx, ws, ticketId, ids);
    }
    if (patch.followerIds !== undefined) {
      await repo.replaceFollowers(trx, ws, ticketId, [...new Set(patch.followerIds)]);
    }
    await recordAudit(trx, ws, [
      {
        entityType: "ticket",
        entityId: ticketId,
        action: "updated",
        actor: { type: "user", id: actor.userId },
        changes,
        at: now,
      },
    ]);
    const shown = changes.filter((c) => EVENT_FIELDS.has(c.field));
    const eventMessageId = shown.length > 0 ? newId() : null;
    if (eventMessageId) {
      await repo.insertMessages(trx, [
        {
          workspace_id: ws,
          id: eventMessageId,
          ticket_id: ticketId,
          kind: "event",
          channel: "internal",
          author_user_id: actor.userId,
          author_customer_id: null,
          body_text: "",
          body_html: null,
          event: JSON.stringify({ type: "ticket_updated", changes: shown }),
          created_at: now,
        },
      ]);
    }
    const after = await repo.findTicketView(trx, ws, { id: ticketId });
    if (!after) throw notFound("ticket");
    const dto = toTicketDto(after);
    await deps.outbox.publishMany(trx, [
      ticketChanged(ws, dto, "updated"),
      ...(eventMessageId
        ? [
            messageCreated(ws, {
              ticketId,
              brandId: dto.brandId,
              messageId: eventMessageId,
              kind: "event",
              authorType: "user",
            }),
          ]
        : []),
    ]);
    return dto;
  }

  /** A PATCH in its own transaction, the ticket's row locked throughout. */
  const updateLocked = (actor: TActor, ref: string, patchFor: (current: repo.TTicketView) => TUpdateTicket) =>
    db.transaction().execute(async (trx) => {
      const locked = assertVisible(actor, await repo.lockTicket(trx, actor.workspaceId, parseTicketRef(ref)));
      const view = await repo.findTicketView(trx, actor.workspaceId, { id: locked.id });
      if (!view) throw notFound("ticket");
      return applyUpdate(trx, actor, view, patchFor(view));
    });

  return {
    ...messages,
    ...lists,
    mergeTicket,
    emailOps,

    async createTicket(actor: TActor, input: TCreateTicket): Promise<TTicket> {
      requireTicketEditor(actor);
      if (!canSeeBrand(actor, input.brandId)) throw notFound("brand");
      const ws = actor.workspaceId;
      const categoryId = input.category ? await resolveCategoryId(db, ws, input.category) : null;
      const customFields = await validateCustomFields(db, ws, input.customFields ?? {});
      if (input.assigneeId) await assertAssignable(db, ws, input.brandId, input.assigneeId);
      if (input.groupId) await assertGroup(db, ws, input.groupId);
      const newTicket: TNewTicket = {
        workspaceId: ws,
        brandId: input.brandId,
        subject: input.subject,
        requester: input.requester,
        body: input.message.body,
        html: input.message.html ? sanitizeStaffHtml(input.message.html) : null,
        priority: input.priority ?? "normal",
        type: input.type ?? "question",
        category: categoryId && input.category ? { id: categoryId, key: input.category } : null,
        tags: uniqueTags(input.tags ?? []),
        channel: input.channel,
        assigneeId: input.assigneeId ?? null,
        groupId: input.groupId ?? null,
        dueAt: input.dueAt ? new Date(input.dueAt) : null,
        customFields,
        ccs: input.ccs ?? [],
        orderNumber: input.orderNumber ?? null,
        createdBy: { type: "user", id: actor.userId },
      };
      // One statement commits it (for a known or new requester without CCs); its live event follows.
      const { ticket } = await insertTicket({ db, clock }, newTicket);
      deps.outbox.publishCommitted([ticketChanged(ws, ticket, "created")]);
      return ticket;
    },

    /**
     * A request from the public contact form. Required custom fields are not asked of customers.
     * Files join the first message afterwards (they need the ticket): attach them with messageId.
     */
    /**
     * A request from the contact form: the ticket, its files and the `ticket.requested` event (the
     * email module acknowledges it by mail) in one transaction.
     */
    async createTicketFromCustomer(input: {
      workspaceId: string;
      brandId: string;
      name: string;
      email: string;
      subject: string;
      body: string;
      category?: string | undefined;
      orderNumber?: string | undefined;
      channel: "web";
      locale?: TLocale | undefined;
      /** Adds the request's files to its first message, in the ticket's transaction. */
      attachFiles?: (trx: TDb, ticketId: string, messageId: string) => Promise<unknown>;
    }): Promise<{ ticket: TTicket; statusToken: string; messageId: string }> {
      const categoryId = input.category
        ? await resolveCategoryId(db, input.workspaceId, input.category)
        : null;
      return db.transaction().execute(async (trx) => {
        const created = await insertTicket(
          { db: trx, clock },
          {
            workspaceId: input.workspaceId,
            brandId: input.brandId,
            subject: input.subject,
            requester: { email: input.email, name: input.name, locale: input.locale },
            body: input.body,
            html: null,
            priority: "normal",
            type: "question",
            category: categoryId && input.category ? { id: categoryId, key: input.category } : null,
            tags: [],
            channel: input.channel,
            assigneeId: null,
            groupId: null,
            dueAt: null,
            customFields: {},
            ccs: [],
            orderNumber: input.orderNumber ?? null,
            createdBy: { type: "customer" },
          },
        );
        await input.attachFiles?.(trx, created.ticket.id, created.messageId);
        await deps.outbox.publishMany(trx, [
          ticketChanged(input.workspaceId, created.ticket, "created"),
          {
            type: "ticket.requested",
            workspaceId: input.workspaceId,
            brandId: input.brandId,
            ticketId: created.ticket.id,
            ticketNumber: created.ticket.number,
            subject: created.ticket.subject,
            requester: {
              email: created.ticket.requester.email ?? input.email.trim().toLowerCase(),
              name: input.name,
            },
            locale: input.locale ?? null,
            statusToken: created.statusToken,
          },
        ]);
        return created;
      });
    },

    /** The customer's view by status token: the ticket and its public replies; null if the token does not fit. */
    async findTicketByStatusToken(workspaceId: string, brandId: string, token: string) {
      const parsed = parseStatusToken(token);
      if (!parsed) return null;
      const row = await db
        .selectFrom("tickets")
        .select(["brand_id", "deleted_at", "public_token_hash"])
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", parsed.ticketId)
        .executeTakeFirst();
      if (!row || row.brand_id !== brandId || row.deleted_at !== null) return null;
      if (!secretMatches(parsed.secret, row.public_token_hash)) return null;
      const view = await repo.findTicketView(db, workspaceId, { id: parsed.ticketId });
      if (!view) return null;
      return {
        ticket: toTicketDto(view),
        messages: await messages.listPublicReplies(workspaceId, parsed.ticketId),
      };
    },

    getTicket: async (actor: TActor, ref: string): Promise<TTicket> => toTicketDto(await getView(actor, ref)),

    async updateTicket(actor: TActor, ref: string, patch: TUpdateTicket): Promise<TTicket> {
      const run = () => updateLocked(actor, ref, () => patch);
      if (actor.role !== "light_agent") return run();
      await getView(actor, ref); // 404 before 403: a light agent learns nothing of other brands' tickets
      throw forbidden("Light agents can read tickets and add internal notes only");
    },

    /** Each ticket in its own transaction; ids the actor cannot see answer ticket_not_found. */
    async bulkUpdate(actor: TActor, input: TBulkUpdateTickets): Promise<TBulkResult> {
      requireTicketEditor(actor);
      const { addTags, removeTags, ...fields } = input.changes;
      const items: TBulkResult["items"] = [];
      for (const id of [...new Set(input.ticketIds)]) {
        try {
          const ticket = await updateLocked(actor, id, (current) => {
            if (!addTags && !removeTags) return fields;
            const remove = new Set(removeTags ?? []);
            const tags = uniqueTags([...current.tags, ...(addTags ?? [])]).filter((t) => !remove.has(t));
            return { ...fields, tags };
          });
          items.push({ id, ok: true, ticket });
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          items.push({ id, ok: false, error: { code: err.code, message: err.message } });
        }
      }
      return { items };
    },

    /** Soft delete (owners, admins, supervisors): the ticket answers 404 from then on. */
    async deleteTicket(actor: TActor, ref: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const ticket = assertVisible(
          actor,
          await repo.lockTicket(trx, actor.workspaceId, parseTicketRef(ref)),
        );
        requireDeleter(actor);
        const now = clock.now();
        await repo.updateTicketRow(trx, actor.workspaceId, ticket.id, { deleted_at: now, updated_at: now });
        await recordAudit(trx, actor.workspaceId, [
          {
            entityType: "ticket",
            entityId: ticket.id,
            action: "deleted",
            actor: { type: "user", id: actor.userId },
            changes: [{ field: "deletedAt", before: null, after: now.toISOString() }],
            at: now,
          },
        ]);
        await deps.outbox.publish(
          trx,
          ticketChanged(
            actor.workspaceId,
            {
              id: ticket.id,
              brandId: ticket.brand_id,
              number: Number(ticket.number),
              status: ticket.status,
              assigneeId: ticket.assignee_id,
              updatedAt: now,
            },
            "deleted",
          ),
        );
      });
    },

    async listAuditTrail(
      actor: TActor,
      ref: string,
      page: TPageQuery,
    ): Promise<{ items: TAuditEvent[]; nextCursor: string | null }> {
      const ticket = await getView(actor, ref);
      const rows = await listAudit(db, actor.workspaceId, "ticket", ticket.id, {
        ...(page.cursor ? { after: afterCursor(page.cursor) } : {}),
        limit: page.limit,
      });
      return toPage(rows, page.limit, (r) => ({ at: r.created_at, id: r.id }), toAuditDto);
    },
  };
}
export type TTicketsService = ReturnType<typeof createTicketsService>;
