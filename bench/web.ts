/**
 * The staff app's budgets in Chromium against a local server with the demo data (npm run bench:web):
 * initial JavaScript (gzipped) from the build, opening a ticket of 200 messages (click → the thread
 * painted), and a view of 50 tickets (click → the rows painted), each on a freshly loaded page with
 * nothing cached but the code. Prints one JSON line.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { launchChromium } from "../tools/chromium.ts";
import { startServerProcess } from "../tools/server-process.ts";
import { percentile, round } from "./lib/server.ts";

const DIST = path.resolve(import.meta.dirname, "../apps/web/dist");
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const LOGIN = { email: "owner@demo.switchboard.local", password: "switchboard-demo" };

/** The JavaScript the app's page loads before anything else: its entry and the modules it preloads. */
function initialJavaScriptGzipKb(): number {
  const html = fs.readFileSync(path.join(DIST, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  const bytes = files.reduce(
    (sum, f) => sum + gzipSync(fs.readFileSync(path.join(DIST, f)), { level: 9 }).length,
    0,
  );
  return round(bytes / 1024, 1);
}

async function apiSession(url: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(LOGIN),
  });
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const headers = { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" };
  return async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${url}/api/v1${p}`, {
      method,
      headers,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
}

/** 60 open tickets, then one with a thread of 200 messages (the most recently updated). */
async function seed(url: string): Promise<string> {
  const api = await apiSession(url);
  const { items } = await api<{ items: { id: string }[] }>("GET", "/brands");
  const brandId = items[0]?.id as string;
  const create = (i: number) =>
    api<{ ticket: { id: string } }>("POST", "/tickets", {
      brandId,
      subject: `Bench ticket ${i}: where is my order?`,
      requester: { email: `bench${i}@example.com`, name: `Bench Customer ${i}` },
      message: { body: `Hello, this is request ${i}.` },
    });
  for (let i = 0; i < 60; i++) await create(i);
  const { ticket } = await create(1000);
  for (let i = 1; i < 200; i++) {
    const body = `Message ${i}: ${"Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(3)}`;
    await api("POST", `/tickets/${ticket.id}/messages`, {
      kind: i % 4 === 0 ? "reply" : "note",
      body,
      html: `<p>${body}</p><p><strong>Order</strong> CC-${i}</p>`,
    });
  }
  return ticket.id;
}

/**
 * Clicks a link inside the page and times until `done` holds at a painted frame. The script is
 * text: tsx would wrap a function's inner names in a helper the page does not have.
 */
function timeClick(page: Page, selector: string, done: string): Promise<number> {
  return page.evaluate(`(async () => {
    const link = document.querySelector(${JSON.stringify(selector)});
    if (!link) throw new Error("no link");
    const start = performance.now();
    link.click();
    await new Promise((resolve) => {
      const check = () => ((${done}) ? resolve() : requestAnimationFrame(check));
      requestAnimationFrame(check);
    });
    // The next animation frame starts after the browser painted the one that shows it.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - start;
  })()`);
}

const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50), 1),
    p95: round(percentile(sorted, 95), 1),
    max: round(sorted.at(-1) ?? 0, 1),
  };
};

async function main() {
  if (!fs.existsSync(path.join(DIST, "index.html")))
    throw new Error("build the app first: npm run build:web");
  const server = await startServerProcess();
  const browser = await launchChromium();
  try {
    const ticketId = await seed(server.url);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "en-GB" });
    await page.goto(`${server.url}/app/`);
    await page.getByLabel("Email").fill(LOGIN.email);
    await page.getByRole("textbox", { name: /^Password/ }).fill(LOGIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "My open tickets" }).waitFor();

    // One run more than timed: the first open after the browser starts compiles the page's code
    // (later page loads reuse V8's code cache); it is reported on its own as the cold open.
    const ticketOpen: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      // A fresh page each time (no data cached); the ticket page's code is fetched while the list shows.
      await page.goto(`${server.url}/app/#/views/open`);
      await page.locator(`a[href="#/tickets/${ticketId}"]`).waitFor();
      await page.waitForFunction(() =>
        performance.getEntriesByType("resource").some((e) => e.name.includes("/Composer-")),
      );
      ticketOpen.push(
        await timeClick(
          page,
          `a[href="#/tickets/${ticketId}"]`,
          `Number(document.querySelector("[data-thread]")?.getAttribute("data-count")) >= 200`,
        ),
      );
    }

    const list: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      await page.goto(`${server.url}/app/#/views/mine`);
      await page.getByRole("heading", { name: "My open tickets" }).waitFor();
      await page.locator("tbody tr, [role=status]").first().waitFor();
      list.push(
        await timeClick(page, `a[href="#/views/open"]`, `document.querySelectorAll("tbody tr").length >= 50`),
      );
    }

    console.log(
      JSON.stringify({
        bench: "web",
        date: new Date().toISOString(),
        initialJsGzipKb: initialJavaScriptGzipKb(),
        ticketOpen200Ms: summary(ticketOpen.slice(1)),
        ticketOpen200ColdMs: round(ticketOpen[0] ?? 0, 1),
        list50Ms: summary(list.slice(1)),
        list50ColdMs: round(list[0] ?? 0, 1),
      }),
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
