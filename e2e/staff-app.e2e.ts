import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import type { Page, WebSocketRoute } from "playwright-core";
import {
  accessibilityProblems,
  apiSession,
  chooseLanguage,
  DEMO_LOGIN,
  demoServerAndBrowser,
  SCREENSHOTS,
  signIn,
} from "./lib.ts";

/** Waits until the field labelled `label` shows `value`. */
async function waitForValue(page: Page, label: string, value: string) {
  const field = page.getByRole("combobox", { name: label, exact: true });
  for (let i = 0; i < 100 && (await field.inputValue()) !== value; i++) await page.waitForTimeout(100);
  assert.equal(await field.inputValue(), value, label);
}

/** The staff app in Chromium: sign in, the built-in views, Persian right to left, an ended session. */
describe("staff app in Chromium", () => {
  const env = demoServerAndBrowser();
  /** A page for the app, in English, on a desktop screen; its CSP bypassed so axe-core can be injected. */
  const appPage = (height: number) =>
    env.browser.newPage({ locale: "en-GB", viewport: { width: 1280, height }, bypassCSP: true });

  test("an agent signs in and opens a view of tickets; the pages have no serious accessibility problems", async () => {
    const page = await appPage(800);
    await page.goto(`${env.server.url}/app/`);
    assert.deepEqual(await accessibilityProblems(page), [], "sign-in page");
    await page.screenshot({ path: path.join(SCREENSHOTS, "staff-sign-in-en.png") });
    await signIn(page, env.server.url);
    await page.getByRole("link", { name: "All open" }).click();
    await page.getByRole("heading", { name: "All open" }).waitFor();
    const rows = page.locator("tbody tr");
    await rows.first().waitFor();
    assert.ok((await rows.count()) > 0, "the demo workspace has open tickets");
    assert.match(await page.getByRole("status").innerText(), /\d+ tickets?/);
    assert.match(page.url(), /#\/views\/open$/, "the view is in the address");
    assert.deepEqual(await accessibilityProblems(page), [], "view page");
    await page.screenshot({ path: path.join(SCREENSHOTS, "staff-view-en.png") });
    await page.close();
  });

  test("an agent opens a ticket from the view, answers it, and the answer joins the thread", async () => {
    const page = await appPage(900);
    await signIn(page, env.server.url);
    await page.getByRole("link", { name: "All open" }).click();
    const first = page.locator("tbody tr").first().getByRole("link");
    const subject = (await first.innerText()).trim();
    await first.click();
    await page.getByRole("heading", { name: subject }).waitFor();
    await page.locator("article").first().waitFor(); // the thread (read beside the ticket) shows its messages
    const answer = `We are on it — ${Date.now()}`;
    await page.getByRole("textbox", { name: "Your message" }).fill(answer);
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("article", { hasText: answer }).waitFor();
    assert.equal(
      (await page.getByRole("textbox", { name: "Your message" }).innerText()).trim(),
      "",
      "the composer is empty again",
    );
    await page.reload();
    await page.locator("article", { hasText: answer }).waitFor();
    assert.deepEqual(await accessibilityProblems(page), [], "ticket page");
    await page.screenshot({ path: path.join(SCREENSHOTS, "staff-ticket-en.png"), fullPage: true });
    await page.getByRole("link", { name: "Back to the view" }).click();
    await page.getByRole("heading", { name: "All open" }).waitFor();
    await page.close();
  });

  test("a second agent sees who views and types on a ticket, and a colleague's reply, without reloading", async () => {
    const owner = await appPage(900);
    await signIn(owner, env.server.url);
    await owner.getByRole("link", { name: "All open" }).click();
    const first = owner.locator("tbody tr").first().getByRole("link");
    const subject = (await first.innerText()).trim();
    const href = (await first.getAttribute("href")) ?? "";
    await first.click();
    await owner.getByRole("heading", { name: subject }).waitFor();

    const sara = await env.browser.newPage({
      locale: "en-GB",
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    // Sara works in Persian (her account's language).
    await signIn(sara, env.server.url, "تیکت‌های باز من", {
      email: "sara@demo.switchboard.local",
      password: DEMO_LOGIN.password,
    });
    await sara.goto(`${env.server.url}/app/${href}`);
    await sara.getByRole("heading", { name: subject }).waitFor();
    await sara.getByText("Dana Owner در حال مشاهده است").waitFor();
    await owner.getByText("Sara Rahimi is viewing").waitFor();

    await owner.getByRole("textbox", { name: "Your message" }).fill("A replacement is on its way");
    await sara.getByText("Dana Owner در حال نوشتن است…").waitFor();
    await sara.screenshot({ path: path.join(SCREENSHOTS, "staff-presence-fa.png") });
    await owner.getByRole("button", { name: "Send" }).click();
    await sara.locator("article", { hasText: "A replacement is on its way" }).waitFor();
    await sara.getByText("Dana Owner در حال مشاهده است").waitFor();
    assert.deepEqual(await accessibilityProblems(sara), [], "ticket page with a colleague on it");
    await owner.screenshot({ path: path.join(SCREENSHOTS, "staff-presence-en.png") });

    // A note that mentions Sara: picked from the list under the caret, announced to her at once.
    await owner.locator("label", { hasText: "Internal note" }).click();
    await owner.getByRole("textbox", { name: "Your message" }).click();
    await owner.keyboard.type("@Sar");
    await owner.getByRole("option", { name: /Sara Rahimi/ }).waitFor();
    await owner.keyboard.press("Enter");
    await owner.keyboard.type(" please call the courier");
    await owner.getByRole("button", { name: "Add note" }).click();
    await sara.getByText(/Dana Owner در #\S+ از شما نام برد/).waitFor();
    await sara.locator("article[data-kind=note]", { hasText: "please call the courier" }).waitFor();
    assert.match(
      await sara.locator("article[data-kind=note]", { hasText: "please call the courier" }).innerText(),
      /@Sara Rahimi/,
    );

    await owner.getByRole("link", { name: "Back to the view" }).click();
    await sara.getByText("Dana Owner در حال مشاهده است").waitFor({ state: "detached" });
    await sara.close();
    await owner.close();
  });

  test("an agent saves a personal view with a filter, sees its count, and changes its tickets at once", async () => {
    const page = await appPage(900);
    await signIn(page, env.server.url);
    await page.getByRole("button", { name: "New view" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Urgent ones");
    // The field sits under the pills box, which takes the click in a real browser as well.
    await dialog.getByRole("combobox", { name: "Priority" }).click({ force: true });
    await page.getByRole("option", { name: "Urgent" }).click();
    await page.keyboard.press("Escape");
    assert.deepEqual(await accessibilityProblems(page), [], "view editor");
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Urgent ones" }).waitFor();
    const rows = page.locator("tbody tr");
    await rows.first().waitFor();
    const shown = await rows.count();
    assert.ok(shown > 0, "the demo data has urgent open tickets");
    const link = page.getByRole("navigation").getByRole("link", { name: /Urgent ones/ });
    assert.match(await link.innerText(), new RegExp(`${shown}`), "the view's count is beside its name");

    await page.getByRole("checkbox", { name: "Select all tickets shown" }).check();
    await page
      .getByRole("region", { name: "Change the selected tickets" })
      .getByRole("combobox", { name: "Priority" })
      .click();
    await page.getByRole("option", { name: "High" }).click();
    await page.getByText(`${shown} ticket${shown === 1 ? "" : "s"} changed`).waitFor();
    await page.getByText("Nothing here. Well done.").waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, "staff-view-saved-en.png") });
    await page.close();
  });

  test("after the live connection drops and comes back, the app shows what it missed without a reload", async () => {
    const page = await appPage(900);
    // The page's websocket goes through the test, which can cut it and refuse new ones for a while.
    let reachable = true;
    let current: WebSocketRoute | null = null;
    await page.routeWebSocket(/\/api\/v1\/realtime$/, (ws) => {
      if (!reachable) return ws.close({ code: 1011, reason: "down" });
      current = ws;
      ws.connectToServer();
    });
    await signIn(page, env.server.url);
    await page.getByRole("link", { name: "All open" }).click();
    const first = page.locator("tbody tr").first().getByRole("link");
    const subject = (await first.innerText()).trim();
    const ticketId = ((await first.getAttribute("href")) ?? "").split("/").pop() ?? "";
    await first.click();
    await page.getByRole("heading", { name: subject }).waitFor();
    await page.locator("article").first().waitFor();

    reachable = false;
    await (current as WebSocketRoute | null)?.close({ code: 1011, reason: "down" });
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor();
    const answer = `Answered while you were offline ${Date.now()}`;
    const headers = await apiSession(env.server.url);
    const res = await fetch(`${env.server.url}/api/v1/tickets/${ticketId}/messages`, {
      method: "POST",
      headers,
      body: JSON.stringify({ kind: "reply", body: answer }),
    });
    assert.equal(res.status, 201);
    assert.equal(await page.locator("article", { hasText: answer }).count(), 0, "no live connection yet");

    reachable = true;
    await page.locator("article", { hasText: answer }).waitFor();
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ state: "detached" });
    await page.close();
  });

  test("an agent marks a ticket as spam, merges another into it, and reads its history", async () => {
    const headers = await apiSession(env.server.url);
    const brandId = (
      (await (await fetch(`${env.server.url}/api/v1/brands`, { headers })).json()) as {
        items: { id: string }[];
      }
    ).items[0]?.id;
    const create = async (subject: string) =>
      (
        (await (
          await fetch(`${env.server.url}/api/v1/tickets`, {
            method: "POST",
            headers,
            body: JSON.stringify({
              brandId,
              subject,
              requester: { email: "dup@example.com" },
              message: { body: subject },
            }),
          })
        ).json()) as { ticket: { id: string; number: number } }
      ).ticket;
    const kept = await create("Parcel never arrived");
    const duplicate = await create("Parcel never arrived (again)");

    const page = await appPage(900);
    await signIn(page, env.server.url);
    await page.goto(`${env.server.url}/app/#/tickets/${duplicate.id}`);
    await page.getByRole("heading", { name: "Parcel never arrived (again)" }).waitFor();
    await page.getByRole("button", { name: "More" }).click();
    await page.getByRole("menuitem", { name: "Mark as spam" }).click();
    await page.getByText("Spam", { exact: true }).waitFor();
    await page.getByRole("button", { name: "More" }).click();
    await page.getByRole("menuitem", { name: "Not spam" }).click();
    await page.getByText("Spam", { exact: true }).waitFor({ state: "detached" });

    await page.getByRole("button", { name: "More" }).click();
    await page.getByRole("menuitem", { name: "Merge into another ticket" }).click();
    await page.getByRole("dialog").getByLabel("Ticket number to merge into").fill(`#${kept.number}`);
    await page.getByRole("menu").waitFor({ state: "hidden" });
    assert.deepEqual(await accessibilityProblems(page), [], "merge dialog");
    await page.getByRole("dialog").getByRole("button", { name: "Merge" }).click();
    await page.getByRole("heading", { name: "Parcel never arrived", exact: true }).waitFor();
    assert.match(page.url(), new RegExp(`#/tickets/${kept.id}$`), "the merged ticket opens its target");
    await page.locator("article", { hasText: "Parcel never arrived (again)" }).waitFor();

    await page.getByRole("button", { name: "More" }).click();
    await page.getByRole("menuitem", { name: "History" }).click();
    const history = page.getByRole("dialog", { name: "History" });
    await history.getByRole("row").nth(1).waitFor();
    assert.match(await history.innerText(), /created/);
    await page.close();
  });

  test("keyboard on the ticket page: n writes a note, mod+Enter sends it, a assigns to me, s solves", async () => {
    const page = await appPage(900);
    await signIn(page, env.server.url);
    await page.getByRole("link", { name: "Unassigned" }).click();
    await page.getByRole("heading", { name: "Unassigned" }).waitFor();
    const first = page.locator("tbody tr").first().getByRole("link");
    const subject = (await first.innerText()).trim();
    await first.click();
    await page.getByRole("heading", { name: subject }).waitFor();
    await page.getByRole("textbox", { name: "Your message" }).waitFor();
    await page.keyboard.press("n");
    await page.keyboard.type("Checked with the courier");
    await page.keyboard.press("Control+Enter");
    await page.locator("article[data-kind=note]", { hasText: "Checked with the courier" }).waitFor();
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("a");
    await waitForValue(page, "Assignee", "Dana Owner");
    await page.keyboard.press("s");
    await waitForValue(page, "Status", "Solved");
    await page.close();
  });

  test("an agent's language is kept on their account; the Persian app is laid out right to left", async () => {
    const page = await appPage(800);
    await signIn(page, env.server.url);
    await page.getByRole("link", { name: "All open" }).click();
    await chooseLanguage(page, "Language", "فارسی");
    await page.getByRole("heading", { name: "همه‌ی باز" }).waitFor();
    // Another browser (no local choice, so it asks in English) signs in to the same account: Persian.
    const elsewhere = await env.browser.newPage({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    await signIn(elsewhere, env.server.url, "تیکت‌های باز من");
    await elsewhere.close();
    assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
    assert.equal(await page.evaluate(() => document.documentElement.lang), "fa");
    const nav = await page.getByRole("navigation").boundingBox();
    assert.ok(nav && nav.x > 640, `the views sit on the right (x = ${nav?.x})`);
    await page.locator("tbody tr").first().waitFor();
    assert.deepEqual(await accessibilityProblems(page), [], "Persian view page");
    await page.screenshot({ path: path.join(SCREENSHOTS, "staff-view-fa.png") });
    await page.locator("tbody tr").first().getByRole("link").click();
    await page.getByRole("heading", { name: "گفت‌وگو" }).waitFor();
    assert.deepEqual(await accessibilityProblems(page), [], "Persian ticket page");
    await page.screenshot({ path: path.join(SCREENSHOTS, "staff-ticket-fa.png"), fullPage: true });
    // Back to English for the other tests, which sign in to the same account.
    await chooseLanguage(page, "زبان", "English");
    await page.getByRole("heading", { name: "Conversation" }).waitFor();
    await page.close();
  });

  test("when the session ends, the next request asks to sign in again", async () => {
    const context = await env.browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    await signIn(page, env.server.url);
    await context.clearCookies();
    await page.getByRole("link", { name: "Pending" }).click();
    await page.getByText("Your session ended. Sign in again to go on.").waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, "staff-session-ended-en.png") });
    await context.close();
  });
});
