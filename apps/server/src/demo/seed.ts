import type { TCreateBrand } from "@switchboard/contracts";
import type { TServices } from "../app.ts";
import type { TActor } from "../lib/actor.ts";
import { DEMO_TICKETS, type TDemoTicket } from "./demo-tickets.ts";

export const DEMO_LOGIN = { email: "owner@demo.switchboard.local", password: "switchboard-demo" } as const;

const BRANDS: Record<"c" | "v", TCreateBrand> = {
  c: {
    name: "Carpathian Coffee",
    slug: "carpathian-coffee",
    defaultLocale: "ro",
    supportedLocales: ["ro", "en", "bg"],
    timeZone: "Europe/Bucharest",
    primaryColor: "#7c2d12",
    accentColor: "#b45309",
    logoUrl: null,
  },
  v: {
    name: "Vistula Outdoor",
    slug: "vistula-outdoor",
    defaultLocale: "pl",
    supportedLocales: ["pl", "en", "fa"],
    timeZone: "Europe/Warsaw",
    primaryColor: "#166534",
    accentColor: "#0e7490",
    logoUrl: null,
  },
};

type TTeamMember = {
  email: string;
  name: string;
  role: "supervisor" | "agent" | "light_agent";
  locale: "en" | "ro" | "pl" | "bg" | "fa";
  timeZone: string;
  brands: Array<"c" | "v">;
};

const TEAM: TTeamMember[] = [
  {
    email: "mihai@demo.switchboard.local",
    name: "Mihai Popescu",
    role: "agent",
    locale: "ro",
    timeZone: "Europe/Bucharest",
    brands: ["c"],
  },
  {
    email: "ana@demo.switchboard.local",
    name: "Ana Kowalska",
    role: "agent",
    locale: "pl",
    timeZone: "Europe/Warsaw",
    brands: ["v"],
  },
  {
    email: "ivan@demo.switchboard.local",
    name: "Ivan Petrov",
    role: "supervisor",
    locale: "bg",
    timeZone: "Europe/Sofia",
    brands: ["c", "v"],
  },
  {
    email: "sara@demo.switchboard.local",
    name: "Sara Rahimi",
    role: "agent",
    locale: "fa",
    timeZone: "Asia/Tehran",
    brands: ["c", "v"],
  },
  {
    email: "lena@demo.switchboard.local",
    name: "Lena Meier",
    role: "light_agent",
    locale: "en",
    timeZone: "Europe/Berlin",
    brands: ["v"],
  },
];

/** Agent replies move a ticket to open; the rest of the way goes through the status machine. */
const STATUS_PATH: Record<TDemoTicket["status"], Array<"pending" | "on_hold" | "solved" | "closed">> = {
  new: [],
  open: [],
  pending: ["pending"],
  on_hold: ["on_hold"],
  solved: ["solved"],
  closed: ["solved", "closed"],
};

/** The demo workspace: two shops, a support team, customers and tickets in five languages. */
export async function seedDemo(services: TServices): Promise<void> {
  const owner = await services.workspaces.createWorkspace({
    name: "Demo Support Co.",
    owner: { email: DEMO_LOGIN.email, name: "Dana Owner", password: DEMO_LOGIN.password },
  });
  const brandIds = {
    c: (await services.brands.createBrand(owner, BRANDS.c)).id,
    v: (await services.brands.createBrand(owner, BRANDS.v)).id,
  };
  // Mail to these reaches the brands (SMTP listener, webhook); .test never leaves the machine.
  await services.supportAddresses.createAddress(owner, brandIds.c, {
    address: "help@carpathian-coffee.test",
    displayName: "Carpathian Coffee",
    isDefault: true,
  });
  await services.supportAddresses.createAddress(owner, brandIds.v, {
    address: "help@vistula-outdoor.test",
    displayName: "Vistula Outdoor",
    isDefault: true,
  });
  const agents: Record<"c" | "v", TActor[]> = { c: [], v: [] };
  for (const member of TEAM) {
    const user = await services.users.createUser(owner, {
      email: member.email,
      name: member.name,
      role: member.role,
      password: DEMO_LOGIN.password,
      locale: member.locale,
      timeZone: member.timeZone,
      brandIds: member.brands.map((b) => brandIds[b]),
      groupIds: [],
    });
    const actor: TActor = {
      workspaceId: owner.workspaceId,
      userId: user.id,
      role: member.role,
      brandIds: member.brands.map((b) => brandIds[b]),
      via: "session",
    };
    if (member.role !== "light_agent") for (const b of member.brands) agents[b].push(actor);
  }
  await services.users.createGroup(owner, {
    name: "Tier 1",
    description: "First answers on every channel",
    memberIds: agents.c.concat(agents.v).map((a) => a.userId),
  });
  await services.users.createGroup(owner, {
    name: "Returns & refunds",
    description: "RMAs, refunds and warranty claims",
    memberIds: [agents.c[0]?.userId, agents.v[0]?.userId].filter((id): id is string => Boolean(id)),
  });

  for (const [index, demo] of DEMO_TICKETS.entries()) {
    const team = agents[demo.brand];
    const agent = team[index % team.length] ?? owner;
    const ticket = await services.tickets.createTicket(owner, {
      brandId: brandIds[demo.brand],
      subject: demo.subject,
      requester: { email: demo.email, name: demo.name },
      message: { body: demo.body },
      priority: demo.priority,
      category: demo.category,
      channel: demo.channel ?? "email",
      ...(demo.tags ? { tags: demo.tags } : {}),
      ...(demo.orderNumber ? { orderNumber: demo.orderNumber } : {}),
      ...(demo.status !== "new" ? { assigneeId: agent.userId } : {}),
    });
    if (demo.note) await services.tickets.addMessage(agent, ticket.id, { kind: "note", body: demo.note });
    if (demo.reply) await services.tickets.addMessage(agent, ticket.id, { kind: "reply", body: demo.reply });
    else if (demo.status !== "new") await services.tickets.updateTicket(agent, ticket.id, { status: "open" });
    for (const status of STATUS_PATH[demo.status])
      await services.tickets.updateTicket(agent, ticket.id, { status });
  }
}
