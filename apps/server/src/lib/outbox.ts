import type { TDb } from "../db/connection.ts";

/**
 * Domain events, handed to subscribers inside the transaction that made the change. A subscriber
 * that needs the outside world (sending mail) enqueues a job in that same transaction, so the event
 * is acted on exactly when the change commits, and never when it rolls back.
 */
export type TOutboxEvent = {
  type: "message.public_reply";
  workspaceId: string;
  brandId: string;
  ticketId: string;
  messageId: string;
};

export type TOutboxHandler = (trx: TDb, event: TOutboxEvent) => Promise<void>;

export type TOutbox = {
  subscribe(type: TOutboxEvent["type"], handler: TOutboxHandler): void;
  publish(trx: TDb, event: TOutboxEvent): Promise<void>;
};

export function createOutbox(): TOutbox {
  const handlers = new Map<TOutboxEvent["type"], TOutboxHandler[]>();
  return {
    subscribe(type, handler) {
      handlers.set(type, [...(handlers.get(type) ?? []), handler]);
    },
    async publish(trx, event) {
      if (!trx.isTransaction) throw new Error(`outbox event ${event.type} published outside a transaction`);
      for (const handler of handlers.get(event.type) ?? []) await handler(trx, event);
    },
  };
}
