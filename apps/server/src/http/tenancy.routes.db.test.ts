import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../test/test-app.ts";

type TIds = {
  address: string;
  inbound: string;
  mailbox: string;
  brand: string;
  user: string;
  group: string;
  customer: string;
  ticket: string;
  attachment: string;
  category: string;
  field: string;
  token: string;
  view: string;
};
type TCase = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  body?: (own: TIds) => unknown;
  multipart?: boolean;
};

/** Every route that takes an id. The coverage test below fails when a new one is missing here. */
const CASES: TCase[] = [
  { method: "GET", path: "/api/v1/brands/{id}" },
  { method: "PATCH", path: "/api/v1/brands/{id}", body: () => ({ name: "Taken over" }) },
  { method: "GET", path: "/api/v1/brands/{id}/addresses" },
  { method: "POST", path: "/api/v1/brands/{id}/addresses", body: () => ({ address: "grab@example.net" }) },
  { method: "PATCH", path: "/api/v1/addresses/{id}", body: () => ({ displayName: "Taken over" }) },
  { method: "DELETE", path: "/api/v1/addresses/{id}" },
  { method: "GET", path: "/api/v1/brands/{id}/mail-settings" },
  { method: "PATCH", path: "/api/v1/brands/{id}/mail-settings", body: () => ({ signature: "Taken over" }) },
  { method: "GET", path: "/api/v1/brands/{id}/mailboxes" },
  {
    method: "POST",
    path: "/api/v1/brands/{id}/mailboxes",
    body: () => ({ address: "grab@example.net", host: "imap.example.net", username: "grab", secret: "x" }),
  },
  { method: "GET", path: "/api/v1/mailboxes/{id}" },
  { method: "PATCH", path: "/api/v1/mailboxes/{id}", body: () => ({ host: "imap.evil.example" }) },
  { method: "DELETE", path: "/api/v1/mailboxes/{id}" },
  { method: "POST", path: "/api/v1/mailboxes/{id}/test" },
  { method: "GET", path: "/api/v1/inbound-emails/{id}" },
  { method: "GET", path: "/api/v1/inbound-emails/{id}/raw" },
  { method: "POST", path: "/api/v1/inbound-emails/{id}/reprocess" },
  { method: "GET", path: "/api/v1/users/{id}" },
  { method: "PATCH", path: "/api/v1/users/{id}", body: () => ({ name: "Taken over" }) },
  { method: "PATCH", path: "/api/v1/groups/{id}", body: () => ({ name: "Taken over" }) },
  { method: "PATCH", path: "/api/v1/categories/{id}", body: () => ({ name: "Taken over" }) },
  { method: "PATCH", path: "/api/v1/custom-fields/{id}", body: () => ({ label: "Taken over" }) },
  { method: "GET", path: "/api/v1/customers/{id}" },
  { method: "PATCH", path: "/api/v1/customers/{id}", body: () => ({ name: "Taken over" }) },
  {
    method: "POST",
    path: "/api/v1/customers/{id}/merge",
    body: (own) => ({ sourceCustomerId: own.customer }),
  },
  { method: "GET", path: "/api/v1/tickets/{id}" },
  { method: "PATCH", path: "/api/v1/tickets/{id}", body: () => ({ priority: "urgent" }) },
  { method: "DELETE", path: "/api/v1/tickets/{id}" },
  { method: "GET", path: "/api/v1/tickets/{id}/messages" },
  { method: "POST", path: "/api/v1/tickets/{id}/messages", body: () => ({ kind: "note", body: "peek" }) },
  { method: "POST", path: "/api/v1/tickets/{id}/merge", body: (own) => ({ targetTicketId: own.ticket }) },
  { method: "GET", path: "/api/v1/tickets/{id}/audit" },
  { method: "POST", path: "/api/v1/tickets/{id}/attachments", multipart: true },
  { method: "GET", path: "/api/v1/attachments/{id}" },
  { method: "DELETE", path: "/api/v1/tokens/{id}" },
  { method: "GET", path: "/api/v1/views/{id}" },
  { method: "PATCH", path: "/api/v1/views/{id}", body: () => ({ name: "Taken over" }) },
  { method: "DELETE", path: "/api/v1/views/{id}" },
  { method: "GET", path: "/api/v1/views/{id}/tickets" },
];

