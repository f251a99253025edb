import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium as launchDebianChromium } from "../tools/chromium.ts";
import { startServerProcess } from "../tools/server-process.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
export const SCREENSHOTS = path.join(ROOT, "e2e", "screenshots");

/** `npm start`'s server on a fresh embedded store with the demo workspace. */
export const startDemoServer = (env?: Record<string, string>) => startServerProcess(env ? { env } : {});

/** Debian's Chromium, never a downloaded browser; screenshots go to e2e/screenshots. */
export function launchChromium(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return launchDebianChromium();
}

export const DEMO_LOGIN = { email: "owner@demo.switchboard.local", password: "switchboard-demo" };

/** Signs in through the API and returns headers for further API calls. */
export async function apiSession(url: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(DEMO_LOGIN),
  });
  const body = (await res.json()) as { csrfToken: string };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { cookie, "x-csrf-token": body.csrfToken, "content-type": "application/json" };
}

/**
 * For a describe block: the demo server and Chromium, started before its tests and stopped after.
 * Read `server` and `browser` inside the tests (they are set once `before` has run). `serverEnv` is
 * read when the server starts (after earlier `before` hooks, such as one starting a mail catcher).
 */
export function demoServerAndBrowser(serverEnv?: () => Record<string, string>) {
  const env = {} as { server: Awaited<ReturnType<typeof startDemoServer>>; browser: Browser };
  before(async () => {
    env.server = await startDemoServer(serverEnv?.());
    env.browser = await launchChromium();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core on the page as it is (injected, so the page is opened with bypassCSP): serious and critical violations. */
/** Until transitions (a dialog or menu fading in or out) have ended; spinners, which never end, aside. */
export const settled = (page: Page) =>
  page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );

export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Half-faded elements would be judged on colours and roles they only have in passing.
  await settled(page);
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: () => Promise<{
            violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Picks a language in the header's language menu (a combobox labelled in the current language). */
export async function chooseLanguage(page: Page, label: string, language: string) {
  await page.getByLabel(label, { exact: true }).first().click();
  await page.getByRole("option", { name: language }).click();
}

/** Signs in through the staff app's form (the demo owner unless told) and waits for the first view. */
export async function signIn(page: Page, url: string, firstView = "My open tickets", login = DEMO_LOGIN) {
  await page.goto(`${url}/app/`);
  await page.getByLabel("Email").fill(login.email);
  await page.getByRole("textbox", { name: /^Password/ }).fill(login.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: firstView }).waitFor();
}
