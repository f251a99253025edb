import type { TServices } from "./app.ts";
import type { TConfig } from "./config.ts";

const demoLines = (config: TConfig, login: { email: string; password: string }) => [
  `Demo login: ${login.email} / ${login.password}`,
  `  (POST ${config.publicUrl}/api/v1/auth/login, or create an API token; see ${config.publicUrl}/api/docs)`,
  `  Contact forms: ${config.publicUrl}/b/carpathian-coffee/contact and ${config.publicUrl}/b/vistula-outdoor/contact`,
];

/**
 * First start on an empty database: the configured owner's workspace, or else the demo workspace.
 * Returns what to print on the console: the demo login while the demo workspace exists, else null.
 */
export async function bootstrap(services: TServices, config: TConfig): Promise<string | null> {
  if (!(await services.workspaces.isEmpty())) {
    const { DEMO_LOGIN } = await import("./demo/seed.ts");
    return (await services.workspaces.loginExists(DEMO_LOGIN.email))
      ? demoLines(config, DEMO_LOGIN).join("\n")
      : null;
  }
  if (config.admin) {
    await services.workspaces.createWorkspace({
      name: "Switchboard",
      owner: {
        email: config.admin.email,
        name: config.admin.email.split("@")[0] ?? "Owner",
        password: config.admin.password,
      },
    });
    return `Created workspace with owner ${config.admin.email}. Sign in at ${config.publicUrl}`;
  }
  if (!config.demo) return null;
  const { seedDemo, DEMO_LOGIN } = await import("./demo/seed.ts");
  await seedDemo(services);
  return ["Demo workspace created.", ...demoLines(config, DEMO_LOGIN)].join("\n");
}
