import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { accessibilityProblems, chooseLanguage, demoServerAndBrowser, SCREENSHOTS, signIn } from "./lib.ts";

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
    assert.ok((await page.locator("article").count()) > 0, "the thread shows the customer's message");
    const answer = `We are on it — ${Date.now()}`;
    await page.getByRole("textbox", { name: "Your message" }).fill(answer);
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("article", { hasText: answer }).waitFor();
    assert.equal(
      await page.getByRole("textbox", { name: "Your message" }).inputValue(),
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
