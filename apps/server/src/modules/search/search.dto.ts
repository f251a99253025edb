import type { TSearchCustomerHit, TSearchTicketHit } from "@switchboard/contracts";
import type { TCustomerHitRow, TTicketHitRow } from "./search.repository.ts";

export const toTicketHitDto = (row: TTicketHitRow): TSearchTicketHit => ({
  id: row.id,
  number: Number(row.number),
  subject: row.subject,
  status: row.status,
  brandId: row.brand_id,
  updatedAt: row.updated_at.toISOString(),
  ...(row.snippet ? { snippet: row.snippet.trim() } : {}),
});

export const toCustomerHitDto = (row: TCustomerHitRow): TSearchCustomerHit => ({
  id: row.id,
  name: row.name,
  emails: row.emails,
  phones: row.phones,
  brandId: row.brand_id,
});
