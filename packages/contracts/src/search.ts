import { z } from "zod";
import { ZId } from "./common.ts";

export const ZSearchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  type: z.enum(["all", "tickets", "customers"]).default("all"),
  brandId: ZId.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type TSearchQuery = z.infer<typeof ZSearchQuery>;

export const ZSearchTicketHit = z.object({
  id: ZId,
  number: z.number().int(),
  subject: z.string(),
  status: z.enum(["new", "open", "pending", "on_hold", "solved", "closed"]),
  brandId: ZId,
  updatedAt: z.iso.datetime(),
  /** Folded text around the first match in the ticket's thread, when there is one. */
  snippet: z.string().optional(),
});
export type TSearchTicketHit = z.infer<typeof ZSearchTicketHit>;

export const ZSearchCustomerHit = z.object({
  id: ZId,
  name: z.string(),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  brandId: ZId,
});
export type TSearchCustomerHit = z.infer<typeof ZSearchCustomerHit>;

export const ZSearchResult = z.object({
  tickets: z.array(ZSearchTicketHit),
  customers: z.array(ZSearchCustomerHit),
});
export type TSearchResult = z.infer<typeof ZSearchResult>;
