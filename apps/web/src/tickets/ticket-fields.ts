/**
 * The values of a ticket's fixed fields, in the order pickers show them. The contracts hold the same
 * lists (ticket-fields.test.ts keeps them equal); they are repeated here so that the app's bundle does
 * not take in zod with the contracts.
 */
export const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"] as const;
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const TICKET_TYPES = ["question", "incident", "problem", "task"] as const;
export const TICKET_CHANNELS = ["email", "web", "chat", "phone", "api"] as const;
