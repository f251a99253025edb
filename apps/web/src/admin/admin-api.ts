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
import type { QueryClient } from "@tanstack/react-query";
import { allUsers } from "../lib/directory.ts";
import { enc, http } from "../lib/http.ts";

export type { TApiToken, TBrand, TCategory, TCustomField, TGroup, TUser };
export type TRole = TUser["role"];
export type TFieldKind = TCustomField["kind"];

/**
 * The cache keys of what the admin section reads. They start with "directory", like the app's own copies
 * (lib/directory.ts), so that a change refreshes both: the admin list and, say, the assignee picker.
 */
export const ADMIN_KEYS = {
  brands: ["directory", "admin", "brands"],
  users: ["directory", "admin", "users"],
  groups: ["directory", "admin", "groups"],
  categories: ["directory", "admin", "categories"],
  customFields: ["directory", "admin", "custom-fields"],
  tokens: ["directory", "admin", "tokens"],
} as const;

/** After an admin change: every list of the workspace's people and settings is read again. */
export const refreshDirectory = (client: QueryClient) =>
  client.invalidateQueries({ queryKey: ["directory"] });

type TItems<T> = { items: T[] };

export const listBrands = () => http.get<TItems<TBrand>>("/brands").then((r) => r.items);
export const createBrand = (brand: TCreateBrand) => http.post<TBrand>("/brands", brand);
export const updateBrand = (id: string, patch: TUpdateBrand) =>
  http.patch<TBrand>(`/brands/${enc(id)}`, patch);

/** Every user: the admin list shows them all. */
export const listUsers = allUsers;
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
