import type { TLocale } from "@switchboard/contracts";
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
    };

type TEventOf<K extends TOutboxEvent["type"]> = Extract<TOutboxEvent, { type: K }>;
export type TOutboxHandler<K extends TOutboxEvent["type"] = TOutboxEvent["type"]> = (
  trx: TDb,
  event: TEventOf<K>,
) => Promise<void>;

export type TOutbox = {
  subscribe<K extends TOutboxEvent["type"]>(type: K, handler: TOutboxHandler<K>): void;
  publish(trx: TDb, event: TOutboxEvent): Promise<void>;
};

export function createOutbox(): TOutbox {
  const handlers = new Map<TOutboxEvent["type"], ((trx: TDb, event: TOutboxEvent) => Promise<void>)[]>();
  return {
    subscribe(type, handler) {
      // Only events of this type are handed to it (see publish).
      const untyped = handler as (trx: TDb, event: TOutboxEvent) => Promise<void>;
      handlers.set(type, [...(handlers.get(type) ?? []), untyped]);
    },
    async publish(trx, event) {
      if (!trx.isTransaction) throw new Error(`outbox event ${event.type} published outside a transaction`);
      for (const handler of handlers.get(event.type) ?? []) await handler(trx, event);
    },
  };
}
