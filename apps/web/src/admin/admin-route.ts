import { useSyncExternalStore } from "react";

/** The admin section's pages, in the order of its tabs; the address is `#/admin/<section>`. */
export const ADMIN_SECTIONS = ["brands", "users", "groups", "fields", "tokens"] as const;
export type TAdminSection = (typeof ADMIN_SECTIONS)[number];

export const canAdminister = (role: string) => role === "owner" || role === "admin";

const subscribe = (onChange: () => void) => {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
};
const useHash = () => useSyncExternalStore(subscribe, () => window.location.hash);

/** Whether the address is in the admin section (`#/admin` or `#/admin/<anything>`). */
export const useInAdmin = () => /^#\/admin(\/|$)/.test(useHash());

/** The admin page the address names; an unknown or missing one is the first. */
export function useAdminSection(): TAdminSection {
  const name = /^#\/admin\/([\w-]+)/.exec(useHash())?.[1];
  return ADMIN_SECTIONS.find((s) => s === name) ?? ADMIN_SECTIONS[0];
}
