import { z } from "zod";
import { ZId } from "./common.ts";
import { MESSAGE_KINDS, ZTicketStatus } from "./tickets.ts";

/**
 * The realtime protocol (GET /api/v1/realtime, a websocket): JSON text frames, one object each.
 * Events carry ids, not content: a client refetches through the REST API, which applies every
 * access rule. See docs/ARCHITECTURE.md ("Realtime").
 */

/** Workspace-wide ticket changes (of the brands the user works in), one ticket, or the user's own notices. */
export const ZRealtimeTopic = z.union([
  z.literal("tickets"),
  z.literal("me"),
  z.templateLiteral(["ticket:", ZId]),
]);
export type TRealtimeTopic = z.infer<typeof ZRealtimeTopic>;

export const PRESENCE_STATES = ["viewing", "typing", "left"] as const;
export const ZPresenceState = z.enum(PRESENCE_STATES);
export type TPresenceState = z.infer<typeof ZPresenceState>;

// ---- events (inside an `event` frame) ----

/** Why a ticket changed; a client may refetch differently (a created ticket is new to its lists). */
export const TICKET_CHANGE_REASONS = ["created", "updated", "message", "merged", "deleted"] as const;

export const ZTicketChangedEvent = z.object({
  type: z.literal("ticket.changed"),
  ticketId: ZId,
  brandId: ZId,
  number: z.number().int(),
  status: ZTicketStatus,
  assigneeId: ZId.nullable(),
  updatedAt: z.iso.datetime(),
  reason: z.enum(TICKET_CHANGE_REASONS),
});
export type TTicketChangedEvent = z.infer<typeof ZTicketChangedEvent>;

export const ZMessageCreatedEvent = z.object({
  type: z.literal("message.created"),
  ticketId: ZId,
  brandId: ZId,
  messageId: ZId,
  kind: z.enum(MESSAGE_KINDS),
  authorType: z.enum(["user", "customer", "system"]),
});
export type TMessageCreatedEvent = z.infer<typeof ZMessageCreatedEvent>;

export const ZUserMentionedEvent = z.object({
  type: z.literal("user.mentioned"),
  ticketId: ZId,
  ticketNumber: z.number().int(),
  messageId: ZId,
  byUserId: ZId,
  byName: z.string(),
});
export type TUserMentionedEvent = z.infer<typeof ZUserMentionedEvent>;

export const ZRealtimeEvent = z.discriminatedUnion("type", [
  ZTicketChangedEvent,
  ZMessageCreatedEvent,
  ZUserMentionedEvent,
]);
export type TRealtimeEvent = z.infer<typeof ZRealtimeEvent>;

// ---- client → server ----

export const ZClientFrame = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("subscribe"), topic: ZRealtimeTopic }),
  z.strictObject({ type: z.literal("unsubscribe"), topic: ZRealtimeTopic }),
  /** Needs a subscription to `ticket:<ticketId>`; repeat it every `presenceHeartbeatMs` while it holds. */
  z.strictObject({ type: z.literal("presence"), ticketId: ZId, state: ZPresenceState }),
  z.strictObject({ type: z.literal("ping") }),
]);
export type TClientFrame = z.infer<typeof ZClientFrame>;

// ---- server → client ----

export const REALTIME_ERROR_CODES = [
  "invalid_json",
  "invalid_frame",
  /** The ticket does not exist, or is not visible to this user (another workspace's or brand's). */
  "not_found",
  /** Presence for a ticket whose topic is not subscribed. */
  "not_subscribed",
  "too_many_topics",
  "internal_error",
] as const;

export const ZPresenceUser = z.object({
  userId: ZId,
  name: z.string(),
  state: z.enum(["viewing", "typing"]),
});
export type TPresenceUser = z.infer<typeof ZPresenceUser>;

export const ZServerFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("ready"),
    userId: ZId,
    /** How often to repeat a presence state; it is forgotten some time after the last one. */
    presenceHeartbeatMs: z.number().int().positive(),
  }),
  z.object({ type: z.literal("subscribed"), topic: ZRealtimeTopic }),
  z.object({ type: z.literal("unsubscribed"), topic: ZRealtimeTopic }),
  z.object({
    type: z.literal("error"),
    code: z.enum(REALTIME_ERROR_CODES),
    message: z.string(),
    topic: z.string().optional(),
  }),
  z.object({ type: z.literal("event"), topic: ZRealtimeTopic, event: ZRealtimeEvent }),
  /** Who is on the ticket now (everyone, the receiving user included); sent on every change. */
  z.object({ type: z.literal("presence"), ticketId: ZId, users: z.array(ZPresenceUser) }),
  z.object({ type: z.literal("pong") }),
  /** Events may have been missed (the server's own feed was interrupted): refetch, as after a reconnect. */
  z.object({ type: z.literal("resync") }),
]);
export type TServerFrame = z.infer<typeof ZServerFrame>;

/** Close codes besides the standard ones (1001 going away, 1008 too many frames, 1009 frame too large). */
export const REALTIME_CLOSE = {
  /** Not signed in, or the session ended (signed out, expired, user deactivated): do not reconnect. */
  sessionEnded: 4401,
  /** The client read too slowly and its queue grew too long; reconnecting is fine. */
  tooSlow: 4408,
} as const;

/** The largest frame a client may send, in bytes. */
export const REALTIME_MAX_FRAME_BYTES = 16 * 1024;
