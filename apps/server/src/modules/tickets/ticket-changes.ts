import type { TTicket, TUpdateTicket } from "@switchboard/contracts";
import type { TAuditChange } from "../../db/schema.ts";
import { diffFields } from "../audit/index.ts";

/** The fields of a ticket as the audit trail records them (CCs by email). */
export type TTicketSnapshot = {
  subject: string;
  status: TTicket["status"];
  priority: TTicket["priority"];
  type: TTicket["type"];
  category: string | null;
  assigneeId: string | null;
  groupId: string | null;
  tags: string[];
  dueAt: string | null;
  customFields: Record<string, unknown>;
  ccs: (string | null)[];
  followerIds: string[];
  isSpam: boolean;
};

export const snapshotOf = (t: TTicket): TTicketSnapshot => ({
  subject: t.subject,
  status: t.status,
  priority: t.priority,
  type: t.type,
  category: t.category,
  assigneeId: t.assigneeId,
  groupId: t.groupId,
  tags: t.tags,
  dueAt: t.dueAt,
  customFields: t.customFields,
  ccs: t.ccs.map((c) => c.email).sort(),
  followerIds: [...t.followerIds].sort(),
  isSpam: t.isSpam,
});

export const uniqueTags = (tags: string[]) => [...new Set(tags)];

/** Current custom values with the validated patch applied; a null in the raw patch removes the field. */
export function mergeCustomFields(
  current: Record<string, unknown>,
  raw: Record<string, unknown>,
  validated: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current, ...validated };
  for (const key of Object.keys(raw)) if (!(key in validated)) delete merged[key];
  return merged;
}

/**
 * The snapshot after the patch (with values already normalized by the caller), and the audit
 * changes between the two, for the fields the patch names only.
 */
export function planChanges(
  before: TTicketSnapshot,
  patch: TUpdateTicket,
  normalized: { customFields?: Record<string, unknown>; ccEmails?: string[] },
): { after: TTicketSnapshot; changes: TAuditChange[] } {
  const after: TTicketSnapshot = {
    ...before,
    ...(patch.subject !== undefined ? { subject: patch.subject } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
    ...(patch.type !== undefined ? { type: patch.type } : {}),
    ...(patch.category !== undefined ? { category: patch.category } : {}),
    ...(patch.assigneeId !== undefined ? { assigneeId: patch.assigneeId } : {}),
    ...(patch.groupId !== undefined ? { groupId: patch.groupId } : {}),
    ...(patch.tags !== undefined ? { tags: uniqueTags(patch.tags) } : {}),
    ...(patch.dueAt !== undefined
      ? { dueAt: patch.dueAt === null ? null : new Date(patch.dueAt).toISOString() }
      : {}),
    ...(normalized.customFields !== undefined ? { customFields: normalized.customFields } : {}),
    ...(normalized.ccEmails !== undefined ? { ccs: [...new Set(normalized.ccEmails)].sort() } : {}),
    ...(patch.followerIds !== undefined ? { followerIds: [...new Set(patch.followerIds)].sort() } : {}),
    ...(patch.isSpam !== undefined ? { isSpam: patch.isSpam } : {}),
  };
  const named = Object.keys(patch).filter((k): k is keyof TTicketSnapshot => k in before);
  const pick = (s: TTicketSnapshot) => Object.fromEntries(named.map((k) => [k, s[k]]));
  return { after, changes: diffFields(pick(before), pick(after)) };
}

/** The changes a thread shows as a quiet event line. */
export const EVENT_FIELDS = new Set(["status", "assigneeId"]);
