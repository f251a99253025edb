import type { TLocale, TTicket, TTicketChannel } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import { notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import { foldForSearch } from "../../lib/search-text.ts";
import { hashSecret, newSecret } from "../auth/secrets.ts";
import { findOrCreateCustomer, normalizeIdentity } from "../customers/index.ts";
import { displayNumber } from "./tickets.dto.ts";
import * as repo from "./tickets.repository.ts";

export type TContact = { email: string; name?: string | undefined };

/** What a new ticket needs once its references are resolved and its values validated. */
export type TNewTicket = {
  workspaceId: string;
  brandId: string;
  subject: string;
  requester: TContact & { locale?: TLocale | undefined };
  body: string;
  html: string | null;
  priority: TTicket["priority"];
  type: TTicket["type"];
  category: { id: string; key: string } | null;
  tags: string[];
  channel: TTicketChannel;
  assigneeId: string | null;
  groupId: string | null;
  dueAt: Date | null;
  customFields: Record<string, unknown>;
  ccs: TContact[];
  orderNumber: string | null;
  createdBy: { type: "user"; id: string } | { type: "customer" };
  /** For a ticket opened by an inbound email. */
  email?: repo.TMessageEmailFields | undefined;
  /** The requester's and CCs' customer ids when the caller found or created them already. */
  known?: { requesterId: string; ccIds: string[] } | undefined;
};

// The status token is the ticket id (hex) followed by a secret: the lookup is by primary key and
// only the secret's hash is stored.
const statusTokenFor = (ticketId: string, secret: string) => `${ticketId.replace(/-/g, "")}${secret}`;
export function parseStatusToken(token: string): { ticketId: string; secret: string } | null {
  const m = /^([0-9a-f]{32})([A-Za-z0-9_-]{20,200})$/.exec(token);
  if (!m?.[1] || !m[2]) return null;
  const h = m[1];
  return {
    ticketId: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`,
    secret: m[2],
  };
}

/** The brand's FK refuses a brand of another workspace; that is "brand not found" to the caller. */
const isForeignBrand = (err: unknown) => {
  const e = err as { code?: string; constraint?: string };
  return e.code === "23503" && typeof e.constraint === "string" && e.constraint.includes("brand_id_fkey");
};

/**
 * `db` may be a transaction: the ticket is then written in it (and commits or rolls back with it).
 * Few round trips: find or create the requester (and CCs), then one statement writes the ticket,
 * its first message, CCs and audit entry and takes the number. The DTO is built from what was written.
 */
export async function insertTicket(
  { db, clock }: { db: TDb; clock: TClock },
  t: TNewTicket,
): Promise<{ ticket: TTicket; statusToken: string; messageId: string }> {
  const id = newId();
  const messageId = newId();
  const secret = newSecret(24);
  const now = clock.now();
  const write = (executor: TDb, requester: { id: string } | { email: string }, ccIds: string[]) =>
    repo.insertTicketWithFirstMessage(executor, {
      workspaceId: t.workspaceId,
      id,
      brandId: t.brandId,
      subject: t.subject,
      status: "new",
      priority: t.priority,
      type: t.type,
      channel: t.channel,
      categoryId: t.category?.id ?? null,
      requester,
      assigneeId: t.assigneeId,
      groupId: t.groupId,
      tags: t.tags,
      dueAt: t.dueAt,
      customFields: t.customFields,
      orderNumber: t.orderNumber,
      publicTokenHash: hashSecret(secret),
      searchText: foldForSearch(`${t.subject} ${t.body}`),
      ccIds,
      now,
      message: {
        id: messageId,
        channel: t.channel,
        bodyText: t.body,
        bodyHtml: t.html,
        email: t.email ?? null,
      },
      audit: {
        id: newId(),
        actorType: t.createdBy.type,
        actorId: t.createdBy.type === "user" ? t.createdBy.id : null,
      },
    });

  const requesterIdentity = normalizeIdentity({ kind: "email", value: t.requester.email });
  const created = async () => {
    if (t.known) {
      const ccIds = t.known.ccIds.filter((cc) => cc !== t.known?.requesterId);
      const written = await write(db, { id: t.known.requesterId }, [...new Set(ccIds)]);
      if (!written) throw new Error("ticket insert wrote nothing for a known requester");
      return written;
    }
    // A known requester and no CCs (the common case): one statement, its own transaction.
    const fast = t.ccs.length === 0 ? await write(db, { email: requesterIdentity.value }, []) : null;
    if (fast) return fast;
    const slow = async (trx: TDb) => {
      const requester = await findOrCreateCustomer(
        trx,
        t.workspaceId,
        t.brandId,
        { identity: requesterIdentity, name: t.requester.name, locale: t.requester.locale },
        now,
      );
      const ccIds: string[] = [];
      for (const cc of t.ccs) {
        const c = await findOrCreateCustomer(
          trx,
          t.workspaceId,
          t.brandId,
          { identity: { kind: "email", value: cc.email }, name: cc.name },
          now,
        );
        if (c.id !== requester.id && !ccIds.includes(c.id)) ccIds.push(c.id);
      }
      const written = await write(trx, { id: requester.id }, ccIds);
      if (!written) throw new Error("ticket insert wrote nothing for a known requester");
      return written;
    };
    // Inside the caller's transaction (inbound email) or in its own.
    return db.isTransaction ? slow(db) : db.transaction().execute(slow);
  };
  const written = await created().catch((err: unknown) => {
    throw isForeignBrand(err) ? notFound("brand") : err;
  });
  const at = now.toISOString();
  const ticket: TTicket = {
    id,
    number: written.number,
    displayNumber: displayNumber(written.number),
    brandId: t.brandId,
    subject: t.subject,
    status: "new",
    priority: t.priority,
    type: t.type,
    channel: t.channel,
    category: t.category?.key ?? null,
    requester: { id: written.requesterId, name: written.requesterName, email: written.requesterEmail },
    assigneeId: t.assigneeId,
    groupId: t.groupId,
    tags: t.tags,
    ccs: written.ccs,
    followerIds: [],
    dueAt: t.dueAt?.toISOString() ?? null,
    customFields: t.customFields,
    orderNumber: t.orderNumber,
    isSpam: false,
    mergedIntoId: null,
    createdAt: at,
    updatedAt: at,
    solvedAt: null,
    closedAt: null,
  };
  return { ticket, statusToken: statusTokenFor(id, secret), messageId };
}
