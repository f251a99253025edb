import fs from "node:fs";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import type { TInboundStore, TRecipient } from "./inbound-store.ts";

export type TSmtpListenerOptions = {
  port: number;
  host: string;
  tls: { key: string; cert: string } | null;
  maxMessageBytes: number;
  /** The name we greet with (the public host name). */
  hostname: string;
  log: (msg: string, err?: unknown) => void;
};

/** An SMTP answer: the client retries a 4xx later and gives up on a 5xx. */
const reply = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

type TSession = SMTPServerSession & { recipients?: TRecipient[] };

/**
 * The built-in MX: recipients that are not support addresses are refused at RCPT (550), and the
 * 250 after DATA is given only once the raw mail is committed to the database with its job.
 * STARTTLS is offered when a certificate is configured.
 */
export function createSmtpListener(store: TInboundStore, opts: TSmtpListenerOptions) {
  const server = new SMTPServer({
    name: opts.hostname,
    banner: "Switchboard",
    size: opts.maxMessageBytes,
    authOptional: true,
    disabledCommands: opts.tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    ...(opts.tls ? { key: fs.readFileSync(opts.tls.key), cert: fs.readFileSync(opts.tls.cert) } : {}),
    logger: false,
    maxClients: 200,
    socketTimeout: 60_000,
    // On shutdown, sessions still open get a moment to finish, then are closed.
    closeTimeout: 3_000,
    // A connection may carry several transactions: each starts with no recipients.
    onMailFrom(_address, session: TSession, callback) {
      session.recipients = [];
      callback();
    },
    onRcptTo(address, session: TSession, callback) {
      store
        .resolveRecipient(address.address)
        .then((recipient) => {
          if (!recipient) return callback(reply(550, `5.1.1 <${address.address}>: no such mailbox here`));
          session.recipients = [...(session.recipients ?? []), recipient];
          callback();
        })
        .catch((err: unknown) => {
          opts.log("smtp: recipient lookup failed", err);
          callback(reply(451, "4.3.0 Temporary failure, please try again later"));
        });
    },
    onData(stream, session: TSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on("error", (err) => {
        opts.log("smtp: data stream failed", err);
        callback(reply(451, "4.3.0 Temporary failure, please try again later"));
      });
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          return callback(reply(552, `5.3.4 Message too big, the limit is ${opts.maxMessageBytes} bytes`));
        }
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        store
          .store(raw, { from, recipients: session.recipients ?? [], source: "smtp" })
          .then(() => callback(null, "2.0.0 Stored"))
          .catch((err: unknown) => {
            opts.log("smtp: storing a message failed", err);
            callback(reply(451, "4.3.0 Could not store the message, please try again later"));
          });
      });
    },
  });
  // A client that misbehaves is its own problem; the listener carries on.
  server.on("error", (err) => opts.log("smtp: connection error", err));

  return {
    server,
    listen: () =>
      new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(opts.port, opts.host, () => {
          server.off("error", reject);
          const address = server.server.address();
          resolve(typeof address === "object" && address ? address.port : opts.port);
        });
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type TSmtpListener = ReturnType<typeof createSmtpListener>;
