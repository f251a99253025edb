import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { TServerFrame, TTicket } from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../app.ts";
import { databaseFromUrl, type TDatabase } from "../../db/connection.ts";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import { isEvent, isType, readySocket, subscribe, type TTestSocket } from "../../test/ws-client.ts";

const addressOf = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

// Two server processes on one PostgreSQL: here two apps in one process, each with its own pool and
// its own LISTEN connection, which is all that the processes share.
describe("realtime across server processes", { skip: !process.env.DATABASE_URL && "PostgreSQL only" }, () => {
  let one: TTestApp;
  let two: { app: FastifyInstance; database: TDatabase };
  let tenant: TTenant;
  const sockets: TTestSocket[] = [];

  before(async () => {
    one = await createTestApp();
    tenant = await seedTenant(one.services);
    const url = one.database.url;
    assert.ok(url);
    const database = databaseFromUrl(url, 4);
    two = { app: (await buildApp({ config: one.config, database })).app, database };
    await one.app.listen({ port: 0, host: "127.0.0.1" });
    await two.app.listen({ port: 0, host: "127.0.0.1" });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await two.app.close();
    await two.database.close();
    await one.close();
  });

  const connect = async (app: FastifyInstance, token: string) => {
    const s = await readySocket(addressOf(app), { token });
    sockets.push(s);
    return s;
  };
  const createTicket = async (app: FastifyInstance) => {
    const res = await call(app, tenant.ownerToken, "POST", "/api/v1/tickets", {
      brandId: tenant.brandA,
      subject: "Across processes",
      requester: { email: `c-${Math.random().toString(36).slice(2, 8)}@example.net` },
      message: { body: "Hello" },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().ticket as TTicket;
  };

  test("an event written through one process reaches a client of the other", async () => {
    const s = await connect(two.app, tenant.agentToken);
    await subscribe(s, "tickets");
    const ticket = await createTicket(one.app);
    await s.next("the ticket created in process one", isEvent("tickets", "ticket.changed", ticket.id));
    await subscribe(s, `ticket:${ticket.id}`);
    const res = await call(one.app, tenant.ownerToken, "POST", `/api/v1/tickets/${ticket.id}/messages`, {
      kind: "note",
      body: "from process one",
    });
    assert.equal(res.statusCode, 201, res.body);
    await s.next("the note", isEvent(`ticket:${ticket.id}`, "message.created", ticket.id));
  });

  test("presence is shared: viewing in one process is seen in the other, and so is leaving", async () => {
    const ticket = await createTicket(one.app);
    const a = await connect(one.app, tenant.agentToken);
    const b = await connect(two.app, tenant.ownerToken);
    await subscribe(a, `ticket:${ticket.id}`);
    await subscribe(b, `ticket:${ticket.id}`);
    const withAgent = (state: string | null) => (f: TServerFrame) =>
      f.type === "presence" &&
      (state === null
        ? !f.users.some((u) => u.userId === tenant.agent.userId)
        : f.users.some((u) => u.userId === tenant.agent.userId && u.state === state));
    a.send({ type: "presence", ticketId: ticket.id, state: "viewing" });
    await b.next("A viewing, told across", withAgent("viewing"));
    a.send({ type: "presence", ticketId: ticket.id, state: "typing" });
    await b.next("A typing, told across", withAgent("typing"));
    a.close();
    await b.next("A gone, told across", withAgent(null));
  });

  test("a lost LISTEN connection comes back and tells its sockets to refetch", async () => {
    const s = await connect(two.app, tenant.ownerToken);
    await subscribe(s, "tickets");
    await two.database.executeSql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'switchboard-realtime' AND datname = current_database()`,
    );
    await s.next("resync", isType("resync"));
    const ticket = await createTicket(one.app);
    await s.next("an event after the reconnect", isEvent("tickets", "ticket.changed", ticket.id));
  });
});
