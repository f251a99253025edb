import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { call, createTestApp, seedTenant, type TTenant, type TTestApp } from "../../test/test-app.ts";
import { claimAttachments, listAttachmentsForMessages } from "./index.ts";
import { createTestTicket, multipartBody, type TPart } from "./test-support.ts";

// The first bytes of a PNG: enough for the type to be sniffed from the content.
const PNG = Buffer.concat([
  Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex"),
  Buffer.alloc(64, 7),
]);

const filesOnDisk = (dir: string): string[] =>
  fs.existsSync(dir)
    ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter(
        (f) => !f.startsWith("tmp") && fs.statSync(path.join(dir, f)).isFile(),
      )
    : [];

describe("attachments", () => {
  let t: TTestApp;
  let tenant: TTenant;
  let other: TTenant;
  let ticketA: string;
  let ticketB: string;
  let otherTicket: string;

  const upload = (token: string, ticketId: string, parts: TPart[]) => {
    const { payload, headers } = multipartBody(parts);
    return t.app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticketId}/attachments`,
      headers: { ...headers, authorization: `Bearer ${token}` },
      payload,
    });
  };

  before(async () => {
    // A small limit (about 10 KB) lets the 413 test run on this same app.
    t = await createTestApp({ SWITCHBOARD_MAX_ATTACHMENT_MB: "0.01" });
    tenant = await seedTenant(t.services);
    other = await seedTenant(t.services, "globex");
    ticketA = await createTestTicket(t.services, tenant.owner, tenant.brandA);
    ticketB = await createTestTicket(t.services, tenant.owner, tenant.brandB);
    otherTicket = await createTestTicket(t.services, other.owner, other.brandA);
  });
  after(() => t.close());

  test("an upload downloads again byte for byte, with its sniffed type and its name", async () => {
    const res = await upload(tenant.agentToken, ticketA, [
      { name: "file", filename: "Factură ș.png", contentType: "text/plain", content: PNG },
      { name: "file", filename: "notes.txt", contentType: "text/plain", content: "hello" },
    ]);
    assert.equal(res.statusCode, 201);
    const [png, txt] = res.json().items;
    assert.equal(png.filename, "Factură ș.png");
    assert.equal(png.contentType, "image/png", "the declared type is not trusted");
    assert.equal(png.sizeBytes, PNG.length);
    assert.equal(png.url, `/api/v1/attachments/${png.id}`);
    assert.equal(txt.contentType, "text/plain");

    const got = await call(t.app, tenant.agentToken, "GET", png.url);
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.rawPayload, PNG);
    assert.equal(got.headers["content-type"], "image/png");
    assert.equal(got.headers["content-length"], String(PNG.length));
    assert.match(String(got.headers["cache-control"]), /private/);
    assert.equal(
      got.headers["content-disposition"],
      `inline; filename="Factur_ _.png"; filename*=UTF-8''${encodeURIComponent("Factură ș.png")}`,
    );
  });

  test("the same content uploaded twice is kept once on disk", async () => {
    const content = Buffer.from(`same bytes ${Math.random()}`);
    const before = filesOnDisk(t.config.attachmentsDir).length;
    const first = await upload(tenant.ownerToken, ticketA, [{ name: "f", filename: "a.txt", content }]);
    const second = await upload(tenant.ownerToken, ticketB, [{ name: "f", filename: "b.txt", content }]);
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.notEqual(first.json().items[0].id, second.json().items[0].id);
    assert.equal(filesOnDisk(t.config.attachmentsDir).length, before + 1);
    assert.deepEqual(filesOnDisk(path.join(t.config.attachmentsDir, "tmp")), []);
  });

  test("an HTML or SVG file is offered as a download, never shown inline", async () => {
    const res = await upload(tenant.agentToken, ticketA, [
      {
        name: "f",
        filename: "invoice.pdf",
        contentType: "application/pdf",
        content: "<!DOCTYPE html><script>alert(1)</script>",
      },
      { name: "f", filename: "logo.png", contentType: "image/png", content: '<svg onload="alert(1)"/>' },
    ]);
    const [html, svg] = res.json().items;
    assert.equal(html.contentType, "text/html");
    assert.equal(svg.contentType, "image/svg+xml");
    for (const item of [html, svg]) {
      const got = await call(t.app, tenant.agentToken, "GET", item.url);
      assert.equal(got.headers["content-type"], "application/octet-stream");
      assert.match(String(got.headers["content-disposition"]), /^attachment;/);
      assert.equal(got.headers["x-content-type-options"], "nosniff");
    }
  });

  test("file names lose path separators and control characters", async () => {
    const res = await upload(tenant.agentToken, ticketA, [
      { name: "f", filename: "..\\../etc/pass\u0007wd\u202egpj.exe", content: "x" },
    ]);
    assert.equal(res.json().items[0].filename, "passwdgpj.exe");
    const stored = await t.services.attachments.storeAttachment(tenant.owner.workspaceId, ticketA, {
      filename: "..\\../etc/pass\u0007wd\u202egpj.exe",
      content: Buffer.from("x"),
    });
    assert.equal(stored.filename, "....etcpasswdgpj.exe");
    const long = await t.services.attachments.storeAttachment(tenant.owner.workspaceId, ticketA, {
      filename: `${"ă".repeat(300)}.pdf`,
      content: Buffer.from("x"),
    });
    assert.equal(long.filename, `${"ă".repeat(251)}.pdf`);
  });

  test("a file over the size limit is refused with 413", async () => {
    const before = filesOnDisk(t.config.attachmentsDir).length;
    const res = await upload(tenant.ownerToken, ticketA, [
      { name: "f", filename: "big.bin", content: Buffer.alloc(t.config.maxAttachmentBytes + 1, 1) },
    ]);
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, "payload_too_large");
    assert.equal(filesOnDisk(t.config.attachmentsDir).length, before, "nothing of it is kept");
    const exact = await upload(tenant.ownerToken, ticketA, [
      { name: "f", filename: "fits.bin", content: Buffer.alloc(t.config.maxAttachmentBytes, 2) },
    ]);
    assert.equal(exact.statusCode, 201);
  });

  test("another workspace's ticket or attachment answers 404", async () => {
    const theirs = await upload(other.ownerToken, otherTicket, [
      { name: "f", filename: "x.txt", content: "x" },
    ]);
    assert.equal(theirs.statusCode, 201);
    const got = await call(t.app, tenant.ownerToken, "GET", theirs.json().items[0].url);
    assert.equal(got.statusCode, 404);
    assert.equal(got.json().error.code, "attachment_not_found");
    const up = await upload(tenant.ownerToken, otherTicket, [{ name: "f", filename: "x.txt", content: "x" }]);
    assert.equal(up.statusCode, 404);
    assert.equal(up.json().error.code, "ticket_not_found");
  });

  test("an agent without the ticket's brand gets 404 for its uploads and downloads", async () => {
    const owners = await upload(tenant.ownerToken, ticketB, [{ name: "f", filename: "b.txt", content: "b" }]);
    const url = owners.json().items[0].url;
    assert.equal((await call(t.app, tenant.ownerToken, "GET", url)).statusCode, 200);
    assert.equal((await call(t.app, tenant.agentToken, "GET", url)).statusCode, 404);
    const up = await upload(tenant.agentToken, ticketB, [{ name: "f", filename: "x.txt", content: "x" }]);
    assert.equal(up.statusCode, 404);
  });

  test("an upload needs files, sent as multipart", async () => {
    const none = await upload(tenant.agentToken, ticketA, [{ name: "note", content: "no file here" }]);
    assert.equal(none.statusCode, 400);
    assert.equal(none.json().error.code, "no_files");
    const json = await call(t.app, tenant.agentToken, "POST", `/api/v1/tickets/${ticketA}/attachments`, {});
    assert.equal(json.statusCode, 415);
  });

  test("uploads are claimed by a message once, and listed per message", async () => {
    const res = await upload(tenant.agentToken, ticketA, [
      { name: "f", filename: "one.txt", content: "1" },
      { name: "f", filename: "two.txt", content: "2" },
    ]);
    const ids = res.json().items.map((i: { id: string }) => i.id);
    const db = t.database.db;
    const ws = tenant.owner.workspaceId;
    const messageId = crypto.randomUUID();
    await db
      .insertInto("messages")
      .values({
        workspace_id: ws,
        id: messageId,
        ticket_id: ticketA,
        kind: "reply",
        channel: "web",
        event: null,
      })
      .execute();
    await assert.rejects(
      claimAttachments(db, ws, ticketB, messageId, ids),
      (e: Error & { code?: string }) => e.code === "attachment_not_found",
      "uploads of another ticket cannot be claimed",
    );
    await db.transaction().execute((trx) => claimAttachments(trx, ws, ticketA, messageId, ids));
    await assert.rejects(
      claimAttachments(db, ws, ticketA, messageId, [ids[0]]),
      (e: Error & { code?: string }) => e.code === "attachment_not_found",
      "a claimed upload cannot be claimed again",
    );
    await assert.rejects(
      claimAttachments(db, other.owner.workspaceId, ticketA, messageId, ids),
      (e: Error & { code?: string }) => e.code === "attachment_not_found",
    );
    const listed = await listAttachmentsForMessages(db, ws, [messageId, crypto.randomUUID()]);
    assert.deepEqual(
      listed.get(messageId)?.map((a) => a.filename),
      ["one.txt", "two.txt"],
    );
    assert.equal(listed.size, 2);
    assert.equal(
      (await listAttachmentsForMessages(db, other.owner.workspaceId, [messageId])).get(messageId)?.length,
      0,
    );
  });
});
