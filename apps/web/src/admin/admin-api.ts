import type {
  TApiToken,
  TBrand,
  TCategory,
  TCreateBrand,
  TCreateCategory,
  TCreateCustomField,
  TCreatedToken,
  TCreateGroup,
  TCreateUser,
  TCustomField,
  TGroup,
  TUpdateBrand,
  TUpdateCategory,
  TUpdateCustomField,
  TUpdateGroup,
  TUpdateUser,
  TUser,
} from "@switchboard/contracts";
import { enc, http } from "../lib/http.ts";

export type { TApiToken, TBrand, TCategory, TCustomField, TGroup, TUser };
export type TRole = TUser["role"];
export type TFieldKind = TCustomField["kind"];

/** The cache keys of what the admin section reads; a change invalidates its list. */
export const ADMIN_KEYS = {
  brands: ["admin", "brands"],
  users: ["admin", "users"],
  groups: ["admin", "groups"],
  categories: ["admin", "categories"],
  customFields: ["admin", "custom-fields"],
  tokens: ["admin", "tokens"],
} as const;

type TItems<T> = { items: T[] };

export const listBrands = () => http.get<TItems<TBrand>>("/brands").then((r) => r.items);
export const createBrand = (brand: TCreateBrand) => http.post<TBrand>("/brands", brand);
export const updateBrand = (id: string, patch: TUpdateBrand) =>
  http.patch<TBrand>(`/brands/${enc(id)}`, patch);

/** Every user, a page (the API's largest, 100) at a time: the admin list shows them all. */
export async function listUsers(): Promise<TUser[]> {
  const all: TUser[] = [];
  let cursor: string | null = null;
  do {
    const after: string = cursor ? `&cursor=${enc(cursor)}` : "";
    const page: { items: TUser[]; nextCursor: string | null } = await http.get(`/users?limit=100${after}`);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
export const createUser = (user: TCreateUser) => http.post<TUser>("/users", user);
export const updateUser = (id: string, patch: TUpdateUser) => http.patch<TUser>(`/users/${enc(id)}`, patch);

export const listGroups = () => http.get<TItems<TGroup>>("/groups").then((r) => r.items);
export const createGroup = (group: TCreateGroup) => http.post<TGroup>("/groups", group);
export const updateGroup = (id: string, patch: TUpdateGroup) =>
  http.patch<TGroup>(`/groups/${enc(id)}`, patch);

export const listCategories = () =>
  http.get<TItems<TCategory>>("/categories?includeArchived=true").then((r) => r.items);
export const createCategory = (category: TCreateCategory) => http.post<TCategory>("/categories", category);
export const updateCategory = (id: string, patch: TUpdateCategory) =>
  http.patch<TCategory>(`/categories/${enc(id)}`, patch);

export const listCustomFields = () =>
  http.get<TItems<TCustomField>>("/custom-fields?includeArchived=true").then((r) => r.items);
export const createCustomField = (field: TCreateCustomField) =>
  http.post<TCustomField>("/custom-fields", field);
export const updateCustomField = (id: string, patch: TUpdateCustomField) =>
  http.patch<TCustomField>(`/custom-fields/${enc(id)}`, patch);

export const listTokens = () => http.get<TItems<TApiToken>>("/tokens").then((r) => r.items);
export const createToken = (name: string) => http.post<TCreatedToken>("/tokens", { name });
export const revokeToken = (id: string) => http.delete(`/tokens/${enc(id)}`);
