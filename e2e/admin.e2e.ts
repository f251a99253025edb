import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import type { Locator, Page } from "playwright-core";
import {
  accessibilityProblems,
  apiSession,
  chooseLanguage,
  DEMO_LOGIN,
  demoServerAndBrowser,
  SCREENSHOTS,
  settled,
  signIn,
} from "./lib.ts";

const AGENT = { email: "ioana@dacia-books.test", password: "a long enough password" };

/** Picks an option of a Mantine select in `scope` (typing `search` first into a searchable one). */
async function pick(scope: Locator, label: string, option: string, search?: string) {
  const input = scope.getByRole("combobox", { name: label, exact: true });
  await input.click();
  if (search) await input.fill(search);
  await scope.page().getByRole("option", { name: option, exact: true }).click();
}

/** Opens an admin tab and waits for its section heading. */
async function openTab(page: Page, tab: string, heading: string) {
  await page.getByRole("tab", { name: tab }).click();
  await page.getByRole("heading", { name: heading, exact: true }).waitFor();
}

/** No serious accessibility problems, once the page has settled. */
async function noProblems(page: Page, where: string) {
  await settled(page);
  assert.deepEqual(await accessibilityProblems(page), [], where);
}

/** A screenshot for a person to look at: notifications closed (they would hide the header), page settled. */
async function screenshot(page: Page, name: string, fullPage = true) {
  for (const close of await page.locator(".mantine-Notification-root button").all()) await close.click();
  await page.waitForFunction(() => !document.querySelector(".mantine-Notification-root"));
  await page.mouse.move(0, 0);
  await settled(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/**
 * The admin section in Chromium: brands, users and brand access, groups, categories and custom fields,
 * API tokens, Persian right to left, and an agent kept out.
 */
describe("admin section in Chromium", () => {
  const env = demoServerAndBrowser();
  const appPage = (height = 900) =>
    env.browser.newPage({ locale: "en-GB", viewport: { width: 1280, height }, bypassCSP: true });

  test("an owner creates a brand in Romanian and Persian and an agent who works only in it", async () => {
    const page = await appPage();
    await signIn(page, env.server.url);
    await page.getByRole("link", { name: "Admin" }).click();
    await page.getByRole("heading", { name: "Administration" }).waitFor();
    await page.getByRole("heading", { name: "Brands", exact: true }).waitFor();
    assert.match(page.url(), /#\/admin\/brands$/);
    await page.getByText("2 brands").waitFor();
    await noProblems(page, "brands list");

    await page.getByRole("button", { name: "New brand" }).click();
    const dialog = page.getByRole("dialog", { name: "New brand" });
    await dialog.getByRole("textbox", { name: "Name" }).fill("Dacia Books");
    const slug = dialog.getByRole("textbox", { name: "Slug" });
    assert.equal(await slug.inputValue(), "dacia-books", "the slug is suggested from the name");
    await dialog.getByRole("checkbox", { name: "Română" }).check();
    await dialog.getByRole("checkbox", { name: "فارسی" }).check();
    await dialog.getByRole("checkbox", { name: "English" }).uncheck();
    await pick(dialog, "Default language", "Română");
    await pick(dialog, "Time zone", "Europe/Bucharest", "Bucharest");
    await dialog.getByRole("textbox", { name: "Primary colour" }).fill("#8b1e3f");
    await dialog.getByRole("textbox", { name: "Logo address" }).fill("https://logo.invalid/dacia.png");
    await dialog.getByText("No image could be shown from this address.").waitFor();

    // The server's refusal of a field is shown under that field.
    await slug.fill("Dacia Books!");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.getByText(/^Use 1 to 50 lower-case Latin letters, digits and dashes/).waitFor();
    await dialog.getByRole("alert").getByText("Some fields need a change").waitFor();
    assert.equal(await slug.getAttribute("aria-invalid"), "true");
    await noProblems(page, "brand form with an error");
    await screenshot(page, "admin-brand-form-en", false);
    await slug.fill("dacia-books");
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByText("Dacia Books was created.").waitFor();
    await dialog.waitFor({ state: "hidden" });

    const row = page.locator("tr", { hasText: "Dacia Books" });
    await row.getByText("Română (default)").waitFor();
    await row.getByText("فارسی").waitFor();
    await row.getByText("Europe/Bucharest").waitFor();
    await row.getByText("#8b1e3f").waitFor();
    const headers = await apiSession(env.server.url);
    const brands = (await (await fetch(`${env.server.url}/api/v1/brands`, { headers })).json()) as {
      items: Array<{
        id: string;
        slug: string;
        supportedLocales: string[];
        defaultLocale: string;
        primaryColor: string;
      }>;
    };
    const brand = brands.items.find((b) => b.slug === "dacia-books");
    assert.ok(brand);
    assert.deepEqual(brand.supportedLocales, ["ro", "fa"]);
    assert.equal(brand.defaultLocale, "ro");
    assert.equal(brand.primaryColor, "#8b1e3f");
    await screenshot(page, "admin-brands-en");

    await openTab(page, "Users", "Users");
    assert.match(page.url(), /#\/admin\/users$/);
    await noProblems(page, "users list");
    await page.getByRole("button", { name: "New user" }).click();
    const userDialog = page.getByRole("dialog", { name: "New user" });
    await userDialog.getByRole("textbox", { name: "Name" }).fill("Ioana Marin");
    await userDialog.getByRole("textbox", { name: "Email" }).fill(AGENT.email);
    await userDialog.getByRole("textbox", { name: "Password" }).fill(AGENT.password);
    await pick(userDialog, "Language", "Română");
    await userDialog.getByRole("checkbox", { name: "Dacia Books" }).check();
    await noProblems(page, "user form");
    await userDialog.getByRole("button", { name: "Save" }).click();
    await page.getByText("Ioana Marin was created.").waitFor();
    const userRow = page.locator("tr", { hasText: AGENT.email });
    await userRow.getByText("Agent", { exact: true }).waitFor();
    await userRow.getByText("Dacia Books", { exact: true }).waitFor();
    await userRow.getByText("Active", { exact: true }).waitFor();
    await userDialog.waitFor({ state: "hidden" });
    await page.locator("tr", { hasText: DEMO_LOGIN.email }).getByText("All brands").waitFor();
    await screenshot(page, "admin-users-en");

    // A ticket in the new brand; the agent, signed in elsewhere, sees it and none of the demo brands'.
    const created = await fetch(`${env.server.url}/api/v1/tickets`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        brandId: brand.id,
        subject: "Comanda 77 nu a ajuns",
        requester: { email: "cititor@example.test", name: "Cititor" },
        message: { body: "Bună ziua, comanda mea nu a ajuns." },
      }),
    });
    assert.equal(created.status, 201);
    const agentContext = await env.browser.newContext({ locale: "en-GB" });
    const agentPage = await agentContext.newPage();
    // Her language is Romanian, saved on her account, so the app opens in it.
    await signIn(agentPage, env.server.url, "Tichetele mele deschise", AGENT);
    await agentPage.getByRole("link", { name: "Toate deschise" }).click();
    await agentPage.locator("tbody tr").first().waitFor();
    const subjects = await agentPage.locator("tbody tr").allTextContents();
    assert.equal(subjects.length, 1, `only the Dacia Books ticket: ${subjects.join(" | ")}`);
    assert.match(subjects[0] ?? "", /Comanda 77 nu a ajuns/);
    assert.equal(await agentPage.getByRole("link", { name: "Administrare" }).count(), 0, "no admin entry");
    await agentContext.close();
    await page.close();
  });

  test("an owner adds a group, edits it, adds and reorders categories, and a dropdown field", async () => {
    const page = await appPage();
    await signIn(page, env.server.url);
    await page.goto(`${env.server.url}/app/#/admin/groups`);
    await page.getByRole("heading", { name: "Groups", exact: true }).waitFor();
    await page.getByRole("button", { name: "New group" }).click();
    const dialog = page.getByRole("dialog", { name: "New group" });
    await dialog.getByRole("textbox", { name: "Name" }).fill("Returns desk");
    await dialog.getByRole("textbox", { name: "Description" }).fill("Returns and exchanges");
    await pick(dialog, "Members", "Mihai Popescu", "Mihai");
    await dialog.getByRole("textbox", { name: "Description" }).click();
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByText("Returns desk was created.").waitFor();
    const row = page.locator("tr", { hasText: "Returns desk" });
    await row.getByText("1 member").waitFor();
    await row.getByText("Mihai Popescu").waitFor();
    await row.getByRole("button", { name: "Edit Returns desk" }).click();
    const edit = page.getByRole("dialog", { name: "Edit group" });
    await edit.getByRole("textbox", { name: "Name" }).fill("Returns and refunds");
    await edit.getByRole("button", { name: "Save" }).click();
    await page.getByText("Changes to Returns and refunds were saved.").waitFor();
    await page.locator("tr", { hasText: "Returns and refunds" }).getByText("1 member").waitFor();
    await noProblems(page, "groups");

    await openTab(page, "Categories and fields", "Ticket categories");
    assert.match(page.url(), /#\/admin\/fields$/);
    for (const name of ["Shipping delay", "Refund request"]) {
      await page.getByRole("button", { name: "New category" }).click();
      const categoryDialog = page.getByRole("dialog", { name: "New category" });
      await categoryDialog.getByRole("textbox", { name: "Name" }).fill(name);
      await categoryDialog.getByRole("button", { name: "Save" }).click();
      await page.getByText(`${name} was created.`).waitFor();
      await categoryDialog.waitFor({ state: "hidden" });
    }
    const categories = page.locator("section[aria-labelledby=admin-categories] tbody tr");
    const order = async () => (await categories.locator("td:first-child").allTextContents()).join(", ");
    assert.match(await order(), /Shipping delay, Refund request$/);
    await page.getByRole("button", { name: "Move Refund request up" }).click();
    await page.waitForFunction(() =>
      /Refund request, Shipping delay$/.test(
        [...document.querySelectorAll("section[aria-labelledby=admin-categories] tbody tr td:first-child")]
          .map((td) => td.textContent)
          .join(", "),
      ),
    );
    await page.getByRole("button", { name: "Archive Shipping delay" }).click();
    await page.locator("tr", { hasText: "Shipping delay" }).getByText("Archived").waitFor();

    await page.getByRole("button", { name: "New field" }).click();
    const fieldDialog = page.getByRole("dialog", { name: "New field" });
    await fieldDialog.getByRole("textbox", { name: "Label" }).fill("Order channel");
    assert.equal(await fieldDialog.getByRole("textbox", { name: "Key" }).inputValue(), "order_channel");
    await pick(fieldDialog, "Type", "Dropdown");
    await fieldDialog.getByRole("textbox", { name: "Choices" }).fill("Web shop\nPhone\nMarketplace");
    await fieldDialog.getByRole("switch", { name: "Required" }).check();
    await noProblems(page, "custom field form");
    await fieldDialog.getByRole("button", { name: "Save" }).click();
    await page.getByText("Order channel was created.").waitFor();
    const fieldRow = page.locator("tr", { hasText: "Order channel" });
    await fieldRow.getByText("Dropdown").waitFor();
    await fieldRow.getByText("3 choices").waitFor();
    const headers = await apiSession(env.server.url);
    const fields = (await (await fetch(`${env.server.url}/api/v1/custom-fields`, { headers })).json()) as {
      items: Array<{ key: string; kind: string; options: string[]; required: boolean }>;
    };
    const field = fields.items.find((f) => f.key === "order_channel");
    assert.deepEqual(field?.options, ["Web shop", "Phone", "Marketplace"]);
    assert.equal(field?.required, true);
    await noProblems(page, "categories and fields");
    await screenshot(page, "admin-fields-en");
    await page.close();
  });

  test("an owner creates an API token, uses it once, and revokes it", async () => {
    const page = await appPage();
    await signIn(page, env.server.url);
    await page.goto(`${env.server.url}/app/#/admin/tokens`);
    await page.getByRole("heading", { name: "API tokens", exact: true }).waitFor();
    await page.getByRole("textbox", { name: "Token name" }).fill("Shop sync");
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Your new API token" });
    await dialog.getByText("Copy it now: you will not see it again.").waitFor();
    await dialog.getByRole("button", { name: "Copy token" }).waitFor();
    const token = (await dialog.locator("[data-token]").textContent())?.trim() ?? "";
    assert.ok(token.length > 20, "the token is shown");
    await noProblems(page, "new token");
    await screenshot(page, "admin-token-en", false);
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "hidden" });
    assert.equal(await page.getByText(token).count(), 0, "the token is not shown again");

    const withToken = () =>
      fetch(`${env.server.url}/api/v1/tickets?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await withToken()).status, 200);
    await page.reload();
    const row = page.locator("tr", { hasText: "Shop sync" });
    await row.waitFor();
    assert.doesNotMatch((await row.textContent()) ?? "", /Never/, "the token's use is recorded");
    await noProblems(page, "tokens");

    await row.getByRole("button", { name: "Revoke Shop sync" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke this token?" });
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await page.getByText("The token Shop sync was revoked.").waitFor();
    await row.waitFor({ state: "detached" });
    assert.equal((await withToken()).status, 401);
    await page.close();
  });

  test("an admin sees the owner but cannot change them, and cannot grant the owner role", async () => {
    const admin = { email: "rares@demo.switchboard.local", password: "an admin's password" };
    const created = await fetch(`${env.server.url}/api/v1/users`, {
      method: "POST",
      headers: await apiSession(env.server.url),
      body: JSON.stringify({ ...admin, name: "Rareș Admin", role: "admin" }),
    });
    assert.equal(created.status, 201);
    const page = await appPage();
    await signIn(page, env.server.url, "My open tickets", admin);
    await page.getByRole("link", { name: "Admin" }).click();
    await openTab(page, "Users", "Users");
    const ownerRow = page.locator("tr", { hasText: DEMO_LOGIN.email });
    await ownerRow.getByText("Only an owner can change an owner.").waitFor();
    assert.equal(await ownerRow.getByRole("button").count(), 0, "no edit button on the owner");
    await page.getByRole("button", { name: "Edit Mihai Popescu" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit user" });
    await dialog.getByRole("combobox", { name: "Role", exact: true }).click();
    assert.equal(await page.getByRole("option", { name: "Owner" }).count(), 0, "no owner role to grant");
    await page.getByRole("option", { name: "Supervisor" }).click();
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByText("Changes to Mihai Popescu were saved.").waitFor();
    await page.locator("tr", { hasText: "Mihai Popescu" }).getByText("Supervisor").waitFor();
    await page.close();
  });

  test("in Persian the admin section is laid out right to left", async () => {
    const page = await appPage(1000);
    await signIn(page, env.server.url);
    await chooseLanguage(page, "Language", "فارسی");
    await page.getByRole("link", { name: "مدیریت" }).click();
    await page.getByRole("heading", { name: "برندها", exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
    const first = await page.getByRole("tab", { name: "برندها" }).boundingBox();
    const last = await page.getByRole("tab", { name: "توکن‌های API" }).boundingBox();
    assert.ok(first && last && first.x > last.x, "the tabs run from right to left");
    await page.getByText("۳ برند").waitFor();
    await noProblems(page, "Persian brands");
    await screenshot(page, "admin-brands-fa");
    await page.getByRole("button", { name: "ویرایش Dacia Books" }).click();
    await page.getByRole("dialog", { name: "ویرایش برند" }).waitFor();
    await noProblems(page, "Persian brand form");
    await screenshot(page, "admin-brand-form-fa", false);
    await page.getByRole("button", { name: "انصراف" }).click();

    for (const [tab, heading, shot] of [
      ["کاربران", "کاربران", "users"],
      ["گروه‌ها", "گروه‌ها", "groups"],
      ["دسته‌ها و فیلدها", "دسته‌های تیکت", "fields"],
      ["توکن‌های API", "توکن‌های API", "tokens"],
    ] as const) {
      await openTab(page, tab, heading);
      await page.waitForFunction(() => !document.querySelector(".mantine-Loader-root"));
      await noProblems(page, `Persian ${shot}`);
      await screenshot(page, `admin-${shot}-fa`);
    }
    // Back to English for anyone who signs in to this account after.
    await chooseLanguage(page, "زبان", "English");
    await page.getByRole("heading", { name: "Administration" }).waitFor();
    await page.close();
  });

  test("an agent has no admin entry, and opening its address says so politely", async () => {
    const page = await appPage(700);
    const scripts: string[] = [];
    page.on("request", (r) => scripts.push(r.url()));
    // Ana, an agent of the demo team, works in Polish.
    await signIn(page, env.server.url, "Moje otwarte zgłoszenia", {
      email: "ana@demo.switchboard.local",
      password: DEMO_LOGIN.password,
    });
    assert.equal(await page.getByRole("link", { name: "Administracja" }).count(), 0);
    await page.goto(`${env.server.url}/app/#/admin/users`);
    await page
      .getByText("Sekcja administracji jest dla właścicieli i administratorów.", { exact: false })
      .waitFor();
    assert.equal(await page.locator("table").count(), 0, "no admin data is shown");
    assert.ok(!scripts.some((u) => /AdminPage-/.test(u)), "the admin code is not even loaded");
    await noProblems(page, "not allowed");
    await page.close();
  });
});
