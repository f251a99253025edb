import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

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
