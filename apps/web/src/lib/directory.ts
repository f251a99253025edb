import type { TBrand, TCategory, TCustomField, TGroup, TUser } from "@switchboard/contracts";
import { type QueryKey, useQuery } from "@tanstack/react-query";
import { http } from "./http.ts";

/**
 * The workspace's people and settings that many screens show (assignee pickers, brand names,
 * categories). Read once per session and kept for minutes: they change rarely, and an admin edit
 * invalidates them.
 */
const LONG = { staleTime: 5 * 60_000 };

/** Every user of the workspace, a page (the API's largest, 100) at a time. */
export const allUsers = () => http.getAll<TUser>("/users", 100);

export const directoryKeys = {
  users: ["directory", "users"],
  groups: ["directory", "groups"],
  brands: ["directory", "brands"],
  categories: ["directory", "categories"],
  customFields: ["directory", "custom-fields"],
} as const;

/** A list the API returns whole, as `{ items }`, kept like the rest of the directory. */
const useList = <T>(queryKey: QueryKey, path: string) =>
  useQuery({ queryKey, queryFn: () => http.get<{ items: T[] }>(path).then((r) => r.items), ...LONG });

export const useUsers = () => useQuery({ queryKey: directoryKeys.users, queryFn: allUsers, ...LONG });
export const useGroups = () => useList<TGroup>(directoryKeys.groups, "/groups");
export const useBrands = () => useList<TBrand>(directoryKeys.brands, "/brands");
export const useCategories = () => useList<TCategory>(directoryKeys.categories, "/categories");
export const useCustomFields = () => useList<TCustomField>(directoryKeys.customFields, "/custom-fields");
