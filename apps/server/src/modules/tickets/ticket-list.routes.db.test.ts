import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { TICKET_SORTS } from "@switchboard/contracts";
import { sql } from "kysely";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";

type TListed = {
  id: string;
  number: number;
  brandId: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  groupId: string | null;
  category: string | null;
  tags: string[];
  dueAt: string | null;
  solvedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

const PRIORITY_RANK: Record<string, number> = { low: 1, normal: 2, high: 3, urgent: 4 };
const STATUS_RANK: Record<string, number> = { new: 1, open: 2, pending: 3, on_hold: 4, solved: 5, closed: 6 };
const sortValue: Record<string, (t: TListed) => number | null> = {
  updated_at: (t) => Date.parse(t.updatedAt),
  created_at: (t) => Date.parse(t.createdAt),
  number: (t) => t.number,
  priority: (t) => PRIORITY_RANK[t.priority] ?? 0,
  status: (t) => STATUS_RANK[t.status] ?? 0,
  due_at: (t) => (t.dueAt ? Date.parse(t.dueAt) : null),
  solved_at: (t) => (t.solvedAt ? Date.parse(t.solvedAt) : null),
};

/** The order the API promises: the value in the direction asked, nulls last, then the id the same way. */
function compare(by: string, direction: "asc" | "desc", a: TListed, b: TListed): number {
  const sign = direction === "asc" ? 1 : -1;
  const va = sortValue[by]?.(a) ?? null;
  const vb = sortValue[by]?.(b) ?? null;
  if (va === null || vb === null) {
    if (va !== vb) return va === null ? 1 : -1;
  } else if (va !== vb) return sign * (va - vb);
  return sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

describe("ticket list filters and sorting", () => {
  let t: TTestApp;
  let acme: TTenant;
  before(async () => {
    t = await createTestApp();
    acme = await seedTenant(t.services, "acme");
  });
  after(() => t.close());

  let seq = 0;
  const create = async (extra: Record<string, unknown> = {}, brandId = acme.brandA): Promise<TListed> => {
    seq++;
    const res = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets", {
      brandId,
      subject: `Parcel ${seq}`,
      requester: { email: `buyer${seq}@shop.test` },
      message: { body: "Where is it?" },
      ...extra,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().ticket;
  };
  /** Sets columns the API does not (times, status without the rules) straight in the row. */
  const setRow = (id: string, values: Record<string, unknown>) =>
    t.database.db
      .updateTable("tickets")
      .set(values)
      .where("workspace_id", "=", acme.owner.workspaceId)
      .where("id", "=", id)
      .execute();
  const list = async (query: string, token = acme.ownerToken) => {
    const res = await call(t.app, token, "GET", `/api/v1/tickets?${query}`);
    assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
    return res.json() as { items: TListed[]; nextCursor: string | null };
  };
  const ids = async (query: string, token = acme.ownerToken) =>
    (await list(`limit=100&${query}`, token)).items.map((i) => i.id).sort();
  /** Every page of a list, following the cursors. */
  async function walk(query: string, limit: number): Promise<TListed[]> {
    const all: TListed[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      all.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) return all;
    }
    throw new Error("the cursor never ended");
  }

  test("each filter narrows the list; values of one filter are alternatives", async () => {
    const tag = "filters-narrow";
    const group = (
      await call(t.app, acme.ownerToken, "POST", "/api/v1/groups", { name: "Returns desk" })
    ).json().id as string;
    for (const key of ["returns", "shipping"]) {
      await call(t.app, acme.ownerToken, "POST", "/api/v1/categories", { key, name: key });
    }
    const a = await create({ tags: [tag, "vip"], category: "returns", priority: "high", channel: "email" });
    const b = await create({ tags: [tag, "refund"], category: "shipping", assigneeId: acme.agent.userId });
    const c = await create({ tags: [tag], groupId: group, channel: "phone" });
    const d = await create({ tags: [tag], assigneeId: acme.owner.userId }, acme.brandB);
    const q = `tag=${tag}`;
    assert.deepEqual(await ids(q), [a.id, b.id, c.id, d.id].sort());

    assert.deepEqual(await ids(`${q}&brandId=${acme.brandB}`), [d.id]);
    assert.deepEqual(
      await ids(`${q}&brandId=${acme.brandA},${acme.brandB}`),
      [a.id, b.id, c.id, d.id].sort(),
    );
    assert.deepEqual(await ids(`${q}&category=returns`), [a.id]);
    assert.deepEqual(await ids(`${q}&category=returns,shipping`), [a.id, b.id].sort());
    assert.deepEqual(await ids(`${q}&category=nothing_like_it`), []);
    assert.deepEqual(await ids(`tag=vip,refund&tag=${tag}`), [a.id, b.id, c.id, d.id].sort(), "any tag");
    assert.deepEqual(await ids("tag=vip,refund"), [a.id, b.id].sort());
    assert.deepEqual(await ids(`${q}&groupId=${group}`), [c.id]);
    assert.deepEqual(await ids(`${q}&groupId=none`), [a.id, b.id, d.id].sort());
    assert.deepEqual(await ids(`${q}&groupId=${group},none`), [a.id, b.id, c.id, d.id].sort());
    assert.deepEqual(await ids(`${q}&assigneeId=none`), [a.id, c.id].sort());
    assert.deepEqual(await ids(`${q}&assigneeId=${acme.agent.userId}`), [b.id]);
    assert.deepEqual(await ids(`${q}&assigneeId=me`), [d.id], "me is the caller (the owner)");
    assert.deepEqual(await ids(`${q}&assigneeId=me,none`), [a.id, c.id, d.id].sort());
    assert.deepEqual(await ids(`${q}&assigneeId=me`, acme.agentToken), [b.id]);
    assert.deepEqual(await ids(`${q}&priority=high,urgent`), [a.id]);
    assert.deepEqual(await ids(`${q}&channel=email&channel=phone`), [a.id, c.id].sort());

    // The agent works in brand A only: naming brand B narrows to nothing, never to B's tickets.
    assert.deepEqual(await ids(q, acme.agentToken), [a.id, b.id, c.id].sort());
    assert.deepEqual(await ids(`${q}&brandId=${acme.brandB}`, acme.agentToken), []);
    assert.deepEqual(
      await ids(`${q}&brandId=${acme.brandA},${acme.brandB}`, acme.agentToken),
      [a.id, b.id, c.id].sort(),
    );
  });

  test("created and updated date ranges, absolute and relative", async () => {
    const tag = "filters-dates";
    const old = await create({ tags: [tag] });
    const lastMonth = await create({ tags: [tag] });
    const fresh = await create({ tags: [tag] });
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    const lastMonthCreated = daysAgo(30);
    await setRow(old.id, { created_at: daysAgo(400), updated_at: daysAgo(300) });
    await setRow(lastMonth.id, { created_at: lastMonthCreated, updated_at: daysAgo(20) });
    const q = `tag=${tag}`;
    const iso = (d: Date) => encodeURIComponent(d.toISOString());
    assert.deepEqual(await ids(`${q}&createdWithinDays=7`), [fresh.id]);
    assert.deepEqual(await ids(`${q}&createdWithinDays=31`), [lastMonth.id, fresh.id].sort());
    assert.deepEqual(await ids(`${q}&updatedWithinDays=25`), [lastMonth.id, fresh.id].sort());
    assert.deepEqual(await ids(`${q}&createdTo=${iso(daysAgo(100))}`), [old.id]);
    assert.deepEqual(await ids(`${q}&createdFrom=${iso(daysAgo(35))}&createdTo=${iso(daysAgo(25))}`), [
      lastMonth.id,
    ]);
    assert.deepEqual(
      await ids(`${q}&updatedFrom=${iso(daysAgo(301))}&updatedTo=${iso(daysAgo(19))}`),
      [old.id, lastMonth.id].sort(),
    );
    // The same instant written with an offset: "from" takes it in, "to" leaves it out.
    const sameInstant = encodeURIComponent(
      new Date(lastMonthCreated.getTime() + 7_200_000).toISOString().replace("Z", "+02:00"),
    );
    assert.deepEqual(await ids(`${q}&createdTo=${sameInstant}`), [old.id]);
    assert.deepEqual(await ids(`${q}&createdFrom=${sameInstant}`), [lastMonth.id, fresh.id].sort());
  });

  test("every sort, both ways, pages through each ticket exactly once and in order", async () => {
    const tag = "sort-walk";
    const priorities = ["low", "normal", "high", "urgent", "normal", "urgent"];
    const statuses = ["new", "open", "pending", "on_hold", "solved", "open", "new"];
    const base = Date.parse("2030-03-01T08:00:00.000Z");
    const made: TListed[] = [];
    for (let i = 0; i < 22; i++)
      made.push(await create({ tags: [tag], priority: priorities[i % priorities.length] }));
    for (const [i, ticket] of made.entries()) {
      await setRow(ticket.id, {
        status: statuses[i % statuses.length],
        // Ties on purpose: the id must break them, and a page may end inside a run of equal values.
        updated_at: new Date(base + (i % 5) * 60_000),
        created_at: new Date(base - (i % 7) * 3_600_000),
        // A third have no due date; some share one.
        due_at: i % 3 === 0 ? null : new Date(base + (i % 4) * 86_400_000),
        solved_at: i % 2 === 0 ? new Date(base - (i % 3) * 1000) : null,
      });
    }
    const full = (await list(`tag=${tag}&limit=100`)).items;
    assert.equal(full.length, made.length);
    for (const by of TICKET_SORTS) {
      for (const direction of ["asc", "desc"] as const) {
        const q = `tag=${tag}&sort=${by}&direction=${direction}`;
        const whole = (await list(`${q}&limit=100`)).items;
        const sorted = [...whole].sort((a, b) => compare(by, direction, a, b));
        assert.deepEqual(
          whole.map((x) => x.id),
          sorted.map((x) => x.id),
          `${by} ${direction} is in order`,
        );
        for (const limit of [1, 4, 5]) {
          const walked = await walk(q, limit);
          assert.deepEqual(
            walked.map((x) => x.id),
            whole.map((x) => x.id),
            `${by} ${direction}, pages of ${limit}: each ticket once, same order`,
          );
        }
      }
    }
    // Nulls last both ways; priority by rank, not alphabetically.
    for (const direction of ["asc", "desc"]) {
      const due = (await list(`tag=${tag}&sort=due_at&direction=${direction}&limit=100`)).items;
      const firstNull = due.findIndex((x) => x.dueAt === null);
      assert.ok(firstNull > 0 && due.slice(firstNull).every((x) => x.dueAt === null), `due_at ${direction}`);
    }
    const byPriority = (await list(`tag=${tag}&sort=priority&limit=100`)).items.map((x) => x.priority);
    assert.equal(byPriority[0], "urgent");
    assert.equal(byPriority.at(-1), "low");
    // The default is the most recently updated first.
    const dflt = (await list(`tag=${tag}&limit=100`)).items;
    assert.deepEqual(
      dflt.map((x) => x.id),
      (await list(`tag=${tag}&sort=updated_at&direction=desc&limit=100`)).items.map((x) => x.id),
    );
  });

  test("pages split between timestamps a microsecond apart lose and repeat nothing", async () => {
    const tag = "sort-micro";
    const made = [
      await create({ tags: [tag] }),
      await create({ tags: [tag] }),
      await create({ tags: [tag] }),
    ];
    const stamps = [
      "2031-01-01 10:00:00.123456+00",
      "2031-01-01 10:00:00.123457+00",
      "2031-01-01 10:00:00.123999+00",
    ];
    for (const [i, ticket] of made.entries()) {
      await sql`UPDATE tickets SET updated_at = ${stamps[i]}::timestamptz, due_at = ${stamps[i]}::timestamptz
        WHERE workspace_id = ${acme.owner.workspaceId} AND id = ${ticket.id}`.execute(t.database.db);
    }
    for (const by of ["updated_at", "due_at"]) {
      for (const direction of ["asc", "desc"]) {
        const walked = await walk(`tag=${tag}&sort=${by}&direction=${direction}`, 1);
        const expected = direction === "asc" ? made : [...made].reverse();
        assert.deepEqual(
          walked.map((x) => x.id),
          expected.map((x) => x.id),
          `${by} ${direction}`,
        );
      }
    }
  });

  test("bad sorts, dates and cursors are refused with 400", async () => {
    for (const query of [
      "sort=subject",
      "direction=up",
      "createdFrom=yesterday",
      "createdWithinDays=0",
      "updatedWithinDays=abc",
      "createdFrom=2030-02-01T00:00:00Z&createdTo=2030-01-01T00:00:00Z",
      "groupId=me",
      "assigneeId=someone",
      "cursor=not-a-cursor",
    ]) {
      const res = await call(t.app, acme.ownerToken, "GET", `/api/v1/tickets?${query}`);
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
    }
    await create({ tags: ["cursor-mix"] });
    await create({ tags: ["cursor-mix"] });
    const page = await list("tag=cursor-mix&limit=1&sort=priority");
    assert.ok(page.nextCursor);
    const other = await call(
      t.app,
      acme.ownerToken,
      "GET",
      `/api/v1/tickets?tag=cursor-mix&limit=1&cursor=${page.nextCursor}`,
    );
    assert.equal(other.statusCode, 400, "a cursor of another order");
    assert.equal(other.json().error.code, "invalid_cursor");
  });
});
