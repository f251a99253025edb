import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import { insertTestTicket } from "../customers/test-tickets.ts";

type THits = {
  tickets: { id: string; number: number; subject: string; brandId: string; snippet?: string }[];
  customers: { id: string; name: string; emails: string[]; phones: string[]; brandId: string }[];
};

describe("search", () => {
  let t: TTestApp;
  let tenant: TTenant;
  let other: TTenant;
  let requesterA: string;
  let requesterB: string;

  const search = async (q: string, extra = "", token = tenant.ownerToken): Promise<THits> => {
    const res = await call(t.app, token, "GET", `/api/v1/search?q=${encodeURIComponent(q)}${extra}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const ticket = (subject: string, body = "", more: Partial<Parameters<typeof insertTestTicket>[2]> = {}) =>
    insertTestTicket(t.database.db, tenant.owner.workspaceId, {
      brandId: tenant.brandA,
      requesterId: requesterA,
      subject,
      body,
      ...more,
    });
  const customer = async (body: Record<string, unknown>, token = tenant.ownerToken) => {
    const res = await call(t.app, token, "POST", "/api/v1/customers", body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string };
  };

  before(async () => {
    t = await createTestApp();
    tenant = await seedTenant(t.services);
    other = await seedTenant(t.services, "globex");
    requesterA = (await customer({ brandId: tenant.brandA, name: "Requester A" })).id;
    requesterB = (await customer({ brandId: tenant.brandB, name: "Requester B" })).id;
  });
  after(() => t.close());

  test("a ticket number, with or without #, comes first", async () => {
    const target = await ticket("Where is my parcel", "", { number: 4242 });
    const mention = await ticket("Follow-up", "About ticket 4242 again", { number: 4300 });
    for (const q of ["#4242", "4242"]) {
      const hits = await search(q, "&type=tickets");
      assert.equal(hits.tickets[0]?.id, target.id, q);
      assert.equal(hits.tickets[0]?.number, 4242);
      if (q === "4242")
        assert.ok(
          hits.tickets.some((h) => h.id === mention.id),
          "the number in thread text matches too",
        );
    }
  });

  test("finds subject and thread text by word prefix, with a snippet", async () => {
    const refund = await ticket("Refund for order", "The blender arrived broken; I want my money back");
    const hits = await search("blend brok", "&type=tickets");
    assert.deepEqual(
      hits.tickets.map((h) => h.id),
      [refund.id],
    );
    assert.match(hits.tickets[0]?.snippet ?? "", /blender arrived broken/);
    assert.deepEqual(
      (await search("refund")).tickets.map((h) => h.id),
      [refund.id],
    );
  });

  test("tolerates a typo in the subject", async () => {
    const invoice = await ticket("Invoice correction needed");
    const hits = await search("invoce", "&type=tickets");
    assert.equal(hits.tickets[0]?.id, invoice.id);
  });

  test("Romanian: diacritics in text or query do not matter (Ștefan = stefan)", async () => {
    const ro = await ticket("Comandă întârziată", "Bună ziua, sunt Ștefan din Brașov și aștept coletul");
    for (const q of ["stefan", "Ștefan", "ŞTEFAN", "intarziata", "brasov colet"]) {
      assert.deepEqual(
        (await search(q, "&type=tickets")).tickets.map((h) => h.id),
        [ro.id],
        q,
      );
    }
    const c = await customer({ brandId: tenant.brandA, name: "Ștefan Țăranu", emails: ["st@exemplu.ro"] });
    assert.deepEqual(
      (await search("stefan taranu", "&type=customers")).customers.map((x) => x.id),
      [c.id],
    );
  });

  test("Polish: Łódź = lodz", async () => {
    const pl = await ticket(
      "Zwrot towaru",
      "Mieszkam w Łodzi, paczka z Łódź nie dotarła, proszę o zwrot pieniędzy",
    );
    for (const q of ["lodz", "Łódź", "pieniedzy", "dotarla"]) {
      assert.deepEqual(
        (await search(q, "&type=tickets")).tickets.map((h) => h.id),
        [pl.id],
        q,
      );
    }
  });

  test("Bulgarian: Cyrillic words are found, in any case", async () => {
    const bg = await ticket("Поръчка не е пристигнала", "Здравейте, поръчката ми от София закъснява");
    for (const q of ["поръчка", "ПОРЪЧКА", "софия", "закъсн"]) {
      assert.deepEqual(
        (await search(q, "&type=tickets")).tickets.map((h) => h.id),
        [bg.id],
        q,
      );
    }
    const c = await customer({ brandId: tenant.brandA, name: "Иван Петров", phones: ["+359 88 123 4567"] });
    assert.deepEqual(
      (await search("петров", "&type=customers")).customers.map((x) => x.id),
      [c.id],
    );
  });

  test("Persian: Arabic and Persian letter forms match each other", async () => {
    const fa = await ticket("درخواست بازپرداخت", "سلام، كتاب من هنوز نرسيده است");
    for (const q of ["بازپرداخت", "کتاب", "كتاب", "نرسیده"]) {
      assert.deepEqual(
        (await search(q, "&type=tickets")).tickets.map((h) => h.id),
        [fa.id],
        q,
      );
    }
  });

  test("customers by name, email and phone, written as people type them", async () => {
    const c = await customer({
      brandId: tenant.brandA,
      name: "Gheorghe Munteanu",
      emails: ["G.Munteanu@Mail.example"],
      phones: ["+40 744 987 654"],
    });
    for (const q of [
      "gheorghe",
      "munt",
      "g.munteanu@mail.example",
      "munteanu@mail",
      "+40 744 987 654",
      "40744987",
    ]) {
      const hits = await search(q, "&type=customers");
      assert.equal(hits.customers[0]?.id, c.id, q);
      assert.deepEqual(hits.tickets, []);
    }
    const hit = (await search("gheorghe")).customers[0];
    assert.deepEqual(hit, {
      id: c.id,
      name: "Gheorghe Munteanu",
      emails: ["g.munteanu@mail.example"],
      phones: ["+40744987654"],
      brandId: tenant.brandA,
    });
  });

  test("leaves out deleted, spam and merged tickets and merged customers", async () => {
    const live = await ticket("Quokka plush missing");
    const deleted = await ticket("Quokka plush deleted", "", { deleted: true });
    await ticket("Quokka plush spam", "", { isSpam: true });
    await ticket("Quokka plush merged", "", { mergedIntoId: live.id });
    assert.ok(deleted.id);
    assert.deepEqual(
      (await search("quokka")).tickets.map((h) => h.id),
      [live.id],
    );

    const keep = await customer({ brandId: tenant.brandA, name: "Wombat Keeper" });
    const gone = await customer({ brandId: tenant.brandA, name: "Wombat Duplicate" });
    await call(t.app, tenant.ownerToken, "POST", `/api/v1/customers/${keep.id}/merge`, {
      sourceCustomerId: gone.id,
    });
    assert.deepEqual(
      (await search("wombat")).customers.map((x) => x.id),
      [keep.id],
    );
  });

  test("an agent sees only their brands; other workspaces never show", async () => {
    const inA = await ticket("Capybara order A");
    await insertTestTicket(t.database.db, tenant.owner.workspaceId, {
      brandId: tenant.brandB,
      requesterId: requesterB,
      subject: "Capybara order B",
    });
    await customer({ brandId: tenant.brandB, name: "Capybara Fan B" });
    const foreignRequester = await customer(
      { brandId: other.brandA, name: "Capybara Foreign" },
      other.ownerToken,
    );
    await insertTestTicket(t.database.db, other.owner.workspaceId, {
      brandId: other.brandA,
      requesterId: foreignRequester.id,
      subject: "Capybara order foreign",
    });

    const agent = await search("capybara", "", tenant.agentToken);
    assert.deepEqual(
      agent.tickets.map((h) => h.id),
      [inA.id],
    );
    assert.deepEqual(agent.customers, []);

    const owner = await search("capybara");
    assert.equal(owner.tickets.length, 2);
    assert.ok(owner.tickets.every((h) => h.subject !== "Capybara order foreign"));
    assert.deepEqual(
      owner.customers.map((c) => c.name),
      ["Capybara Fan B"],
    );
    const onlyB = await search("capybara", `&brandId=${tenant.brandB}`);
    assert.deepEqual(
      onlyB.tickets.map((h) => h.brandId),
      [tenant.brandB],
    );

    const unassigned = await call(
      t.app,
      tenant.agentToken,
      "GET",
      `/api/v1/search?q=capybara&brandId=${tenant.brandB}`,
    );
    assert.equal(unassigned.statusCode, 404);
    const foreign = await call(
      t.app,
      tenant.ownerToken,
      "GET",
      `/api/v1/search?q=capybara&brandId=${other.brandA}`,
    );
    assert.equal(foreign.statusCode, 404);
  });

  test("SQL and tsquery syntax in q are searched as text", async () => {
    const tricky = await ticket("Robert'); DROP TABLE tickets;-- ordered twice");
    for (const q of [
      "'; DROP TABLE tickets; --",
      "robert'); drop",
      "a & | ! :* ( ) <-> \\",
      "%' OR 1=1 --",
      "' UNION SELECT id, subject FROM tickets --",
    ]) {
      await search(q);
    }
    assert.equal((await search("robert'); drop")).tickets[0]?.id, tricky.id);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(t.database.db);
    assert.ok((count.rows[0]?.n ?? 0) > 0, "the tickets table is still there");
  });

  test("type and limit narrow the answer; an empty q is refused", async () => {
    for (let i = 0; i < 4; i++) await ticket(`Okapi question ${i}`);
    await customer({ brandId: tenant.brandA, name: "Okapi Lover" });
    const two = await search("okapi", "&limit=2");
    assert.equal(two.tickets.length, 2);
    assert.equal(two.customers.length, 1);
    assert.deepEqual((await search("okapi", "&type=tickets")).customers, []);
    assert.deepEqual((await search("okapi", "&type=customers")).tickets, []);
    assert.equal((await call(t.app, tenant.ownerToken, "GET", "/api/v1/search?q=%20")).statusCode, 400);
    assert.equal(
      (await call(t.app, tenant.ownerToken, "GET", "/api/v1/search?q=x&type=orders")).statusCode,
      400,
    );
    assert.deepEqual(await search("!!!"), { tickets: [], customers: [] });
  });
});
