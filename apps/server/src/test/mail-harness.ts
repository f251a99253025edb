import nodemailer from "nodemailer";
import { startMailCatcher, type TMailCatcher } from "../../../../tools/mail-catcher.ts";
import { startBackground, type TBackground } from "../background.ts";
import { createTestApp, seedTenant, type TTenant, type TTestApp } from "./test-app.ts";

export {
  startMailCatcher,
  type TCaughtMail,
  type TMailCatcher,
  waitFor,
} from "../../../../tools/mail-catcher.ts";

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
