import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { TRealtimeEvent, TTicket } from "@switchboard/contracts";
// The staff app's client, run here against the real server with Node's own (browser-like) WebSocket.
import { createRealtime, type TSocketConstructor } from "../../../../web/src/realtime/socket.ts";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";

/** Polls a condition until it holds, or fails naming it. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Node's WebSocket with headers (a browser sends the cookie by itself). */
const socketWith = (headers: Record<string, string>): TSocketConstructor =>
  class extends WebSocket {
    constructor(url: string) {
      super(url, { headers });
    }
  } as unknown as TSocketConstructor;

describe("the staff app's realtime client against the server", () => {
  let t: TTestApp;
  let tenant: TTenant;
  let url: string;

  before(async () => {
    t = await createTestApp({}, { realtime: { sessionCheckMs: 300 } });
    tenant = await seedTenant(t.services);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    url = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/v1/realtime`;
  });
  after(() => t.close());

  const createTicket = async () => {
    const res = await call(t.app, tenant.ownerToken, "POST", "/api/v1/tickets", {
      brandId: tenant.brandA,
      subject: "Live",
      requester: { email: `c-${Math.random().toString(36).slice(2, 8)}@example.net` },
      message: { body: "Hello" },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().ticket as TTicket;
  };

  test("receives events, comes back by itself after the connection drops, and asks to refetch", async () => {
    const live = createRealtime({
      url,
      WebSocket: socketWith({ authorization: `Bearer ${tenant.agentToken}` }),
      backoffBaseMs: 100,
    });
    const events: TRealtimeEvent[] = [];
    let reconnects = 0;
    live.onEvent((e) => events.push(e));
    live.onReconnect(() => reconnects++);
    live.subscribe("tickets");
    await until("online", () => live.status === "online");
    const first = await createTicket();
    await until("the first ticket's event", () => events.some((e) => e.ticketId === first.id));

    for (const client of t.app.websocketServer.clients) client.terminate();
    await until("a reconnect, subscribed again", () => reconnects === 1);
    assert.equal(live.status, "online");
    const second = await createTicket();
    await until("an event after the reconnect", () => events.some((e) => e.ticketId === second.id));
    live.close();
    await until("closed", () => t.services.realtime.connectionCount() === 0);
  });

  test("tells presence and sees it; a signed-out session ends it for good", async () => {
    const email = `u-${Math.random().toString(36).slice(2, 8)}@acme.test`;
    await t.services.users.createUser(tenant.owner, {
      email,
      name: "Ines Agent",
      role: "agent",
      password: "correct horse battery",
      locale: "en",
      timeZone: "UTC",
      brandIds: [tenant.brandA],
      groupIds: [],
    });
    const login = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email, password: "correct horse battery" },
    });
    const cookie = `sb_session=${login.cookies.find((c) => c.name === "sb_session")?.value}`;
    const ticket = await createTicket();
    const ines = createRealtime({ url, WebSocket: socketWith({ cookie }) });
    const owner = createRealtime({
      url,
      WebSocket: socketWith({ authorization: `Bearer ${tenant.ownerToken}` }),
    });
    let seen: string[] = [];
    owner.onPresence((ticketId, users) => {
      if (ticketId === ticket.id) seen = users.map((u) => `${u.name}:${u.state}`);
    });
    owner.subscribe(`ticket:${ticket.id}`);
    ines.subscribe(`ticket:${ticket.id}`);
    ines.setPresence(ticket.id, "typing");
    await until("Ines typing, seen by the owner", () => seen.includes("Ines Agent:typing"));

    let ended = 0;
    ines.onSessionEnded(() => ended++);
    const out = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { cookie, "x-csrf-token": login.json().csrfToken },
    });
    assert.equal(out.statusCode, 204);
    await until("the session ended", () => ended === 1);
    assert.equal(ines.status, "offline");
    await until("Ines gone from the ticket", () => seen.length === 0);
    owner.close();
  });
});
