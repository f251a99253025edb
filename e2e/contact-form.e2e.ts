import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { apiSession, demoServerAndBrowser, SCREENSHOTS } from "./lib.ts";

/**
 * A customer uses the brand's contact form in a real browser with JavaScript off, follows the
 * status link, sees the agent's reply appear and answers from the status page.
 */
describe("contact form and status page in Chromium", () => {
  const env = demoServerAndBrowser();

  test("request → status page → agent reply → customer reply, without JavaScript", async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(`${env.server.url}/b/carpathian-coffee/contact?lang=en`);
    await page.screenshot({ path: path.join(SCREENSHOTS, "contact-form-en.png"), fullPage: true });
    await page.fill("#f-name", "Irina Vasile");
    await page.fill("#f-email", "irina.vasile@example.ro");
    await page.fill("#f-orderNumber", "CC-20001");
    await page.fill("#f-subject", "Grinder arrived <b>broken</b>");
    await page.fill("#f-message", "The burr grinder's hopper is cracked. <script>alert(1)</script>");
    await Promise.all([
      page.waitForURL(/\/b\/carpathian-coffee\/requests\//),
      page.click("button[type=submit]"),
    ]);
    const statusUrl = page.url();
    const heading = await page.textContent("body");
    const number = /#(\d{4,})/.exec(heading ?? "")?.[1];
    assert.ok(number, "the status page shows the ticket number");
    assert.ok(heading?.includes("Grinder arrived <b>broken</b>"), "HTML typed by the customer shows as text");
    assert.equal(await page.locator("script").count(), 0, "no script element made it into the page");
    await page.screenshot({ path: path.join(SCREENSHOTS, "status-page-new-en.png"), fullPage: true });

    const headers = await apiSession(env.server.url);
    const reply = await fetch(`${env.server.url}/api/v1/tickets/${number}/messages`, {
      method: "POST",
      headers,
      body: JSON.stringify({ kind: "reply", body: "Sorry about that, Irina! A new grinder ships today." }),
    });
    assert.equal(reply.status, 201);
    const note = await fetch(`${env.server.url}/api/v1/tickets/${number}/messages`, {
      method: "POST",
      headers,
      body: JSON.stringify({ kind: "note", body: "Internal: courier damage claim #5521" }),
    });
    assert.equal(note.status, 201);

    await page.goto(statusUrl);
    const body = (await page.textContent("body")) ?? "";
    assert.ok(body.includes("A new grinder ships today"), "the agent's reply is on the status page");
    assert.ok(!body.includes("courier damage claim"), "internal notes never reach the customer");

    await page.fill("#f-body", "Thank you, I will watch for the courier.");
    await Promise.all([
      page.waitForURL(/\/requests\//),
      page.click("form[action$='/replies'] button[type=submit]"),
    ]);
    await page.screenshot({ path: path.join(SCREENSHOTS, "status-page-thread-en.png"), fullPage: true });
    const thread = (await (
      await fetch(`${env.server.url}/api/v1/tickets/${number}/messages`, { headers })
    ).json()) as {
      items: Array<{ bodyText: string; kind: string; author: { type: string } }>;
    };
    assert.ok(
      thread.items.some(
        (m) =>
          m.kind === "reply" && m.author.type === "customer" && m.bodyText.includes("watch for the courier"),
      ),
    );
    await context.close();
  });

  test("the Persian contact form renders right-to-left", async () => {
    const page = await env.browser.newPage({ locale: "fa-IR" });
    await page.goto(`${env.server.url}/b/vistula-outdoor/contact?lang=fa`);
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    assert.equal(await page.getAttribute("html", "lang"), "fa");
    const submit = page.locator("button[type=submit]");
    const box = await submit.boundingBox();
    const width = page.viewportSize()?.width ?? 1280;
    assert.ok(box && box.x + box.width > width / 2, "the submit button sits on the right-hand (start) side");
    await page.screenshot({ path: path.join(SCREENSHOTS, "contact-form-fa.png"), fullPage: true });
    await page.close();
  });
});
