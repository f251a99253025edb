import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { TInboundEmail, TMessage } from "@switchboard/contracts";
import { createMailTestApp, type TMailTestApp, waitFor } from "../../test/mail-harness.ts";
import { call } from "../../test/test-app.ts";

/** Reads what the server says after connecting and after EHLO, over a plain socket. */
async function ehlo(port: number): Promise<string> {
  const socket = net.connect(port, "127.0.0.1");
  let text = "";
  socket.on("data", (d) => {
    text += d.toString();
  });
  await waitFor("greeting", () => text.includes("220"));
  socket.write("EHLO client.test\r\n");
  await waitFor("EHLO answer", () => /\r\n250 /.test(text));
  socket.end("QUIT\r\n");
  return text;
}

const PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

describe("the SMTP listener with TLS, limits and inline images", () => {
  let t: TMailTestApp;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=mx.test",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    t = await createMailTestApp({
      env: {
        SWITCHBOARD_SMTP_TLS_KEY: path.join(dir, "key.pem"),
        SWITCHBOARD_SMTP_TLS_CERT: path.join(dir, "cert.pem"),
        SWITCHBOARD_MAX_EMAIL_MB: "0.05",
        SWITCHBOARD_MAX_ATTACHMENT_MB: "0.01",
      },
    });
  });
  after(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("STARTTLS and the size limit are announced, AUTH is not", async () => {
    const answer = await ehlo(t.smtpPort);
    assert.match(answer, /250-STARTTLS/);
    assert.match(answer, /SIZE 52429/);
    assert.doesNotMatch(answer, /AUTH/);
  });

  test("a message over the size limit is refused with 552 and nothing is stored", async () => {
    const big = `From: a@example.net\r\nTo: ${t.addressA}\r\nSubject: big\r\nMessage-ID: <big@example.net>\r\n\r\n${"x".repeat(80_000)}\r\n`;
    await assert.rejects(t.deliver(big), (err: { responseCode?: number }) => err.responseCode === 552);
    const list = await call(t.app, t.tenant.ownerToken, "GET", "/api/v1/inbound-emails");
    assert.ok(!(list.json().items as TInboundEmail[]).some((i) => i.messageId === "big@example.net"));
  });

  test("inline images point at their attachments; a file over the limit is left out and named", async () => {
    const boundary = "rel-1";
    const mixed = "mix-1";
    const raw = [
      "From: Ion <ion@example.net>",
      `To: ${t.addressA}`,
      "Subject: Broken lid",
      "Message-ID: <inline-1@example.net>",
      "MIME-Version: 1.0",
      `Content-Type: multipart/mixed; boundary="${mixed}"`,
      "",
      `--${mixed}`,
      `Content-Type: multipart/related; boundary="${boundary}"`,
      "",
      `--${boundary}`,
      "Content-Type: text/html; charset=utf-8",
      "",
      '<p>See the photo:</p><img src="cid:photo@ion" alt="lid">',
      `--${boundary}`,
      "Content-Type: image/png",
      "Content-ID: <photo@ion>",
      "Content-Disposition: inline; filename=lid.png",
      "Content-Transfer-Encoding: base64",
      "",
      PIXEL.toString("base64"),
      `--${boundary}--`,
      `--${mixed}`,
      "Content-Type: application/pdf",
      "Content-Disposition: attachment; filename=manual.pdf",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.alloc(20_000, 1).toString("base64").replace(/.{76}/g, "$&\r\n"),
      `--${mixed}--`,
      "",
    ].join("\r\n");
    await t.deliver(raw);
    const record = await waitFor("processed", async () => {
      const list = await call(t.app, t.tenant.ownerToken, "GET", "/api/v1/inbound-emails");
      return (list.json().items as TInboundEmail[]).find(
        (i) => i.messageId === "inline-1@example.net" && i.ticketId,
      );
    });
    const thread = (
      await call(t.app, t.tenant.ownerToken, "GET", `/api/v1/tickets/${record.ticketId}/messages`)
    ).json().items as TMessage[];
    const first = thread[0];
    assert.deepEqual(
      first?.attachments.map((a) => a.filename),
      ["lid.png"],
    );
    assert.ok(first?.bodyHtml?.includes(`src="${first.attachments[0]?.url}"`), first?.bodyHtml ?? "");
    const tooLarge = thread.find((m) => m.event?.type === "attachments_too_large");
    assert.deepEqual(tooLarge?.event?.filenames, ["manual.pdf"]);
  });
});
