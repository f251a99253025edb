import net from "node:net";

/**
 * A lean SMTP client for load generation: one connection, EHLO once, then for each mail MAIL, RCPT and
 * DATA pipelined (RFC 2920) and the message. The benches share two cores with the server they
 * measure, and nodemailer as a load generator cost about 0.5 ms of CPU a mail (a stream pipeline per
 * message); this costs a tenth of that, like the C of an MTA that would be sending.
 */
export type TSmtpSession = {
  /** Resolves at the 250 after the message; rejects with the server's answer otherwise. */
  send(from: string, to: string, raw: Buffer): Promise<void>;
  close(): void;
};

type TReply = { code: number; text: string };

export async function openSmtp(port: number, host = "127.0.0.1"): Promise<TSmtpSession> {
  const socket = net.connect(port, host);
  socket.setNoDelay(true);
  const waiting: { resolve: (r: TReply) => void; reject: (e: Error) => void }[] = [];
  let buf = "";
  let failed: Error | null = null;
  const fail = (err: Error) => {
    failed ??= err;
    for (const w of waiting.splice(0)) w.reject(failed);
  };
  socket.on("error", fail);
  socket.on("close", () => fail(new Error("connection closed")));
  socket.on("data", (chunk: Buffer) => {
    buf += chunk.toString("latin1");
    // A reply ends with a line whose code is followed by a space (earlier lines have a hyphen).
    for (let m = /^(\d{3}) .*\r\n/m.exec(buf); m; m = /^(\d{3}) .*\r\n/m.exec(buf)) {
      const end = m.index + m[0].length;
      const text = buf.slice(0, end);
      buf = buf.slice(end);
      waiting.shift()?.resolve({ code: Number(m[1]), text });
    }
  });
  const reply = () =>
    new Promise<TReply>((resolve, reject) => {
      if (failed) reject(failed);
      else waiting.push({ resolve, reject });
    });
  const expect = async (pending: Promise<TReply>, code: number) => {
    const r = await pending;
    if (r.code !== code) throw Object.assign(new Error(r.text.trim()), { responseCode: r.code });
  };

  await expect(reply(), 220);
  const ehlo = reply();
  socket.write("EHLO bench.local\r\n");
  await expect(ehlo, 250);

  return {
    async send(from, to, raw) {
      const replies = Promise.all([reply(), reply(), reply()]);
      socket.write(`MAIL FROM:<${from}>\r\nRCPT TO:<${to}>\r\nDATA\r\n`);
      const [mail, rcpt, data] = await replies;
      if (data?.code === 354 && (mail?.code !== 250 || rcpt?.code !== 250)) {
        // The server took DATA after all: end it empty before giving up on this mail.
        const aborted = reply();
        socket.write(".\r\n");
        await aborted;
      }
      const refused = [mail, rcpt].find((r) => r?.code !== 250) ?? (data?.code === 354 ? null : data);
      if (refused) throw Object.assign(new Error(refused.text.trim()), { responseCode: refused.code });
      const text = raw.toString("latin1").replace(/(^|\r\n)\./g, "$1..");
      const done = reply();
      socket.write(Buffer.from(`${text}${text.endsWith("\r\n") ? "" : "\r\n"}.\r\n`, "latin1"));
      await expect(done, 250);
    },
    close() {
      socket.end("QUIT\r\n");
      socket.destroy();
    },
  };
}
