import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { newId } from "../../lib/ids.ts";
import { createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import { multipartBody } from "../attachments/test-support.ts";

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

describe("public contact form and status page", () => {
  let t: TTestApp;
  let tenant: TTenant;
  let slugA: string;
  let slugB: string;
  let ip = 0;
  const nextIp = () => `10.1.${Math.floor(++ip / 200)}.${ip % 200}`;

  const submit = (
    body: unknown,
    opts: { slug?: string; headers?: Record<string, string>; ip?: string } = {},
  ) =>
    t.app.inject({
      method: "POST",
      url: `/api/v1/public/brands/${opts.slug ?? slugA}/requests`,
      payload: body as string,
      remoteAddress: opts.ip ?? nextIp(),
      headers: opts.headers ?? {},
    });
  const request = (over: Record<string, string> = {}) => ({
    name: "Ioana Pop",
    email: `ioana-${Math.random().toString(36).slice(2, 8)}@shop.test`,
    subject: "Where is my order?",
    message: "It has not arrived.",
    ...over,
  });
  const ticketCount = async () =>
    Number(
      (
        await t.database.db
          .selectFrom("tickets")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .where("workspace_id", "=", tenant.owner.workspaceId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const ticketByNumber = (n: number) =>
    t.database.db
      .selectFrom("tickets")
      .selectAll()
      .where("workspace_id", "=", tenant.owner.workspaceId)
      .where("number", "=", String(n))
      .executeTakeFirstOrThrow();
  const page = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: "GET", url: pathOf(`http://x${url.replace(/^https?:\/\/[^/]+/, "")}`), headers });

  before(async () => {
    // A small limit (about 10 KB) lets the 413 test run on this same app.
    t = await createTestApp({ SWITCHBOARD_MAX_ATTACHMENT_MB: "0.01" });
    tenant = await seedTenant(t.services);
    const a = await t.services.brands.updateBrand(tenant.owner, tenant.brandA, {
      supportedLocales: ["en", "ro", "pl", "bg", "fa"],
    });
    slugA = a.slug;
    slugB = (await t.services.brands.getBrand(tenant.owner, tenant.brandB)).slug;
  });
  after(() => t.close());

  const expectSafePage = (res: LightMyRequestResponse) => {
    assert.match(String(res.headers["content-type"]), /^text\/html/);
    const csp = String(res.headers["content-security-policy"]);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|script-src/);
    assert.equal(res.headers["referrer-policy"], "no-referrer");
    assert.match(String(res.headers["x-robots-tag"]), /noindex/);
    assert.match(res.body, /<meta name="robots" content="noindex/);
    assert.doesNotMatch(res.body, /<script/i);
  };

  test("default categories speak the customer's language; renamed ones keep their name", async () => {
    const fa = await page(`/b/${slugA}/contact?lang=fa`);
    assert.match(fa.body, /<option value="delivery"[^>]*>ارسال<\/option>/);
    const ro = await page(`/b/${slugA}/contact?lang=ro`);
    assert.match(ro.body, /<option value="refund"[^>]*>Rambursare<\/option>/);
    const categories = await t.services.fields.listCategories(tenant.owner);
    const returns = categories.find((c) => c.key === "return");
    assert.ok(returns);
    await t.services.fields.updateCategory(tenant.owner, returns.id, { name: "Retururi & schimburi" });
    const renamed = await page(`/b/${slugA}/contact?lang=fa`);
    assert.match(renamed.body, /<option value="return"[^>]*>Retururi &amp; schimburi<\/option>/);
  });

  test("a JSON request opens a ticket and its status page shows it", async () => {
    const res = await submit(request({ orderNumber: "A-1001" }));
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.equal(typeof body.ticketNumber, "number");
    assert.equal(typeof body.displayNumber, "string");
    assert.match(body.statusUrl, new RegExp(`^${t.config.publicUrl}/b/${slugA}/requests/[\\w-]+$`));
    const ticket = await ticketByNumber(body.ticketNumber);
    assert.equal(ticket.channel, "web");
    assert.equal(ticket.brand_id, tenant.brandA);
    const status = await page(body.statusUrl);
    assert.equal(status.statusCode, 200);
    expectSafePage(status);
    assert.match(status.body, /Where is my order\?/);
    assert.match(status.body, /It has not arrived\./);
  });

  test("a browser form post is answered with 303 to the status page", async () => {
    const res = await submit(new URLSearchParams(request({ website: "", category: "" })).toString(), {
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    });
    assert.equal(res.statusCode, 303);
    const location = String(res.headers.location);
    assert.match(location, new RegExp(`/b/${slugA}/requests/[\\w-]+\\?sent=1$`));
    const status = await page(location);
    assert.equal(status.statusCode, 200);
    assert.match(status.body, /We have received your request/);
  });

  test("a filled honeypot is answered as accepted but creates nothing", async () => {
    const before = await ticketCount();
    const res = await submit(request({ website: "http://spam.example" }));
    assert.equal(res.statusCode, 201);
    assert.ok(res.json().statusUrl);
    assert.equal(await ticketCount(), before);
    assert.equal((await page(res.json().statusUrl)).statusCode, 404);
  });

  test("an invalid email is refused with 400 naming the field; unknown fields too", async () => {
    const res = await submit(request({ email: "not-an-email" }));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "validation_failed");
    assert.ok(res.json().error.details.some((d: { field: string }) => d.field === "email"));
    const extra = await submit({ ...request(), admin: true });
    assert.equal(extra.statusCode, 400);
    assert.ok(extra.json().error.details.some((d: { field: string }) => d.field === "admin"));
  });

  test("a form post with a bad field gets the form back with the field marked", async () => {
    const res = await submit(
      new URLSearchParams(request({ email: "nope", subject: "<b>kept</b>" })).toString(),
      {
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      },
    );
    assert.equal(res.statusCode, 400);
    expectSafePage(res);
    assert.match(res.body, /id="f-email" name="email" aria-invalid="true"/);
    assert.match(res.body, /value="&lt;b&gt;kept&lt;\/b&gt;"/);
  });

  test("more than five requests from one email in ten minutes are refused with 429", async () => {
    const email = `busy-${Date.now()}@shop.test`;
    for (let i = 0; i < 5; i++) assert.equal((await submit(request({ email }))).statusCode, 201);
    const sixth = await submit(request({ email: email.toUpperCase() }));
    assert.equal(sixth.statusCode, 429);
    assert.equal(sixth.json().error.code, "rate_limited");
  });

  test("more than ten posts from one address in ten minutes are refused with 429", async () => {
    const from = nextIp();
    for (let i = 0; i < 10; i++) await submit({}, { ip: from });
    assert.equal((await submit(request(), { ip: from })).statusCode, 429);
  });

  test("an Idempotency-Key replays the first answer instead of opening a second ticket", async () => {
    const body = request();
    const headers = { "idempotency-key": `k-${Date.now()}` };
    const from = nextIp();
    const first = await submit(body, { headers, ip: from });
    const second = await submit(body, { headers, ip: from });
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.deepEqual(second.json(), first.json());
    assert.equal(second.headers["idempotent-replayed"], "true");
  });

  test("the status page shows public replies but never internal notes", async () => {
    const created = (await submit(request())).json();
    const ticket = await ticketByNumber(created.ticketNumber);
    const ws = tenant.owner.workspaceId;
    const at = (s: number) => new Date(Date.now() + s * 1000);
    await t.database.db
      .insertInto("messages")
      .values([
        {
          workspace_id: ws,
          id: newId(),
          ticket_id: ticket.id,
          kind: "note",
          channel: "internal",
          author_user_id: tenant.agent.userId,
          body_text: "SECRET internal note: refund fraud check",
          event: null,
          created_at: at(1),
        },
        {
          workspace_id: ws,
          id: newId(),
          ticket_id: ticket.id,
          kind: "reply",
          channel: "web",
          author_user_id: tenant.agent.userId,
          body_text: "We are on it, sorry for the wait.",
          event: null,
          created_at: at(2),
        },
      ])
      .execute();
    const status = await page(created.statusUrl);
    assert.match(status.body, /We are on it, sorry for the wait\./);
    assert.doesNotMatch(status.body, /SECRET/);
  });

  test("a token answers only under its own brand; wrong tokens and slugs reveal nothing", async () => {
    const created = (await submit(request({ subject: "Private matter" }))).json();
    const token = created.statusUrl.split("/").at(-1);
    const other = await page(`/b/${slugB}/requests/${token}`);
    assert.equal(other.statusCode, 404);
    assert.doesNotMatch(other.body, /Private matter/);
    assert.equal((await page(`/b/${slugA}/requests/${token}x`)).statusCode, 404);
    assert.equal((await page(`/b/no-such-brand-${Date.now()}/requests/${token}`)).statusCode, 404);
    assert.equal((await page(`/b/no-such-brand-${Date.now()}/contact`)).statusCode, 404);
    const unknown = await submit(request(), { slug: `no-such-brand-${Date.now()}` });
    assert.equal(unknown.statusCode, 404);
  });

  test("a reply through the status page form reopens a solved request", async () => {
    const created = (await submit(request())).json();
    const ticket = await ticketByNumber(created.ticketNumber);
    await t.database.db
      .updateTable("tickets")
      .set({ status: "solved", solved_at: new Date() })
      .where("workspace_id", "=", ticket.workspace_id)
      .where("id", "=", ticket.id)
      .execute();
    const statusPath = pathOf(created.statusUrl);
    assert.match((await page(statusPath)).body, /If you reply, we will open it again/);
    const res = await t.app.inject({
      method: "POST",
      url: `${statusPath}/replies`,
      payload: new URLSearchParams({ body: "Still broken, sorry!" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      remoteAddress: nextIp(),
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${statusPath}?replied=1`);
    const after = await ticketByNumber(created.ticketNumber);
    assert.equal(after.status, "open");
    assert.match((await page(String(res.headers.location))).body, /Still broken, sorry!/);
  });

  test("the page follows ?lang= and Accept-Language; Persian is right-to-left", async () => {
    const fa = await page(`/b/${slugA}/contact?lang=fa`);
    assert.equal(fa.statusCode, 200);
    expectSafePage(fa);
    assert.match(fa.body, /<html lang="fa" dir="rtl">/);
    assert.match(fa.body, /ارسال درخواست/);
    const ro = await page(`/b/${slugA}/contact`, { "accept-language": "ro-RO,ro;q=0.9,en;q=0.5" });
    assert.match(ro.body, /<html lang="ro" dir="ltr">/);
    const fallback = await page(`/b/${slugB}/contact?lang=fa`);
    assert.match(fallback.body, /<html lang="en" dir="ltr">/, "brand B does not offer Persian");
    const created = (await submit(request())).json();
    const status = await page(`${pathOf(created.statusUrl)}?lang=fa`);
    assert.match(status.body, /<html lang="fa" dir="rtl">/);
  });

  test("user text is escaped on every page, never live markup", async () => {
    const evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    const created = (await submit(request({ subject: evil, message: evil, name: evil }))).json();
    const status = await page(created.statusUrl);
    expectSafePage(status);
    assert.ok(
      status.body.includes("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"),
    );
    assert.doesNotMatch(status.body, /<img src=x/);
  });

  test("files sent with the form join the request and download from the status page", async () => {
    const { payload, headers } = multipartBody([
      ...Object.entries(request()).map(([name, content]) => ({ name, content })),
      { name: "attachments", filename: "receipt.txt", contentType: "text/plain", content: "paid 12.50" },
      { name: "attachments", filename: "", content: "" },
    ]);
    const res = await submit(payload, { headers: { ...headers, accept: "application/json" } });
    assert.equal(res.statusCode, 201);
    const status = await page(res.json().statusUrl);
    const link = status.body.match(/href="([^"]+\/attachments\/[^"]+)"[^>]*>receipt\.txt</)?.[1];
    assert.ok(link, "the status page links the file");
    const file = await page(link);
    assert.equal(file.statusCode, 200);
    assert.equal(file.body, "paid 12.50");
    const elsewhere = await page(link.replace(`/b/${slugA}/`, `/b/${slugB}/`));
    assert.equal(elsewhere.statusCode, 404);
  });

  test("a file over the size limit is refused with 413", async () => {
    const { payload, headers } = multipartBody([
      ...Object.entries(request()).map(([name, content]) => ({ name, content })),
      { name: "attachments", filename: "big.bin", content: Buffer.alloc(t.config.maxAttachmentBytes + 1, 1) },
    ]);
    const before = await ticketCount();
    const res = await submit(payload, { headers: { ...headers, accept: "application/json" } });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, "payload_too_large");
    const form = await submit(payload, { headers: { ...headers, accept: "text/html" } });
    assert.equal(form.statusCode, 413);
    assert.match(form.body, /A file is too large/);
    assert.equal(await ticketCount(), before);
  });
});
