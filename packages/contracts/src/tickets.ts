import { z } from "zod";
import { ZAttachment } from "./attachments.ts";
import { ZEmail, ZId, ZLine, ZPageQuery, ZQueryList } from "./common.ts";
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
const MAX_FILTER_VALUES = 50;
/** Orders a ticket list by; `id` breaks ties. Priority and status sort by rank (low < … < urgent, new < … < closed). */
export const TICKET_SORTS = [
  "updated_at",
  "created_at",
  "number",
  "priority",
  "status",
  "due_at",
  "solved_at",
] as const;
export const ZTicketSort = z.enum(TICKET_SORTS);
export type TTicketSort = z.infer<typeof ZTicketSort>;
export const ZSortDirection = z.enum(["asc", "desc"]);
export type TSortDirection = z.infer<typeof ZSortDirection>;

/** An assignee in a filter: a user id, "me" (whoever is looking) or "none" (unassigned). */
export const ZAssigneeFilter = z.union([ZId, z.literal("me"), z.literal("none")]);
/** A group in a filter: a group id or "none" (no group). */
export const ZGroupFilter = z.union([ZId, z.literal("none")]);
const ZCategoryKey = z.string().max(100);
const ZInstant = z.iso.datetime({ offset: true });
const ZDays = z.number().int().min(1).max(3650);

const many = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(MAX_FILTER_VALUES).optional();

/** Each `xFrom` must not be after its `xTo`. */
const RANGES = [
  ["createdFrom", "createdTo"],
  ["updatedFrom", "updatedTo"],
  ["solvedFrom", "solvedTo"],
] as const;
type TRanges = Partial<Record<(typeof RANGES)[number][number], string>>;
const checkRanges = (value: TRanges, ctx: z.RefinementCtx) => {
  for (const [from, to] of RANGES) {
    const a = value[from];
    const b = value[to];
    if (a && b && Date.parse(a) > Date.parse(b)) {
      ctx.addIssue({ code: "custom", path: [to], message: `${to} is before ${from}` });
    }
  }
};

/**
 * Which tickets a list or a view shows. Values of one field are alternatives (status open OR pending),
 * fields narrow each other (AND). `xFrom` is inclusive, `xTo` exclusive; `xWithinDays` counts back from now.
 */
export const ZTicketFilters = z
  .strictObject({
    status: many(ZTicketStatus),
    priority: many(ZTicketPriority),
    channel: many(ZTicketChannel),
    brandId: many(ZId),
    /** Category keys. */
    category: many(ZCategoryKey),
    /** Any of these tags. */
    tag: many(ZTag),
    assigneeId: many(ZAssigneeFilter),
    groupId: many(ZGroupFilter),
    createdFrom: ZInstant.optional(),
    createdTo: ZInstant.optional(),
    createdWithinDays: ZDays.optional(),
    updatedFrom: ZInstant.optional(),
    updatedTo: ZInstant.optional(),
    updatedWithinDays: ZDays.optional(),
    solvedFrom: ZInstant.optional(),
    solvedTo: ZInstant.optional(),
    solvedWithinDays: ZDays.optional(),
  })
  .superRefine(checkRanges);
export type TTicketFilters = z.infer<typeof ZTicketFilters>;

/** The same filters as query parameters; the type check keeps the two in step. */
const ticketFilterQuery = {
  status: ZQueryList(ZTicketStatus),
  priority: ZQueryList(ZTicketPriority),
  channel: ZQueryList(ZTicketChannel),
  brandId: ZQueryList(ZId),
  category: ZQueryList(ZCategoryKey),
  tag: ZQueryList(ZTag),
  assigneeId: ZQueryList(ZAssigneeFilter),
  groupId: ZQueryList(ZGroupFilter),
  createdFrom: ZInstant.optional(),
  createdTo: ZInstant.optional(),
  createdWithinDays: z.coerce.number().pipe(ZDays).optional(),
  updatedFrom: ZInstant.optional(),
  updatedTo: ZInstant.optional(),
  updatedWithinDays: z.coerce.number().pipe(ZDays).optional(),
  solvedFrom: ZInstant.optional(),
  solvedTo: ZInstant.optional(),
  solvedWithinDays: z.coerce.number().pipe(ZDays).optional(),
} satisfies { [K in keyof TTicketFilters]-?: z.ZodType<TTicketFilters[K]> };

/** `sort` and `direction` of a list; updated_at desc unless asked. */
export const ZTicketSortQuery = z.object({
  sort: ZTicketSort.default("updated_at"),
  direction: ZSortDirection.default("desc"),
});

export const ZTicketListQuery = ZPageQuery.extend({
  ...ticketFilterQuery,
  ...ZTicketSortQuery.shape,
  requesterId: ZId.optional(),
  /** true lists spam only (spam is left out otherwise). */
  spam: ZBoolQuery.optional(),
  /** true includes tickets merged into others. */
  merged: ZBoolQuery.optional(),
  /** true lists deleted tickets only (owners, admins and supervisors). */
  deleted: ZBoolQuery.optional(),
}).superRefine(checkRanges);
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

/** A thread is read whole by the staff app, so its pages may be larger than other lists'. */
export const ZThreadQuery = ZPageQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(25),
});

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