const KIND_BY_PREFIX: Array<[string, keyof TIds]> = [
  ["/api/v1/brands/", "brand"],
  ["/api/v1/addresses/", "address"],
  ["/api/v1/inbound-emails/", "inbound"],
  ["/api/v1/mailboxes/", "mailbox"],
  ["/api/v1/users/", "user"],
  ["/api/v1/groups/", "group"],
  ["/api/v1/categories/", "category"],
  ["/api/v1/custom-fields/", "field"],
  ["/api/v1/customers/", "customer"],
  ["/api/v1/tickets/", "ticket"],
  ["/api/v1/attachments/", "attachment"],
  ["/api/v1/tokens/", "token"],
  ["/api/v1/views/", "view"],
];
const kindOf = (path: string): keyof TIds => {
  const hit = KIND_BY_PREFIX.find(([prefix]) => path.startsWith(prefix));
  if (!hit) throw new Error(`no id kind for ${path}`);
  return hit[1];
};

const BOUNDARY = "----switchboard-test";
const multipartFile = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${BOUNDARY}--\r\n`;

async function send(
  t: TTestApp,
  token: string,
  c: TCase,
  target: string,
  own: TIds,
): Promise<LightMyRequestResponse> {
  const url = c.path.replace("{id}", target);
  if (c.multipart) {
    return call(t.app, token, c.method, url, multipartFile, {
      "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
    });
  }
  return call(t.app, token, c.method, url, c.body?.(own));
}

describe("tenant walls on every route", () => {
  let t: TTestApp;
  let acme: TTenant;
  let other: TTenant;
  let acmeIds: TIds;
  let otherIds: TIds;
  let acmeBrandB: { customer: string; ticket: string; attachment: string; view: string };

  async function resources(tenant: TTenant, brandId: string, label: string) {
    const token = tenant.ownerToken;
    const customer = (
      await call(t.app, token, "POST", "/api/v1/customers", {
        brandId,
        name: `${label} customer`,
        emails: [`${label}@example.com`],
      })
    ).json().id;
    const ticket = (
      await call(t.app, token, "POST", "/api/v1/tickets", {
        brandId,
        subject: `${label} secret subject`,
        requester: { email: `${label}-req@example.com` },
        message: { body: `${label} secret body` },
      })
    ).json().ticket.id;
    const upload = await call(t.app, token, "POST", `/api/v1/tickets/${ticket}/attachments`, multipartFile, {
      "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
    });
    assert.equal(upload.statusCode, 201, upload.body);
    // A shared view of this brand alone: agents without the brand must not find it.
    const view = await call(t.app, token, "POST", "/api/v1/views", {
      name: `${label} secret view`,
      shared: true,
      filters: { brandId: [brandId] },
    });
    assert.equal(view.statusCode, 201, view.body);
    return {
      customer,
      ticket,
      attachment: upload.json().items[0].id as string,
      view: view.json().id as string,
    };
  }

  before(async () => {
    t = await createTestApp();
    acme = await seedTenant(t.services, "acme");
    other = await seedTenant(t.services, "globex");
    const ids = async (tenant: TTenant, label: string): Promise<TIds> => {
      const r = await resources(tenant, tenant.brandA, label);
      const category = (
        await call(t.app, tenant.ownerToken, "POST", "/api/v1/categories", {
          key: `${label}_cat`,
          name: "Cat",
        })
      ).json().id;
      const field = (
        await call(t.app, tenant.ownerToken, "POST", "/api/v1/custom-fields", {
          key: `${label}_field`,
          label: "F",
          kind: "text",
        })
      ).json().id;
      const token = (
        await call(t.app, tenant.ownerToken, "POST", "/api/v1/tokens", { name: "victim" })
      ).json().id;
      const group = (
        await call(t.app, tenant.ownerToken, "POST", "/api/v1/groups", { name: `${label} secret group` })
      ).json().id;
      const address = (
        await call(t.app, tenant.ownerToken, "POST", `/api/v1/brands/${tenant.brandA}/addresses`, {
          address: `help@${label}.example`,
        })
      ).json().id;
      const inbound = (
        await t.app.inject({
          method: "POST",
          url: "/api/v1/inbound-emails",
          headers: { authorization: `Bearer ${tenant.ownerToken}`, "content-type": "message/rfc822" },
          payload: `From: a@b.example\r\nTo: help@${label}.example\r\nSubject: ${label} secret\r\n\r\n${label} secret\r\n`,
        })
      ).json().id;
      const mailbox = (
        await call(t.app, tenant.ownerToken, "POST", `/api/v1/brands/${tenant.brandA}/mailboxes`, {
          address: `help@${label}.example`,
          host: `imap.${label}.example`,
          username: `help@${label}.example`,
          secret: `${label} secret password`,
        })
      ).json().id;
      return {
        address,
        inbound,
        mailbox,
        ...r,
        brand: tenant.brandA,
        user: tenant.agent.userId,
        group,
        category,
        field,
        token,
      };
    };
    acmeIds = await ids(acme, "acme");
    otherIds = await ids(other, "globex");
    acmeBrandB = await resources(acme, acme.brandB, "acmeb");
  });
  after(() => t.close());

  test("every route with an id is covered here", async () => {
    const doc = (await call(t.app, null, "GET", "/api/v1/openapi.json")).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const covered = new Set(CASES.map((c) => `${c.method} ${c.path}`));
    const missing = Object.entries(doc.paths)
      .filter(
        ([path]) =>
          path.startsWith("/api/v1/") && path.includes("{id}") && !path.startsWith("/api/v1/public/"),
      )
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((route) => !covered.has(route));
    assert.deepEqual(missing, []);
  });

  test("another workspace's ids answer 404 and leak nothing, even to an owner", async () => {
    for (const c of CASES) {
      const foreign = otherIds[kindOf(c.path)];
      const res = await send(t, acme.ownerToken, c, foreign, acmeIds);
      assert.equal(res.statusCode, 404, `${c.method} ${c.path}: ${res.body}`);
      assert.ok(!res.body.includes("globex secret"), `${c.method} ${c.path} leaked data`);
    }
  });

  test("ids of a brand the agent is not assigned to answer 404", async () => {
    const brandScoped = CASES.filter((c) =>
      ["brand", "customer", "ticket", "attachment", "view"].includes(kindOf(c.path)),
    );
    for (const c of brandScoped) {
      if (c.method === "DELETE") continue; // agents may not delete at all (403 whatever the id)
      const kind = kindOf(c.path);
      const target =
        kind === "brand" ? acme.brandB : acmeBrandB[kind as "customer" | "ticket" | "attachment" | "view"];
      const res = await send(t, acme.agentToken, c, target, acmeIds);
      assert.equal(res.statusCode, 404, `${c.method} ${c.path}: ${res.body}`);
      assert.ok(!res.body.includes("acmeb secret"), `${c.method} ${c.path} leaked data`);
    }
  });

  test("foreign ids inside bodies are refused too", async () => {
    const merge = await call(t.app, acme.ownerToken, "POST", `/api/v1/customers/${acmeIds.customer}/merge`, {
      sourceCustomerId: otherIds.customer,
    });
    assert.equal(merge.statusCode, 404, merge.body);
    const ticketMerge = await call(
      t.app,
      acme.ownerToken,
      "POST",
      `/api/v1/tickets/${acmeIds.ticket}/merge`,
      { targetTicketId: otherIds.ticket },
    );
    assert.equal(ticketMerge.statusCode, 404, ticketMerge.body);
    const assign = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/tickets/${acmeIds.ticket}`, {
      assigneeId: other.agent.userId,
    });
    // A foreign assignee gets exactly the answer an id that exists nowhere gets: it reveals nothing.
    const nowhere = await call(t.app, acme.ownerToken, "PATCH", `/api/v1/tickets/${acmeIds.ticket}`, {
      assigneeId: "0190a000-0000-7000-8000-000000000000",
    });
    assert.equal(assign.statusCode, 400);
    assert.equal(assign.body, nowhere.body);
    const create = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets", {
      brandId: other.brandA,
      subject: "x",
      requester: { email: "x@example.com" },
      message: { body: "x" },
    });
    assert.equal(create.statusCode, 404, create.body);
    const attach = await call(t.app, acme.ownerToken, "POST", `/api/v1/tickets/${acmeIds.ticket}/messages`, {
      kind: "note",
      body: "x",
      attachmentIds: [otherIds.attachment],
    });
    assert.equal(attach.statusCode, 404, attach.body);
    const bulk = await call(t.app, acme.ownerToken, "POST", "/api/v1/tickets/bulk", {
      ticketIds: [otherIds.ticket],
      changes: { priority: "urgent" },
    });
    assert.equal(bulk.statusCode, 200);
    assert.equal(bulk.json().items[0].ok, false);
    const reorder = await call(t.app, acme.ownerToken, "POST", "/api/v1/views/reorder", {
      viewIds: [otherIds.view],
    });
    assert.equal(reorder.statusCode, 404, reorder.body);
    const foreignBrandView = await call(t.app, acme.ownerToken, "POST", "/api/v1/views", {
      name: "peek",
      filters: { brandId: [other.brandA] },
    });
    assert.equal(foreignBrandView.statusCode, 422, foreignBrandView.body);
    const counted = await call(t.app, acme.ownerToken, "GET", `/api/v1/views/counts?ids=${otherIds.view}`);
    assert.deepEqual(counted.json(), { counts: [] });
    const after = await call(t.app, other.ownerToken, "GET", `/api/v1/tickets/${otherIds.ticket}`);
    assert.equal(after.json().ticket.priority, "normal", "the other workspace's ticket is untouched");
  });

  test("lists and search never show another workspace's or an unassigned brand's records", async () => {
    for (const [token, hidden, hiddenTicket] of [
      [acme.ownerToken, "globex secret", otherIds.ticket],
      [acme.agentToken, "acmeb secret", acmeBrandB.ticket],
    ] as const) {
      const tickets = await call(t.app, token, "GET", "/api/v1/tickets?limit=100");
      assert.ok(!tickets.body.includes(hidden));
      const search = await call(t.app, token, "GET", `/api/v1/search?q=${encodeURIComponent(hidden)}`);
      assert.equal(search.statusCode, 200);
      assert.ok(
        !search.json().tickets.some((x: { id: string }) => x.id === hiddenTicket),
        "search shows no hidden ticket",
      );
      assert.ok(!search.body.includes(hidden));
      const views = await call(t.app, token, "GET", "/api/v1/views");
      assert.ok(!views.body.includes(hidden), "no hidden view is listed");
      for (const view of ["open", "unassigned"]) {
        const listed = await call(t.app, token, "GET", `/api/v1/views/${view}/tickets?limit=100`);
        assert.equal(listed.statusCode, 200);
        assert.ok(!listed.body.includes(hidden));
      }
    }
    const customers = await call(t.app, acme.agentToken, "GET", "/api/v1/customers?limit=100");
    assert.ok(!customers.body.includes("acmeb customer"));
  });

  test("a deleted ticket's files are gone with it", async () => {
    const r = await resources(acme, acme.brandA, "deleted");
    assert.equal(
      (await call(t.app, acme.ownerToken, "GET", `/api/v1/attachments/${r.attachment}`)).statusCode,
      200,
    );
    assert.equal(
      (await call(t.app, acme.ownerToken, "DELETE", `/api/v1/tickets/${r.ticket}`)).statusCode,
      204,
    );
    assert.equal(
      (await call(t.app, acme.ownerToken, "GET", `/api/v1/attachments/${r.attachment}`)).statusCode,
      404,
    );
    const upload = await call(
      t.app,
      acme.ownerToken,
      "POST",
      `/api/v1/tickets/${r.ticket}/attachments`,
      multipartFile,
      { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    );
    assert.equal(upload.statusCode, 404);
  });
});
