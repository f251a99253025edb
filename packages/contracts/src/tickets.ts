import { z } from "zod";
import { ZAttachment } from "./attachments.ts";
import { ZEmail, ZId, ZLine, ZPageQuery } from "./common.ts";
import { ZMessageEmail } from "./email.ts";

export const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"] as const;
export const ZTicketStatus = z.enum(TICKET_STATUSES);
export type TTicketStatus = z.infer<typeof ZTicketStatus>;

export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const ZTicketPriority = z.enum(TICKET_PRIORITIES);
export type TTicketPriority = z.infer<typeof ZTicketPriority>;

export const TICKET_TYPES = ["question", "incident", "problem", "task"] as const;
export const ZTicketType = z.enum(TICKET_TYPES);
export type TTicketType = z.infer<typeof ZTicketType>;

export const TICKET_CHANNELS = ["email", "web", "chat", "phone", "api"] as const;
export const ZTicketChannel = z.enum(TICKET_CHANNELS);
export type TTicketChannel = z.infer<typeof ZTicketChannel>;

/** Tags are single words: lower case, no spaces or commas. */
export const ZTag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[^\s,]{1,50}$/, "A tag is 1-50 characters without spaces or commas");
const ZTags = z.array(ZTag).max(50);

/** A ticket is addressed by its id or by its human number (GET /tickets/1042). */
export const ZTicketRef = z.union([ZId, z.string().regex(/^\d{1,15}$/, "A ticket id or number")]);
export const ZTicketParams = z.object({ id: ZTicketRef });

export const ZPerson = z.object({ id: ZId, name: z.string(), email: z.string().nullable() });
export type TPerson = z.infer<typeof ZPerson>;

export const ZCustomFieldValues = z.record(z.string(), z.unknown());

export const ZTicket = z.object({
  id: ZId,
  number: z.number().int(),
  /** "#1042" */
  displayNumber: z.string(),
  brandId: ZId,
  subject: z.string(),
  status: ZTicketStatus,
  priority: ZTicketPriority,
  type: ZTicketType,
  channel: ZTicketChannel,
  /** The category key. */
  category: z.string().nullable(),
  requester: ZPerson,
  assigneeId: ZId.nullable(),
  groupId: ZId.nullable(),
  tags: z.array(z.string()),
  ccs: z.array(ZPerson),
  followerIds: z.array(ZId),
  dueAt: z.iso.datetime().nullable(),
  customFields: ZCustomFieldValues,
  orderNumber: z.string().nullable(),
  isSpam: z.boolean(),
  /** Set when this ticket was merged into another; its thread then shows in that ticket. */
  mergedIntoId: ZId.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  solvedAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
});
export type TTicket = z.infer<typeof ZTicket>;
export const ZTicketEnvelope = z.object({ ticket: ZTicket });

const ZContact = z.strictObject({ email: ZEmail, name: ZLine(200).optional() });
const ZBody = z.string().min(1).max(100_000);
const ZHtml = z.string().max(500_000);

export const ZCreateTicket = z.strictObject({
  brandId: ZId,
  subject: ZLine(300),
  requester: ZContact,
  message: z.strictObject({ body: ZBody, html: ZHtml.optional() }),
  priority: ZTicketPriority.optional(),
  type: ZTicketType.optional(),
  /** A category key. */
  category: z.string().max(100).optional(),
  tags: ZTags.optional(),
  channel: ZTicketChannel.default("api"),
  assigneeId: ZId.optional(),
  groupId: ZId.optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
  customFields: ZCustomFieldValues.optional(),
  ccs: z.array(ZContact).max(20).optional(),
  orderNumber: ZLine(100).optional(),
});
export type TCreateTicket = z.infer<typeof ZCreateTicket>;

export const ZUpdateTicket = z.strictObject({
  subject: ZLine(300).optional(),
  status: ZTicketStatus.optional(),
  priority: ZTicketPriority.optional(),
  type: ZTicketType.optional(),
  /** A category key; null clears it. */
  category: z.string().max(100).nullable().optional(),
  assigneeId: ZId.nullable().optional(),
  groupId: ZId.nullable().optional(),
  /** Replaces the tags. */
  tags: ZTags.optional(),
  dueAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** Merged into the current values; a null value removes that field. */
  customFields: ZCustomFieldValues.optional(),
  /** Replaces the CCs. */
  ccs: z.array(ZContact).max(20).optional(),
  /** Replaces the followers. */
  followerIds: z.array(ZId).max(50).optional(),
  isSpam: z.boolean().optional(),
});
export type TUpdateTicket = z.infer<typeof ZUpdateTicket>;

