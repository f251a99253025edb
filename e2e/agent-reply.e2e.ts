import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startMailCatcher, type TMailCatcher, waitFor } from "../tools/mail-catcher.ts";
import { accessibilityProblems, demoServerAndBrowser, SCREENSHOTS, signIn } from "./lib.ts";

/**
 * The whole loop through real parts: a customer writes through the contact form, an agent answers in
 * the staff app, and the customer reads the answer on the status page and in their mailbox (the
 * server's outgoing mail goes to an SMTP server this test runs).
 */
describe("an agent's reply reaches the customer", () => {
  let catcher: TMailCatcher;
  before(async () => {
    catcher = await startMailCatcher();
  });
  const env = demoServerAndBrowser(() => ({ SWITCHBOARD_SMTP_RELAY: `smtp://127.0.0.1:${catcher.port}` }));
  // After the server has stopped: its pooled SMTP connections would hold the catcher open.
  after(() => catcher.close());

  test("contact form → the agent opens the view and the ticket, replies → status page and email", async () => {
    const customer = await env.browser.newContext({ locale: "en-GB" });
    const form = await customer.newPage();
    await form.goto(`${env.server.url}/b/carpathian-coffee/contact?lang=en`);
    const subject = `Beans arrived stale ${Date.now()}`;
    await form.fill("#f-name", "Irina Vasile");
    await form.fill("#f-email", "irina.vasile@example.ro");
    await form.fill("#f-subject", subject);
    await form.fill("#f-message", "The roast date on the bag is from last year.");
    await Promise.all([form.waitForURL(/\/requests\//), form.click("button[type=submit]")]);
    const statusUrl = form.url();

    const agent = await env.browser.newPage({
      locale: "en-GB",
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    await signIn(agent, env.server.url);
    await agent.getByRole("link", { name: "Unassigned" }).click();
    await agent.getByRole("heading", { name: "Unassigned" }).waitFor();
    await agent.getByRole("link", { name: subject }).click();
    await agent.getByRole("heading", { name: subject }).waitFor();
    const answer = "Sorry, Irina! A fresh bag roasted this week ships today.";
    await agent.getByRole("textbox", { name: "Your message" }).fill(answer);
    await agent.getByRole("button", { name: "Send" }).click();
    await agent.locator("article", { hasText: answer }).waitFor();
    assert.deepEqual(await accessibilityProblems(agent), [], "ticket page after the reply");

    await form.goto(statusUrl);
    await form.getByText(answer).waitFor();
    await form.screenshot({ path: path.join(SCREENSHOTS, "status-page-agent-reply-en.png"), fullPage: true });

    const mail = await waitFor("the reply by email", () =>
      catcher.caught.find(
        (m) => m.to.includes("irina.vasile@example.ro") && (m.parsed.text ?? "").includes(answer),
      ),
    );
    assert.match(mail.parsed.subject ?? "", new RegExp(subject));
    await agent.close();
    await customer.close();
  });
});
