import type { TBrand, TCategory, TCustomField, TGroup, TUser } from "@switchboard/contracts";
import { useQuery } from "@tanstack/react-query";
import { http } from "./http.ts";

/**
 * The workspace's people and settings that many screens show (assignee pickers, brand names,
 * categories). Read once per session and kept for minutes: they change rarely, and an admin edit
 * invalidates them.
 */
const LONG = { staleTime: 5 * 60_000 };

/** Every user of the workspace, a page (the API's largest, 100) at a time. */
export async function allUsers(): Promise<TUser[]> {
  const users: TUser[] = [];
  let cursor: string | null = null;
  do {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page: { items: TUser[]; nextCursor: string | null } = await http.get(`/users?limit=100${after}`);
    users.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return users;
}

export const directoryKeys = {
  users: ["directory", "users"],
  groups: ["directory", "groups"],
  brands: ["directory", "brands"],
  categories: ["directory", "categories"],
  customFields: ["directory", "custom-fields"],
} as const;

export const useUsers = () => useQuery({ queryKey: directoryKeys.users, queryFn: allUsers, ...LONG });
export const useGroups = () =>
  useQuery({
    queryKey: directoryKeys.groups,
    queryFn: () => http.get<{ items: TGroup[] }>("/groups").then((r) => r.items),
    ...LONG,
  });
export const useBrands = () =>
  useQuery({
    queryKey: directoryKeys.brands,
    queryFn: () => http.get<{ items: TBrand[] }>("/brands").then((r) => r.items),
    ...LONG,
  });
export const useCategories = () =>
  useQuery({
    queryKey: directoryKeys.categories,
    queryFn: () => http.get<{ items: TCategory[] }>("/categories").then((r) => r.items),
    ...LONG,
  });
export const useCustomFields = () =>
  useQuery({
    queryKey: directoryKeys.customFields,
    queryFn: () => http.get<{ items: TCustomField[] }>("/custom-fields").then((r) => r.items),
    ...LONG,
  });