const ZBoolQuery = z.enum(["true", "false"]).transform((v) => v === "true");
/** `?status=open&status=pending` or `?status=open,pending`. */
const ZMulti = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(","))),
    z.array(item).min(1).max(10).optional(),
  );

export const ZTicketListQuery = ZPageQuery.extend({
  status: ZMulti(ZTicketStatus),
  brandId: ZId.optional(),
  /** A user id, "me", or "none" for unassigned tickets. */
  assigneeId: z.union([ZId, z.literal("me"), z.literal("none")]).optional(),
  groupId: ZId.optional(),
  requesterId: ZId.optional(),
  tag: ZTag.optional(),
  priority: ZMulti(ZTicketPriority),
  channel: ZMulti(ZTicketChannel),
  /** A category key. */
  category: z.string().max(100).optional(),
  /** true lists spam only (spam is left out otherwise). */
  spam: ZBoolQuery.optional(),
  /** true includes tickets merged into others. */
  merged: ZBoolQuery.optional(),
  /** true lists deleted tickets only (owners, admins and supervisors). */
  deleted: ZBoolQuery.optional(),
});
export type TTicketListQuery = z.infer<typeof ZTicketListQuery>;

export const MESSAGE_KINDS = ["reply", "note", "event"] as const;
export const ZMessage = z.object({
  id: ZId,
  /** The ticket the message was written on (a ticket merged into this one shows its messages too). */
  ticketId: ZId,
  kind: z.enum(MESSAGE_KINDS),
  channel: z.enum([...TICKET_CHANNELS, "internal"]),
  author: z.object({
    type: z.enum(["user", "customer", "system"]),
    id: ZId.nullable(),
    name: z.string().nullable(),
  }),
  bodyText: z.string(),
  bodyHtml: z.string().nullable(),
  /** What an `event` message records, e.g. { type: "ticket_updated", changes: [...] }. */
  event: z.record(z.string(), z.unknown()).nullable(),
  attachments: z.array(ZAttachment),
  /** Users mentioned in a note. */
  mentionIds: z.array(ZId),
  /** For messages that came or went by email. */
  email: ZMessageEmail.nullable(),
  createdAt: z.iso.datetime(),
});
export type TMessage = z.infer<typeof ZMessage>;
export const ZMessageEnvelope = z.object({ message: ZMessage });

export const ZCreateMessage = z.strictObject({
  kind: z.enum(["reply", "note"]),
  body: ZBody,
  html: ZHtml.optional(),
  attachmentIds: z.array(ZId).max(20).optional(),
  /** Colleagues mentioned in a note (not a reply): they follow the ticket and are notified. */
  mentionIds: z.array(ZId).max(20).optional(),
});
export type TCreateMessage = z.infer<typeof ZCreateMessage>;

export const ZMergeTicket = z.strictObject({ targetTicketId: ZTicketRef });
export type TMergeTicket = z.infer<typeof ZMergeTicket>;
export const ZMergeResult = z.object({ source: ZTicket, target: ZTicket });

export const ZBulkUpdateTickets = z.strictObject({
  ticketIds: z.array(ZId).min(1).max(100),
  changes: z.strictObject({
    status: ZTicketStatus.optional(),
    priority: ZTicketPriority.optional(),
    assigneeId: ZId.nullable().optional(),
    groupId: ZId.nullable().optional(),
    addTags: ZTags.optional(),
    removeTags: ZTags.optional(),
    isSpam: z.boolean().optional(),
  }),
});
export type TBulkUpdateTickets = z.infer<typeof ZBulkUpdateTickets>;

export const ZBulkResult = z.object({
  items: z.array(
    z.object({
      id: ZId,
      ok: z.boolean(),
      ticket: ZTicket.optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});
export type TBulkResult = z.infer<typeof ZBulkResult>;

export const ZAuditEvent = z.object({
  id: ZId,
  action: z.string(),
  actor: z.object({ type: z.enum(["user", "customer", "system"]), id: ZId.nullable() }),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  createdAt: z.iso.datetime(),
});
export type TAuditEvent = z.infer<typeof ZAuditEvent>;
