import type { TCustomerDetail, TUpdateCustomer } from "@switchboard/contracts";
import { enc, http } from "../lib/http.ts";

export type { TCustomerDetail };

export const customerKey = (id: string) => ["customer", id] as const;
export const getCustomer = (id: string) => http.get<TCustomerDetail>(`/customers/${enc(id)}`);
export const updateCustomer = (id: string, changes: TUpdateCustomer) =>
  http.patch<TCustomerDetail>(`/customers/${enc(id)}`, changes);
