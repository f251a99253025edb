import type { TCustomer, TCustomerDetail, TCustomerTicket } from "@switchboard/contracts";
import type { TCustomerRow, TTicketStatus } from "../../db/schema.ts";

export type TIdentityRow = {
  id: string;
  customer_id: string;
  kind: "email" | "phone";
  value: string;
  created_at: Date;
};

export const toCustomerDto = (row: TCustomerRow, identities: TIdentityRow[]): TCustomer => {
  const own = identities.filter((i) => i.customer_id === row.id);
  return {
    id: row.id,
    brandId: row.brand_id,
    name: row.name,
    notes: row.notes,
    locale: row.locale,
    emails: own.filter((i) => i.kind === "email").map((i) => i.value),
    phones: own.filter((i) => i.kind === "phone").map((i) => i.value),
    identities: own.map((i) => ({
      id: i.id,
      kind: i.kind,
      value: i.value,
      createdAt: i.created_at.toISOString(),
    })),
    mergedIntoId: row.merged_into_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
};

const STATUSES: TTicketStatus[] = ["new", "open", "pending", "on_hold", "solved", "closed"];

export const toCustomerDetailDto = (
  customer: TCustomer,
  summary: {
    counts: { status: TTicketStatus; n: number }[];
    latest: { id: string; number: string; subject: string; status: TTicketStatus; updated_at: Date }[];
  },
): TCustomerDetail => {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<TTicketStatus, number>;
  for (const c of summary.counts) byStatus[c.status] = c.n;
  return {
    ...customer,
    tickets: {
      total: summary.counts.reduce((sum, c) => sum + c.n, 0),
      byStatus,
      latest: summary.latest.map(
        (t): TCustomerTicket => ({
          id: t.id,
          number: Number(t.number),
          subject: t.subject,
          status: t.status,
          updatedAt: t.updated_at.toISOString(),
        }),
      ),
    },
  };
};
