import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BUILTIN_VIEW_IDS, type TUserRole } from "@switchboard/contracts";
import type { TActor } from "../../lib/actor.ts";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import { createViewsService } from "./views.service.ts";

type TViewJson = {
  id: string;
  kind: string;
  name: string;
  filters: Record<string, unknown>;
  sort: { by: string; direction: string };
  position: number;
  ownerId: string | null;
};
type TTicketJson = { id: string; brandId: string; status: string };

describe("views", () => {
  let t: TTestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  /** A fresh workspace per test, so the built-in views see only that test's tickets. */
  const tenant = () => seedTenant(t.services, "acme");

  async function addUser(tn: TTenant, role: Exclude<TUserRole, "owner">, brandIds: string[]) {
    const suffix = Math.random().toString(36).slice(2, 8);
    const user = await t.services.users.createUser(tn.owner, {
      email: `${role}-${suffix}@acme.test`,
      name: `${role} ${suffix}`,
      role,
      password: "correct horse battery",
      locale: "en",
      timeZone: "UTC",
      brandIds,
      groupIds: [],
    });
    const actor: TActor = {
      workspaceId: tn.owner.workspaceId,
      userId: user.id,
      role,
      brandIds: role === "admin" ? null : brandIds,
      via: "token",
    };
    return { actor, token: (await t.services.auth.createToken(actor, "test")).token };
  }

  let seq = 0;
  async function ticket(tn: TTenant, brandId: string, patch: Record<string, unknown> = {}) {
    seq++;
    const res = await call(t.app, tn.ownerToken, "POST", "/api/v1/tickets", {
      brandId,
      subject: `Order ${seq}`,
      requester: { email: `buyer${seq}@shop.test` },
      message: { body: "Still waiting." },
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().ticket.id as string;
    if (Object.keys(patch).length > 0) {
      const p = await call(t.app, tn.ownerToken, "PATCH", `/api/v1/tickets/${id}`, patch);
      assert.equal(p.statusCode, 200, p.body);
    }
    return id;
  }

  const viewIds = async (token: string, viewId: string, query = "") => {
    const res = await call(t.app, token, "GET", `/api/v1/views/${viewId}/tickets?limit=100${query}`);
    assert.equal(res.statusCode, 200, `${viewId}: ${res.body}`);
    return (res.json().items as TTicketJson[]).map((x) => x.id).sort();
  };
  const counts = async (token: string) => {
    const res = await call(t.app, token, "GET", "/api/v1/views/counts");
    assert.equal(res.statusCode, 200, res.body);
    return Object.fromEntries(
      (res.json().counts as { viewId: string; count: number; capped: boolean }[]).map((c) => [c.viewId, c]),
    );
  };
  const createView = (token: string, body: Record<string, unknown>) =>
    call(t.app, token, "POST", "/api/v1/views", body);

  test("the built-in views list the right tickets, and their counts match", async () => {
    const tn = await tenant();
    const A = tn.brandA;
    const me = tn.agent.userId;
    const other = tn.owner.userId;
    const mineNew = await ticket(tn, A, { assigneeId: me });
    const mineOpen = await ticket(tn, A, { assigneeId: me, status: "open" });
    const minePending = await ticket(tn, A, { assigneeId: me, status: "pending" });
    const unassignedNew = await ticket(tn, A);
    const unassignedHold = await ticket(tn, A, { status: "on_hold" });
    const othersOpen = await ticket(tn, A, { assigneeId: other, status: "open" });
    const solvedNow = await ticket(tn, A, { assigneeId: me, status: "solved" });
    const solvedLongAgo = await ticket(tn, A, { status: "solved" });
    const closedNow = await ticket(tn, A, { status: "solved" });
    await call(t.app, tn.ownerToken, "PATCH", `/api/v1/tickets/${closedNow}`, { status: "closed" });
    await t.database.db
      .updateTable("tickets")
      .set({ solved_at: new Date(Date.now() - 10 * 86_400_000) })
      .where("workspace_id", "=", tn.owner.workspaceId)
      .where("id", "=", solvedLongAgo)
      .execute();
    // Left out of every view: spam, deleted, and (for the agent) brand B.
    await ticket(tn, A, { isSpam: true });
    const deleted = await ticket(tn, A);
    await call(t.app, tn.ownerToken, "DELETE", `/api/v1/tickets/${deleted}`);
    const inB = await ticket(tn, tn.brandB);

    const expected: Record<string, string[]> = {
      mine: [mineNew, mineOpen],
      unassigned: [unassignedNew, unassignedHold],
      open: [mineNew, mineOpen, unassignedNew, othersOpen],
      pending: [minePending],
      "on-hold": [unassignedHold],
      solved: [solvedNow, closedNow],
    };
    const listed = (await call(t.app, tn.agentToken, "GET", "/api/v1/views")).json().items as TViewJson[];
    assert.deepEqual(
      listed.map((v) => [v.id, v.kind, v.name, v.position]),
      BUILTIN_VIEW_IDS.map((id, i) => [id, "builtin", id, i]),
    );
    const agentCounts = await counts(tn.agentToken);
    for (const [id, ticketIds] of Object.entries(expected)) {
      assert.deepEqual(await viewIds(tn.agentToken, id), [...ticketIds].sort(), id);
      assert.deepEqual(agentCounts[id], { viewId: id, count: ticketIds.length, capped: false }, id);
    }
    // The owner sees brand B too; "mine" is whoever asks.
    assert.ok((await viewIds(tn.ownerToken, "open")).includes(inB));
    assert.deepEqual(await viewIds(tn.ownerToken, "mine"), [othersOpen]);
    const solved = (await call(t.app, tn.agentToken, "GET", "/api/v1/views/solved/tickets")).json().items;
    assert.deepEqual(
      solved.map((x: TTicketJson) => x.id),
      [closedNow, solvedNow],
      "latest solved first",
    );
    const one = await call(t.app, tn.agentToken, "GET", "/api/v1/views/mine");
    assert.deepEqual(one.json().filters, { assigneeId: ["me"], status: ["new", "open"] });
  });

  test("personal views: create, read, change, reorder and delete; nobody else sees them", async () => {
    const tn = await tenant();
    const colleague = await addUser(tn, "agent", [tn.brandA]);
    const urgent = await ticket(tn, tn.brandA, { priority: "urgent", tags: ["vip"] });
    await ticket(tn, tn.brandA, { priority: "low" });

    const created = await createView(tn.agentToken, {
      name: "  My urgent VIPs ",
      filters: { priority: ["urgent", "high"], tag: ["VIP"] },
      sort: { by: "priority", direction: "desc" },
    });
    assert.equal(created.statusCode, 201, created.body);
    const view = created.json() as TViewJson;
    assert.equal(view.kind, "personal");
    assert.equal(view.name, "My urgent VIPs");
    assert.equal(view.ownerId, tn.agent.userId);
    assert.deepEqual(view.filters, { priority: ["urgent", "high"], tag: ["vip"] });
    assert.deepEqual(await viewIds(tn.agentToken, view.id), [urgent]);

    const second = (await createView(tn.agentToken, { name: "Everything" })).json() as TViewJson;
    assert.equal(second.position, view.position + 1);
    assert.deepEqual(second.sort, { by: "updated_at", direction: "desc" });
    const listed = (await call(t.app, tn.agentToken, "GET", "/api/v1/views")).json().items as TViewJson[];
    assert.deepEqual(
      listed.slice(BUILTIN_VIEW_IDS.length).map((v) => v.id),
      [view.id, second.id],
    );

    const patched = await call(t.app, tn.agentToken, "PATCH", `/api/v1/views/${view.id}`, {
      name: "Urgent",
      filters: { priority: ["low"] },
      sort: { by: "created_at", direction: "asc" },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json().filters, { priority: ["low"] });
    assert.equal((await viewIds(tn.agentToken, view.id)).length, 1);
    assert.notDeepEqual(await viewIds(tn.agentToken, view.id), [urgent]);

    const reordered = await call(t.app, tn.agentToken, "POST", "/api/v1/views/reorder", {
      viewIds: [second.id, view.id],
    });
    assert.equal(reordered.statusCode, 200, reordered.body);
    assert.deepEqual(
      (reordered.json().items as TViewJson[]).slice(BUILTIN_VIEW_IDS.length).map((v) => [v.id, v.position]),
      [
        [second.id, 0],
        [view.id, 1],
      ],
    );

    // Another agent, and even the owner, get 404 for it, as for an id that exists nowhere.
    for (const token of [colleague.token, tn.ownerToken]) {
      for (const [method, url, body] of [
        ["GET", `/api/v1/views/${view.id}`, undefined],
        ["GET", `/api/v1/views/${view.id}/tickets`, undefined],
        ["PATCH", `/api/v1/views/${view.id}`, { name: "Mine now" }],
        ["DELETE", `/api/v1/views/${view.id}`, undefined],
        ["POST", "/api/v1/views/reorder", { viewIds: [view.id] }],
      ] as const) {
        const res = await call(t.app, token, method, url, body);
        assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
        assert.equal(res.json().error.code, "view_not_found");
      }
      const theirs = (await call(t.app, token, "GET", "/api/v1/views")).json().items as TViewJson[];
      assert.ok(!theirs.some((v) => v.id === view.id));
      assert.equal((await counts(token))[view.id], undefined);
    }

    assert.equal((await call(t.app, tn.agentToken, "DELETE", `/api/v1/views/${view.id}`)).statusCode, 204);
    assert.equal((await call(t.app, tn.agentToken, "GET", `/api/v1/views/${view.id}`)).statusCode, 404);
    assert.equal((await call(t.app, tn.agentToken, "GET", "/api/v1/views/nonsense")).statusCode, 404);
  });

  test("shared views: owners, admins and supervisors manage them; agents and light agents only use them", async () => {
    const tn = await tenant();
    const supervisor = await addUser(tn, "supervisor", [tn.brandA]);
    const agentShared = await createView(tn.agentToken, { name: "Team", shared: true });
    assert.equal(agentShared.statusCode, 403);
    const lightShared = await createView(tn.lightAgentToken, { name: "Team", shared: true });
    assert.equal(lightShared.statusCode, 403);
    const lightPersonal = await createView(tn.lightAgentToken, {
      name: "Mine",
      filters: { status: ["open"] },
    });
    assert.equal(lightPersonal.statusCode, 201, lightPersonal.body);

    const shared = (
      await createView(supervisor.token, { name: "Team", shared: true, filters: { status: ["open"] } })
    ).json() as TViewJson;
    assert.equal(shared.kind, "shared");
    assert.equal(shared.ownerId, null);
    const personal = (await createView(tn.agentToken, { name: "Me" })).json() as TViewJson;
    const agentList = (await call(t.app, tn.agentToken, "GET", "/api/v1/views")).json().items as TViewJson[];
    assert.deepEqual(
      agentList.slice(BUILTIN_VIEW_IDS.length).map((v) => v.id),
      [shared.id, personal.id],
      "shared views before personal ones",
    );

    for (const [method, url, body] of [
      ["PATCH", `/api/v1/views/${shared.id}`, { name: "Hijacked" }],
      ["DELETE", `/api/v1/views/${shared.id}`, undefined],
      ["POST", "/api/v1/views/reorder", { viewIds: [shared.id] }],
      ["PATCH", "/api/v1/views/mine", { name: "Renamed" }],
      ["DELETE", "/api/v1/views/open", undefined],
    ] as const) {
      for (const token of [tn.agentToken, tn.lightAgentToken]) {
        const res = await call(t.app, token, method, url, body);
        assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
      }
    }
    assert.equal((await viewIds(tn.agentToken, shared.id)).length, 0);
    const renamed = await call(t.app, supervisor.token, "PATCH", `/api/v1/views/${shared.id}`, {
      name: "Team A",
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(
      (await call(t.app, tn.ownerToken, "PATCH", "/api/v1/views/mine", { name: "x" })).statusCode,
      403,
    );
    assert.equal((await call(t.app, tn.ownerToken, "DELETE", `/api/v1/views/${shared.id}`)).statusCode, 204);
  });

  test("brand access: a view naming brand B shows an agent of brand A nothing of B, and they cannot save one", async () => {
    const tn = await tenant();
    const inA = await ticket(tn, tn.brandA, { priority: "urgent" });
    const inB = await ticket(tn, tn.brandB, { priority: "urgent" });
    const onlyB = (
      await createView(tn.ownerToken, { name: "B urgent", shared: true, filters: { brandId: [tn.brandB] } })
    ).json() as TViewJson;
    const both = (
      await createView(tn.ownerToken, {
        name: "A and B urgent",
        shared: true,
        filters: { brandId: [tn.brandA, tn.brandB], priority: ["urgent"] },
      })
    ).json() as TViewJson;
    const everything = (await createView(tn.ownerToken, { name: "All", shared: true })).json() as TViewJson;

    assert.deepEqual(await viewIds(tn.ownerToken, onlyB.id), [inB]);
    assert.deepEqual(await viewIds(tn.ownerToken, both.id), [inA, inB].sort());

    const agentViews = (await call(t.app, tn.agentToken, "GET", "/api/v1/views")).json().items as TViewJson[];
    assert.ok(!agentViews.some((v) => v.id === onlyB.id), "a view of brand B alone is not listed");
    assert.deepEqual(
      agentViews.find((v) => v.id === both.id)?.filters.brandId,
      [tn.brandA],
      "B is not named",
    );
    for (const url of [`/api/v1/views/${onlyB.id}`, `/api/v1/views/${onlyB.id}/tickets`]) {
      const res = await call(t.app, tn.agentToken, "GET", url);
      assert.equal(res.statusCode, 404, url);
      assert.ok(!res.body.includes(tn.brandB));
    }
    assert.deepEqual(await viewIds(tn.agentToken, both.id), [inA]);
    assert.deepEqual(await viewIds(tn.agentToken, everything.id), [inA]);
    const agentCounts = await counts(tn.agentToken);
    assert.equal(agentCounts[onlyB.id], undefined);
    assert.equal(agentCounts[both.id]?.count, 1);
    assert.equal(agentCounts[everything.id]?.count, 1);
    const res = await call(t.app, tn.agentToken, "GET", "/api/v1/views/counts");
    assert.ok(!res.body.includes(tn.brandB));
    assert.equal((await counts(tn.ownerToken))[everything.id]?.count, 2);

    // Saving a filter with brand B answers exactly what an unknown brand answers.
    const withB = await createView(tn.agentToken, { name: "Peek", filters: { brandId: [tn.brandB] } });
    const withNowhere = await createView(tn.agentToken, {
      name: "Peek",
      filters: { brandId: ["0190a000-0000-7000-8000-000000000000"] },
    });
    assert.equal(withB.statusCode, 422, withB.body);
    assert.equal(withB.json().error.code, "invalid_filters");
    assert.deepEqual(withB.json(), withNowhere.json());
    const own = (await createView(tn.agentToken, { name: "A", filters: { brandId: [tn.brandA] } })).json();
    const toB = await call(t.app, tn.agentToken, "PATCH", `/api/v1/views/${own.id}`, {
      filters: { brandId: [tn.brandA, tn.brandB] },
    });
    assert.equal(toB.statusCode, 422, toB.body);
    assert.deepEqual(toB.json().error.details, [{ field: "filters.brandId.1", message: "No such brand" }]);
    // Sorting a view differently for one list does not get around it either.
    assert.deepEqual(await viewIds(tn.agentToken, everything.id, "&sort=priority&direction=asc"), [inA]);
  });

  test("malformed filters and bodies answer 422 naming the field", async () => {
    const tn = await tenant();
    const otherTenant = await seedTenant(t.services, "globex");
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "x", filters: { status: ["lost"] } }, "filters.status.0"],
      [{ name: "x", filters: { bogus: true } }, "filters"],
      [{ name: "x", filters: { priority: "urgent" } }, "filters.priority"],
      [{ name: "x", filters: { createdWithinDays: 0 } }, "filters.createdWithinDays"],
      [{ name: "x", filters: { createdFrom: "yesterday" } }, "filters.createdFrom"],
      [
        { name: "x", filters: { updatedFrom: "2030-02-01T00:00:00Z", updatedTo: "2030-01-01T00:00:00Z" } },
        "filters.updatedTo",
      ],
      [{ name: "x", filters: { assigneeId: [] } }, "filters.assigneeId"],
      [{ name: "x", sort: { by: "subject", direction: "asc" } }, "sort.by"],
      [{ name: "" }, "name"],
      [{ name: "x", filters: { groupId: [otherTenant.brandA] } }, "filters.groupId.0"],
      [{ name: "x", filters: { assigneeId: ["me", otherTenant.agent.userId] } }, "filters.assigneeId.1"],
      [{ name: "x", filters: { category: ["no_such_category"] } }, "filters.category.0"],
      [{ name: "x", filters: { brandId: [otherTenant.brandA] } }, "filters.brandId.0"],
    ];
    for (const [body, field] of cases) {
      const res = await createView(tn.ownerToken, body);
      assert.equal(res.statusCode, 422, `${JSON.stringify(body)}: ${res.body}`);
      const details = res.json().error.details as { field: string }[];
      assert.ok(
        details.some((d) => d.field === field || d.field.startsWith(`${field}.`)),
        `${JSON.stringify(body)} names ${field}: ${res.body}`,
      );
    }
    const view = (await createView(tn.ownerToken, { name: "ok" })).json() as TViewJson;
    const bad = await call(t.app, tn.ownerToken, "PATCH", `/api/v1/views/${view.id}`, {
      filters: { tag: ["a b"] },
    });
    assert.equal(bad.statusCode, 422, bad.body);
    assert.equal(
      (await call(t.app, tn.ownerToken, "GET", `/api/v1/views/${view.id}/tickets?sort=subject`)).statusCode,
      400,
      "query strings answer 400 as on every list",
    );
    const group = (await call(t.app, tn.ownerToken, "POST", "/api/v1/groups", { name: "Desk" })).json().id;
    const good = await createView(tn.ownerToken, {
      name: "refs",
      filters: {
        groupId: [group, "none"],
        assigneeId: ["me", "none", tn.agent.userId],
        brandId: [tn.brandB],
      },
    });
    assert.equal(good.statusCode, 201, good.body);
  });

  test("counts stop at the cap and say so", async () => {
    const tn = await tenant();
    for (let i = 0; i < 4; i++) await ticket(tn, tn.brandA);
    await ticket(tn, tn.brandA, { status: "pending" });
    const views = createViewsService({
      db: t.database.db,
      clock: { now: () => new Date() },
      tickets: t.services.tickets,
      countCap: 3,
    });
    // In the order GET /views lists them; ids the caller does not see are left out.
    const result = await views.countViews(tn.owner, ["open", "pending", "mine", "nonsense"]);
    assert.deepEqual(result.counts, [
      { viewId: "mine", count: 0, capped: false },
      { viewId: "open", count: 3, capped: true },
      { viewId: "pending", count: 1, capped: false },
    ]);
    const http = await call(t.app, tn.ownerToken, "GET", "/api/v1/views/counts?ids=open,pending");
    assert.deepEqual(http.json(), {
      counts: [
        { viewId: "open", count: 4, capped: false },
        { viewId: "pending", count: 1, capped: false },
      ],
    });
  });

  test("a view's tickets page with cursors in the view's order", async () => {
    const tn = await tenant();
    const made = [];
    for (const priority of ["low", "urgent", "normal", "high", "urgent"])
      made.push(await ticket(tn, tn.brandA, { priority }));
    const view = (
      await createView(tn.agentToken, { name: "By priority", sort: { by: "priority", direction: "desc" } })
    ).json() as TViewJson;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        t.app,
        tn.agentToken,
        "GET",
        `/api/v1/views/${view.id}/tickets?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json();
      seen.push(...page.items.map((x: { priority: string; id: string }) => `${x.priority}`));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ["urgent", "urgent", "high", "normal", "low"]);
  });
});
