import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import {
  accessibilityProblems,
  apiSession,
  chooseLanguage,
  demoServerAndBrowser,
  SCREENSHOTS,
  signIn,
} from "./lib.ts";

/** What the tests look for, seeded through the API: a customer with a phone, and a ticket of theirs. */
const CUSTOMER = { name: "Quill Hartley", email: "quill.hartley@example.net", phone: "+40 721 123 456" };
const SUBJECT = "Zephyrine kettle whistles all night";
const BODY =
  "My new Zephyrine kettle whistles even when it is cold. Could you send a replacement lid?\n\nQuill Hartley";
/** The same in Persian, for the right-to-left results page. */
const CUSTOMER_FA = { name: "نگار صالحی", email: "negar.salehi@example.ir", phone: "+98 912 345 6789" };
const SUBJECT_FA = "کتری زفیرین شب‌ها سوت می‌زند";
const BODY_FA = "کتری زفیرین من حتی وقتی سرد است سوت می‌زند. لطفاً یک درپوش دیگر بفرستید.\n\nنگار صالحی";

const box = (page: Page, name = "Search tickets and customers") => page.getByRole("combobox", { name });

/** Search, keyboard shortcuts and their help overlay, in English and Persian, in Chromium. */
describe("search and keyboard shortcuts in Chromium", () => {
  const env = demoServerAndBrowser();
  const seeded = { ticketId: "", number: 0, customerId: "" };
  const appPage = () =>
    env.browser.newPage({ locale: "en-GB", viewport: { width: 1280, height: 800 }, bypassCSP: true });

  before(async () => {
    const headers = await apiSession(env.server.url);
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${env.server.url}/api/v1${path}`, {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
      return (await res.json()) as T;
    };
    const brands = await api<{ items: { id: string }[] }>("GET", "/brands");
    const brandId = brands.items[0]?.id;
    for (const [customer, subject, body] of [
      [CUSTOMER, SUBJECT, BODY],
      [CUSTOMER_FA, SUBJECT_FA, BODY_FA],
    ] as const) {
      const created = await api<{ id: string }>("POST", "/customers", {
        brandId,
        name: customer.name,
        emails: [customer.email],
        phones: [customer.phone],
      });
      const { ticket } = await api<{ ticket: { id: string; number: number } }>("POST", "/tickets", {
        brandId,
        subject,
        requester: { email: customer.email, name: customer.name },
        message: { body },
      });
      if (customer === CUSTOMER)
        Object.assign(seeded, { ticketId: ticket.id, number: ticket.number, customerId: created.id });
    }
  });

  test("a word of a subject finds the ticket (suggested while typing too) and opens it", async () => {
    const page = await appPage();
    await signIn(page, env.server.url);
    await box(page).fill("zephyrine");
    // The suggestions drop down while typing; Enter with none picked opens the results page.
    await page.getByRole("option", { name: new RegExp(SUBJECT) }).waitFor();
    assert.deepEqual(await accessibilityProblems(page), [], "suggestions");
    await page.screenshot({ path: path.join(SCREENSHOTS, "search-suggestions-en.png") });
    await box(page).press("Enter");
    await page.getByRole("heading", { name: "Results for “zephyrine”" }).waitFor();
    assert.match(page.url(), /#\/search\?q=zephyrine$/);
    const result = page.getByRole("link", { name: SUBJECT });
    assert.equal(await result.getAttribute("href"), `#/tickets/${seeded.ticketId}`);
    assert.match((await page.getByRole("status").textContent()) ?? "", /1 ticket/);
    const snippet = page.locator("[aria-labelledby=search-tickets] p", { hasText: "replacement lid" });
    assert.equal(await snippet.count(), 1, "the ticket's text around the match is shown");
    assert.ok((await page.locator("mark", { hasText: /zephyrine/i }).count()) > 0, "the match is marked");
    await result.click();
    await page.getByRole("heading", { name: SUBJECT }).waitFor();
    await page.close();
  });

  test("a customer's email address finds the customer; the results page has no serious accessibility problems", async () => {
    const page = await appPage();
    await signIn(page, env.server.url);
    await box(page).fill(CUSTOMER.email);
    await box(page).press("Enter");
    await page.getByRole("heading", { name: "Customers" }).waitFor();
    const link = page.getByRole("link", { name: CUSTOMER.name });
    assert.equal(await link.getAttribute("href"), `#/customers/${seeded.customerId}`);
    const row = page.locator(`tr[data-customer-id="${seeded.customerId}"]`);
    assert.match(
      (await row.textContent()) ?? "",
      /\+40721123456/,
      "the phone number, as the server keeps it (E.164)",
    );
    // The filter narrows to customers, in the address too.
    await page.getByRole("radiogroup", { name: "Show" }).getByText("Customers").click();
    await page.waitForURL(/type=customers$/);
    assert.equal(await page.getByRole("heading", { name: "Tickets" }).count(), 0);
    assert.deepEqual(await accessibilityProblems(page), [], "results page");

    // The screenshot: tickets and customers for one word.
    await box(page).fill("Hartley");
    await box(page).press("Enter");
    await page.getByRole("heading", { name: "Results for “Hartley”" }).waitFor();
    await page.getByRole("radiogroup", { name: "Show" }).getByText("All").click();
    await page.getByRole("link", { name: SUBJECT }).waitFor();
    await page.getByRole("link", { name: CUSTOMER.name }).waitFor();
    await box(page).blur();
    assert.deepEqual(await accessibilityProblems(page), [], "results page, all");
    await page.screenshot({ path: path.join(SCREENSHOTS, "search-en.png") });
    await page.close();
  });

  test("a search that finds nothing says so; one that fails says so and can be tried again; subjects are text", async () => {
    const page = await appPage();
    await signIn(page, env.server.url);
    await box(page).fill("qwxzvbnm");
    await box(page).press("Enter");
    await page.getByText("Nothing matches “qwxzvbnm”. Try fewer or other words.").waitFor();
    assert.match((await page.getByRole("status").textContent()) ?? "", /No tickets · No customers/);

    let failing = true;
    await page.route("**/api/v1/search?*", (route) =>
      failing
        ? route.fulfill({ status: 500, json: { error: { code: "internal", message: "x" } } })
        : route.fallback(),
    );
    await box(page).fill("refund");
    await box(page).press("Enter");
    await page.getByRole("alert").getByText("The search did not work.").waitFor();
    failing = false;
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("link", { name: "Refund not received" }).waitFor();
    assert.equal(await page.getByRole("alert").count(), 0);

    // A subject with markup in it is shown as the text it is.
    await box(page).fill("html");
    await box(page).press("Enter");
    const odd = page.getByRole("link", { name: "<b>Test</b> order with HTML in the subject" });
    await odd.waitFor();
    assert.equal(await odd.locator("b").count(), 0);
    await page.close();
  });

  test("a ticket number, with or without #, opens that ticket straight away", async () => {
    const page = await appPage();
    await signIn(page, env.server.url);
    for (const typed of [`#${seeded.number}`, String(seeded.number)]) {
      await page.goto(`${env.server.url}/app/#/views/open`);
      await page.getByRole("heading", { name: "All open" }).waitFor();
      await box(page).fill(typed);
      await box(page).press("Enter");
      await page.getByRole("heading", { name: SUBJECT }).waitFor();
      assert.match(page.url(), new RegExp(`#/tickets/${seeded.number}$`));
      assert.equal(await box(page).inputValue(), "", "the box is cleared for the next search");
    }
    await page.close();
  });

  test("/ focuses the search box, ? opens the help overlay and Escape closes it; g then v, j/k and Enter", async () => {
    const page = await appPage();
    await signIn(page, env.server.url);
    await page.getByRole("link", { name: "All open" }).click();
    await page.locator("tbody tr").first().waitFor();

    await page.keyboard.press("/");
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("aria-label")),
      "Search tickets and customers",
    );
    assert.equal(await box(page).inputValue(), "", "the slash is not typed into the box");
    assert.equal(await box(page).getAttribute("aria-expanded"), "false", "no suggestions yet, no list");
    // Shortcuts rest while typing: "?" is text in the box, and Escape leaves the box.
    await page.keyboard.type("?");
    assert.equal(await box(page).inputValue(), "?");
    assert.equal(await page.getByRole("dialog").count(), 0);
    await box(page).fill("");
    await page.keyboard.press("Escape");
    assert.notEqual(
      await page.evaluate(() => document.activeElement?.getAttribute("aria-label")),
      "Search tickets and customers",
    );

    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    for (const action of [
      "Search tickets and customers",
      "Show the keyboard shortcuts",
      "Go to the views",
      "Next ticket",
    ])
      await dialog.getByText(action, { exact: true }).waitFor();
    assert.ok((await dialog.locator("kbd").count()) >= 8, "keys are shown as <kbd>");
    assert.deepEqual(await accessibilityProblems(page), [], "help overlay");
    await page.screenshot({ path: path.join(SCREENSHOTS, "shortcuts-en.png") });
    await page.keyboard.press("j"); // inside the overlay, list keys do nothing
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });

    // j focuses the first row's link, j the next, k back; Enter opens it.
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    const first = page.locator("tbody tr").first().getByRole("link");
    assert.ok(await first.evaluate((el) => el === document.activeElement), "k came back to the first row");
    const subject = ((await first.textContent()) ?? "").trim();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: subject }).waitFor();
    assert.match(page.url(), /#\/tickets\//);
    // g then v: back to the view.
    await page.keyboard.press("g");
    await page.keyboard.press("v");
    await page.getByRole("heading", { name: "All open" }).waitFor();
    assert.match(page.url(), /#\/views\/open$/);
    // g then s: the search page, the box ready for words.
    await page.keyboard.press("g");
    await page.keyboard.press("s");
    await page.getByRole("heading", { name: "Search", exact: true }).waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("aria-label")),
      "Search tickets and customers",
    );
    await page.close();
  });

  test("the Persian search page and help overlay are right to left", async () => {
    const page = await appPage();
    await signIn(page, env.server.url);
    await chooseLanguage(page, "Language", "فارسی");
    await page.getByRole("heading", { name: "تیکت‌های باز من" }).waitFor();
    try {
      await box(page, "جست‌وجوی تیکت‌ها و مشتریان").fill("صالحی");
      await box(page, "جست‌وجوی تیکت‌ها و مشتریان").press("Enter");
      await page.getByRole("link", { name: CUSTOMER_FA.name }).waitFor();
      await page.getByRole("link", { name: SUBJECT_FA }).waitFor();
      await box(page, "جست‌وجوی تیکت‌ها و مشتریان").blur();
      assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
      const title = await page.locator("#search-title").boundingBox();
      const filter = await page.getByRole("radiogroup").boundingBox();
      assert.ok(title && filter && filter.x < title.x, "the title is on the right, the filter on the left");
      // In a right-to-left row the "+" of a phone number would slide to its right end unless isolated.
      const plusIsLeftmost = await page.locator("bdi", { hasText: "+98912" }).evaluate((el) => {
        const text = el.firstChild as Text;
        // (No named helpers in here: tsx would wrap them in a __name() the page does not have.)
        const [plus, first, last] = [0, 1, text.length - 1].map((i) => {
          const range = document.createRange();
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          return range.getBoundingClientRect().x;
        }) as [number, number, number];
        return plus < first && first < last;
      });
      assert.ok(plusIsLeftmost, "the phone number reads +98… from left to right");
      assert.deepEqual(await accessibilityProblems(page), [], "Persian results page");
      await page.screenshot({ path: path.join(SCREENSHOTS, "search-fa.png") });

      await page.keyboard.press("?");
      const dialog = page.getByRole("dialog", { name: "میان‌برهای صفحه‌کلید" });
      await dialog.waitFor();
      assert.deepEqual(await accessibilityProblems(page), [], "Persian help overlay");
      await page.screenshot({ path: path.join(SCREENSHOTS, "shortcuts-fa.png") });
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
    } finally {
      // Back to English for the other tests, which sign in to the same account.
      await chooseLanguage(page, "زبان", "English");
      await page.close();
    }
  });
});
