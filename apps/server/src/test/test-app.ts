import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { buildApp, type TAppDeps, type TServices } from "../app.ts";
import { loadConfig, type TConfig } from "../config.ts";
import type { TDatabase } from "../db/connection.ts";
import type { TActor } from "../lib/actor.ts";
import { createTestDatabase } from "./test-db.ts";

export type TTestApp = {
  app: FastifyInstance;
  services: TServices;
  database: TDatabase;
  config: TConfig;
  close(): Promise<void>;
};

export async function createTestApp(
  env: Record<string, string> = {},
  deps: Pick<TAppDeps, "realtime"> = {},
): Promise<TTestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-test-"));
  const config = loadConfig({ LOG_LEVEL: "silent", SWITCHBOARD_DATA_DIR: dataDir, ...env });
  const database = await createTestDatabase();
  const { app, services } = await buildApp({ config, database, ...deps });
  await app.ready();
  return {
    app,
    services,
    database,
    config,
    close: async () => {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TTenant = {
  owner: TActor;
  ownerToken: string;
  brandA: string;
  brandB: string;
  /** An agent who works only in brand A. */
  agent: TActor;
  agentToken: string;
  lightAgent: TActor;
  lightAgentToken: string;
};

const tokenFor = async (services: TServices, actor: TActor) =>
  (await services.auth.createToken(actor, "test")).token;

/** A workspace with two brands, an owner, an agent and a light agent who work in brand A only. */
export async function seedTenant(services: TServices, label = "acme"): Promise<TTenant> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const owner = await services.workspaces.createWorkspace({
    name: `${label} support`,
    owner: {
      email: `owner-${suffix}@${label}.test`,
      name: "Olivia Owner",
      password: "correct horse battery",
    },
  });
  const brandA = (await services.brands.createBrand(owner, parseBrand(`${label}-a-${suffix}`))).id;
  const brandB = (await services.brands.createBrand(owner, parseBrand(`${label}-b-${suffix}`))).id;
  const agentUser = await services.users.createUser(owner, {
    email: `agent-${suffix}@${label}.test`,
    name: "Andrei Agent",
    role: "agent",
    password: "correct horse battery",
    locale: "en",
    timeZone: "UTC",
    brandIds: [brandA],
    groupIds: [],
  });
  const lightUser = await services.users.createUser(owner, {
    email: `light-${suffix}@${label}.test`,
    name: "Lena Light",
    role: "light_agent",
    password: "correct horse battery",
    locale: "en",
    timeZone: "UTC",
    brandIds: [brandA],
    groupIds: [],
  });
  const agent: TActor = {
    workspaceId: owner.workspaceId,
    userId: agentUser.id,
    role: "agent",
    brandIds: [brandA],
    via: "token",
  };
  const lightAgent: TActor = {
    workspaceId: owner.workspaceId,
    userId: lightUser.id,
    role: "light_agent",
    brandIds: [brandA],
    via: "token",
  };
  return {
    owner,
    brandA,
    brandB,
    agent,
    lightAgent,
    ownerToken: await tokenFor(services, owner),
    agentToken: await tokenFor(services, agent),
    lightAgentToken: await tokenFor(services, lightAgent),
  };
}

const parseBrand = (slug: string) => ({
  name: slug.toUpperCase(),
  slug,
  defaultLocale: "en" as const,
  supportedLocales: ["en" as const, "ro" as const],
  timeZone: "Europe/Bucharest",
  primaryColor: "#2563eb",
  accentColor: "#0f766e",
  logoUrl: null,
});

/** app.inject with a bearer token and a JSON body. */
export function call(
  app: FastifyInstance,
  token: string | null,
  method: InjectOptions["method"],
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body !== undefined ? { payload: body as InjectOptions["payload"] } : {}),
  });
}
