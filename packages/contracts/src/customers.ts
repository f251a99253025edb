import { z } from "zod";
import { ZEmail, ZId, ZLine, ZLocale, ZPageQuery } from "./common.ts";

/** Digits with optional spaces, dots, dashes, slashes and brackets, and an optional leading +. */
export const ZPhone = z
  .string()
  .trim()
  .regex(/^\+?[\d\s().\-/]{5,40}$/, "Invalid phone number")
  .refine((v) => {
    const digits = v.replace(/\D/g, "").length;
    return digits >= 5 && digits <= 20;
  }, "A phone number has 5 to 20 digits");

const CUSTOMER_TICKET_STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"] as const;

export const ZCustomerIdentity = z.object({
  id: ZId,
  kind: z.enum(["email", "phone"]),
  value: z.string(),
  createdAt: z.iso.datetime(),
});
export type TCustomerIdentity = z.infer<typeof ZCustomerIdentity>;

export const ZCustomer = z.object({
  id: ZId,
  brandId: ZId,
  name: z.string(),
  notes: z.string(),
  locale: z.string().nullable(),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  identities: z.array(ZCustomerIdentity),
  /** Set once this customer was merged into another; such customers leave lists and search. */
  mergedIntoId: ZId.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TCustomer = z.infer<typeof ZCustomer>;

export const ZCustomerTicket = z.object({
  id: ZId,
  number: z.number().int(),
  subject: z.string(),
  status: z.enum(CUSTOMER_TICKET_STATUSES),
  updatedAt: z.iso.datetime(),
});
export type TCustomerTicket = z.infer<typeof ZCustomerTicket>;

export const ZCustomerDetail = ZCustomer.extend({
  tickets: z.object({
    total: z.number().int(),
    byStatus: z.record(z.enum(CUSTOMER_TICKET_STATUSES), z.number().int()),
    /** The 10 most recently updated. */
    latest: z.array(ZCustomerTicket),
  }),
});
export type TCustomerDetail = z.infer<typeof ZCustomerDetail>;

export const ZCustomerListQuery = ZPageQuery.extend({
  brandId: ZId.optional(),
  /** Prefix of a word of the name, or of an email address or phone number. */
  q: z.string().trim().max(200).optional(),
});
export type TCustomerListQuery = z.infer<typeof ZCustomerListQuery>;

export const ZCreateCustomer = z.strictObject({
  brandId: ZId,
  name: ZLine(200),
  emails: z.array(ZEmail).max(20).default([]),
  phones: z.array(ZPhone).max(20).default([]),
  notes: z.string().max(20_000).default(""),
  locale: ZLocale.nullable().default(null),
});
export type TCreateCustomer = z.infer<typeof ZCreateCustomer>;

export const ZUpdateCustomer = z.strictObject({
  name: ZLine(200).optional(),
  notes: z.string().max(20_000).optional(),
  locale: ZLocale.nullable().optional(),
  addEmails: z.array(ZEmail).max(20).optional(),
  addPhones: z.array(ZPhone).max(20).optional(),
  removeIdentityIds: z.array(ZId).max(40).optional(),
});
export type TUpdateCustomer = z.infer<typeof ZUpdateCustomer>;

export const ZMergeCustomer = z.strictObject({ sourceCustomerId: ZId });
export type TMergeCustomer = z.infer<typeof ZMergeCustomer>;
