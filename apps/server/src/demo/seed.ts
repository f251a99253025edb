import type { TServices } from "../app.ts";

export const DEMO_LOGIN = { email: "owner@demo.switchboard.local", password: "switchboard-demo" } as const;

/** The demo workspace: two shops, a support team, customers and tickets in five languages. */
export async function seedDemo(services: TServices): Promise<void> {
  const owner = await services.workspaces.createWorkspace({
    name: "Demo Support Co.",
    owner: { email: DEMO_LOGIN.email, name: "Dana Owner", password: DEMO_LOGIN.password },
  });
  await services.brands.createBrand(owner, {
    name: "Carpathian Coffee",
    slug: "carpathian-coffee",
    defaultLocale: "ro",
    supportedLocales: ["ro", "en", "bg"],
    timeZone: "Europe/Bucharest",
    primaryColor: "#7c2d12",
    accentColor: "#b45309",
    logoUrl: null,
  });
  await services.brands.createBrand(owner, {
    name: "Vistula Outdoor",
    slug: "vistula-outdoor",
    defaultLocale: "pl",
    supportedLocales: ["pl", "en", "fa"],
    timeZone: "Europe/Warsaw",
    primaryColor: "#166534",
    accentColor: "#0e7490",
    logoUrl: null,
  });
}
