import type { TServices } from "./app.ts";
import type { TConfig } from "./config.ts";

/**
 * First start on an empty database: the configured owner's workspace, or else the demo workspace.
 * Returns what to print on the console, or null when the database already had data.
 */
export async function bootstrap(services: TServices, config: TConfig): Promise<string | null> {
  if (!(await services.workspaces.isEmpty())) return null;
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
  return [
    `Demo workspace created. Demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`,
    `  (POST ${config.publicUrl}/api/v1/auth/login, or create an API token; see ${config.publicUrl}/api/docs)`,
    `  Contact forms: ${config.publicUrl}/b/carpathian-coffee/contact and ${config.publicUrl}/b/vistula-outdoor/contact`,
  ].join("\n");
}
