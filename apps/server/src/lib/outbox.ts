import type {
  TLocale,
  TMessageCreatedEvent,
  TTicketChangedEvent,
  TUserMentionedEvent,
} from "@switchboard/contracts";
import type { TDb } from "../db/connection.ts";

/**
 * Domain events, handed to subscribers inside the transaction that made the change. A subscriber
 * that needs the outside world (sending mail) enqueues a job in that same transaction, so the event
 * is acted on exactly when the change commits, and never when it rolls back.
 */
export type TOutboxEvent =
  | {
      /** A staff member's public reply. */
      type: "message.public_reply";
      workspaceId: string;
      brandId: string;
      ticketId: string;
      messageId: string;
    }
  | {
      /**
       * A customer opened a ticket through the web (the contact form). Handed to subscribers in
       * memory only: it carries the status token, which is never stored.
       */
      type: "ticket.requested";
      workspaceId: string;
      brandId: string;
      ticketId: string;
      ticketNumber: number;
      subject: string;
      requester: { email: string; name: string };
      locale: TLocale | null;
      statusToken: string;
    }
  /** For the staff's live updates: what changed, by id (the realtime module notifies every process). */
  | (TTicketChangedEvent & { workspaceId: string })
  | (TMessageCreatedEvent & { workspaceId: string })
  | (TUserMentionedEvent & { workspaceId: string; brandId: string; userId: string });

/** The events the staff's live updates are made of. */
export type TLiveEvent = Extract<
  TOutboxEvent,
  { type: "ticket.changed" | "message.created" | "user.mentioned" }
>;

type TEventOf<K extends TOutboxEvent["type"]> = Extract<TOutboxEvent, { type: K }>;
export type TOutboxHandler<K extends TOutboxEvent["type"] = TOutboxEvent["type"]> = (
  trx: TDb,
  event: TEventOf<K>,
) => Promise<void>;

export type TOutbox = {
  subscribe<K extends TOutboxEvent["type"]>(type: K, handler: TOutboxHandler<K>): void;
  /**
   * A handler that takes all events of these types published together at once, so that a batch
   * (several tickets, a batch of mail) costs it one statement instead of one per event.
   */
  subscribeMany<K extends TOutboxEvent["type"]>(
    types: readonly K[],
    handler: (trx: TDb, events: TEventOf<K>[]) => Promise<void>,
  ): void;
  publish(trx: TDb, event: TOutboxEvent): Promise<void>;
  /** Several events of one transaction together: single-event handlers get each in turn. */
  publishMany(trx: TDb, events: readonly TOutboxEvent[]): Promise<void>;
  /**
   * Events about a change one statement has already committed (a ticket created through the API,
   * where a transaction only for the event would cost three more round trips). Handed to
   * `onCommitted` subscribers outside any transaction, best effort: a crash right after the commit
   * loses them. So only live hints go this way (clients read the truth on their next refresh), never
   * work that must happen (mail).
   */
  publishCommitted(events: readonly TOutboxEvent[]): void;
  onCommitted(handler: (events: TOutboxEvent[]) => void): void;
};

type TUntypedHandler = (trx: TDb, event: TOutboxEvent) => Promise<void>;
type TManyHandler = {
  types: ReadonlySet<TOutboxEvent["type"]>;
  handle(trx: TDb, events: TOutboxEvent[]): Promise<void>;
};

export function createOutbox(): TOutbox {
  const handlers = new Map<TOutboxEvent["type"], TUntypedHandler[]>();
  const manyHandlers: TManyHandler[] = [];
  const committedHandlers: ((events: TOutboxEvent[]) => void)[] = [];
  const outbox: TOutbox = {
    subscribe(type, handler) {
      // Only events of this type are handed to it (see publishMany).
      const untyped = handler as TUntypedHandler;
      handlers.set(type, [...(handlers.get(type) ?? []), untyped]);
    },
    subscribeMany(types, handler) {
      // Only events of these types are handed to it (see publishMany).
      const handle = handler as (trx: TDb, events: TOutboxEvent[]) => Promise<void>;
      manyHandlers.push({ types: new Set(types), handle });
    },
    publish: (trx, event) => outbox.publishMany(trx, [event]),
    async publishMany(trx, events) {
      if (events.length === 0) return;
      if (!trx.isTransaction) {
        throw new Error(`outbox event ${events[0]?.type} published outside a transaction`);
      }
      for (const event of events) {
        for (const handler of handlers.get(event.type) ?? []) await handler(trx, event);
      }
      for (const many of manyHandlers) {
        const mine = events.filter((e) => many.types.has(e.type));
        if (mine.length > 0) await many.handle(trx, mine);
      }
    },
    publishCommitted(events) {
      if (events.length === 0) return;
      for (const handler of committedHandlers) handler([...events]);
    },
    onCommitted(handler) {
      committedHandlers.push(handler);
    },
  };
  return outbox;
}
