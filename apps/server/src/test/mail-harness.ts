import { type ParsedMail, simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { startBackground, type TBackground } from "../background.ts";
import { createTestApp, seedTenant, type TTenant, type TTestApp } from "./test-app.ts";

/** A mail that reached the test's own SMTP server: its envelope, raw bytes and parsed form. */
export type TCaughtMail = { from: string; to: string[]; raw: Buffer; parsed: ParsedMail };

/**
 * An SMTP server the test runs to catch our outgoing mail. `reject` decides per recipient: a code
 * of 4xx or 5xx refuses it at RCPT as a real server would.
 */
export async function startMailCatcher(reject: (rcpt: string) => number | null = () => null) {
  const caught: TCaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = reject(address.address);
      if (code)
        return callback(Object.assign(new Error(`refused ${address.address}`), { responseCode: code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        caught.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          parsed: await simpleParser(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { port, caught, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
export type TMailCatcher = Awaited<ReturnType<typeof startMailCatcher>>;

/** Polls until the check returns a value (not undefined/null/false), or fails after the timeout. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type TMailTestApp = TTestApp & {
  tenant: TTenant;
  smtpPort: number;
  catcher: TMailCatcher;
  /** Brand A's support address, and brand B's. */
  addressA: string;
  addressB: string;
  background: TBackground;
  /** Delivers raw bytes to our SMTP listener, as an MTA would. */
  deliver(raw: string | Buffer, opts?: { from?: string; to?: string[] }): Promise<void>;
};

/** A test app with the SMTP listener on a free port, workers running, and a catcher as the relay. */
export async function createMailTestApp(
  opts: { reject?: (rcpt: string) => number | null; env?: Record<string, string> } = {},
): Promise<TMailTestApp> {
  const catcher = await startMailCatcher(opts.reject);
  const t = await createTestApp({
    SWITCHBOARD_SMTP_PORT: "0",
    SWITCHBOARD_SMTP_HOST: "127.0.0.1",
    SWITCHBOARD_SMTP_RELAY: `smtp://127.0.0.1:${catcher.port}`,
    PUBLIC_URL: "https://help.example.test",
    ...opts.env,
  });
  const tenant = await seedTenant(t.services, "mail");
  const suffix = Math.random().toString(36).slice(2, 8);
  const addressA = `help-${suffix}@shop-a.test`;
  const addressB = `help-${suffix}@shop-b.test`;
  await t.services.supportAddresses.createAddress(tenant.owner, tenant.brandA, {
    address: addressA,
    displayName: "Shop A",
    isDefault: true,
  });
  await t.services.supportAddresses.createAddress(tenant.owner, tenant.brandB, {
    address: addressB,
    displayName: "Shop B",
    isDefault: true,
  });
  const background = await startBackground(t.services, t.config, () => {}, { parallel: 2 });
  const smtpPort = background.smtpPort ?? 0;
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: smtpPort,
    secure: false,
    ignoreTLS: !opts.env?.SWITCHBOARD_SMTP_TLS_CERT,
    tls: { rejectUnauthorized: false },
    pool: true,
  });
  return {
    ...t,
    tenant,
    smtpPort,
    catcher,
    addressA,
    addressB,
    background,
    async deliver(raw, o = {}) {
      await transport.sendMail({
        envelope: { from: o.from ?? "sender@example.net", to: o.to ?? [addressA] },
        raw,
      });
    },
    async close() {
      transport.close();
      await background.stop();
      await catcher.close();
      await t.close();
    },
  };
}

/** A plain customer mail with the given headers; CRLF line endings, as on the wire. */
export function customerMail(h: {
  from: string;
  to: string;
  subject: string;
  body: string;
  messageId: string;
  inReplyTo?: string;
  cc?: string;
  extra?: string[];
}): string {
  return [
    `From: ${h.from}`,
    `To: ${h.to}`,
    ...(h.cc ? [`Cc: ${h.cc}`] : []),
    `Subject: ${h.subject}`,
    `Message-ID: <${h.messageId}>`,
    ...(h.inReplyTo ? [`In-Reply-To: <${h.inReplyTo}>`, `References: <${h.inReplyTo}>`] : []),
    "Date: Mon, 30 Nov 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    ...(h.extra ?? []),
    "",
    h.body,
    "",
  ].join("\r\n");
}
