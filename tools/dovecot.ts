import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ImapFlow } from "imapflow";

/**
 * A private Dovecot (Debian's `dovecot-imapd`) for IMAP tests: its own config, port, passwords,
 * maildirs, state and log in one temp folder, so several can run at once and /etc/dovecot is never
 * read. Installs the package with apt-get when it is missing. Password logins (PLAIN, LOGIN) come
 * from a passwd-file; OAuth2 logins (XOAUTH2, and OAUTHBEARER when asked for) are checked by
 * Dovecot's oauth2 passdb against a token-introspection endpoint served from this process.
 */
const DOVECOT = "/usr/sbin/dovecot";
const START_TIMEOUT_MS = 30_000;
const run = promisify(execFile);

export type TOAuthMechanism = "xoauth2" | "oauthbearer";

export type TDovecot = {
  host: string;
  port: number;
  /** Implicit TLS (a self-signed certificate for 127.0.0.1) when started with `tls`; the plain port then offers STARTTLS. */
  tlsPort: number | null;
  /** The temp folder with the config, maildirs and `dovecot.log`. */
  dir: string;
  /** user name → password */
  users: ReadonlyMap<string, string>;
  addUser(name: string, password: string): Promise<void>;
  /** A token that Dovecot's oauth2 passdb accepts for `user` until revoked. */
  addAccessToken(user: string, token?: string): string;
  revokeAccessToken(token: string): void;
  /** IMAP APPEND as `user`; creates `folder` when missing. */
  appendMessage(
    user: string,
    raw: Buffer | string,
    folder?: string,
    flags?: string[],
  ): Promise<{ uid: number; uidValidity: string }>;
  /** A connected, logged-in client for `user`, closed after `fn`. */
  withClient<T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T>;
  /** Disconnects every IMAP session of `user` (`doveadm kick`), as a server restart or a network drop would. */
  kick(user: string): Promise<void>;
  /** The server's log so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

let installing: Promise<void> | null = null;

/** apt-get install dovecot-imapd, once per process, when /usr/sbin/dovecot is missing. */
export function ensureDovecotInstalled(): Promise<void> {
  if (fs.existsSync(DOVECOT)) return Promise.resolve();
  installing ??= (async () => {
    if (process.getuid?.() !== 0) {
      throw new Error(`${DOVECOT} is missing: install it with "apt-get install dovecot-imapd" (as root)`);
    }
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = () =>
      run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "dovecot-imapd"], {
        env,
        maxBuffer: 64 << 20,
      });
    try {
      await install();
    } catch {
      // The package lists may be missing or stale: refresh them once.
      await run("apt-get", ["update", "-qq"], { env, maxBuffer: 64 << 20 });
      await install();
    }
    if (!fs.existsSync(DOVECOT)) throw new Error(`apt-get installed dovecot-imapd but ${DOVECOT} is missing`);
  })();
  return installing;
}

type TAccount = { name: string; uid: number; gid: number };

function systemAccount(name: string): TAccount | null {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(":");
  return { name, uid: Number(uid), gid: Number(gid) };
}

/** Dovecot refuses uid 0 for mail and runs its login processes as an unprivileged user. */
function accounts() {
  const me = os.userInfo();
  if (me.uid !== 0) {
    const self = { name: me.username, uid: me.uid, gid: me.gid };
    return { mail: self, login: self, internal: self, root: false };
  }
  const nobody = systemAccount("nobody") ?? { name: "nobody", uid: 65534, gid: 65534 };
  // Both come with the dovecot-core package.
  const login = systemAccount("dovenull") ?? nobody;
  const internal = systemAccount("dovecot") ?? nobody;
  return { mail: nobody, login, internal, root: true };
}

function dovecotConf(o: {
  dir: string;
  port: number;
  tlsPort: number | null;
  oauthMechanisms: TOAuthMechanism[];
}): string {
  const a = accounts();
  const mechanisms = ["plain", "login", ...o.oauthMechanisms].join(" ");
  return `# Written by tools/dovecot.ts for one test run; nothing here is read from /etc/dovecot.
base_dir = ${o.dir}/run
state_dir = ${o.dir}/state
instance_name = sb-dovecot-${o.port}
log_path = ${o.dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
${o.tlsPort ? `ssl = yes\nssl_cert = <${o.dir}/cert.pem\nssl_key = <${o.dir}/key.pem` : "ssl = no"}
disable_plaintext_auth = no
auth_mechanisms = ${mechanisms}
auth_failure_delay = 0
# IDLE notices new mail through inotify; without it (some containers), check every second.
mailbox_idle_check_interval = 1 secs
first_valid_uid = ${a.mail.uid}
first_valid_gid = ${a.mail.gid}
default_internal_user = ${a.internal.name}
default_login_user = ${a.login.name}
mail_location = maildir:${o.dir}/mail/%u
passdb {
  driver = passwd-file
  mechanisms = plain login
  # One file per user: Dovecot re-reads a changed passwd-file at most once a second, so a user
  # added right after another's login would be unknown; a new file is read on first lookup.
  args = scheme=PLAIN username_format=%u ${o.dir}/passwd/%u
}
${
  o.oauthMechanisms.length
    ? `passdb {
  driver = oauth2
  mechanisms = ${o.oauthMechanisms.join(" ")}
  args = ${o.dir}/oauth2.conf.ext
}
`
    : ""
}userdb {
  driver = static
  args = uid=${a.mail.uid} gid=${a.mail.gid} home=${o.dir}/mail/%u
}
# No auth penalty: failed logins in tests must not slow the next ones down (2 s, 4 s, 8 s...).
# The auth process runs unprivileged and cannot open a mode-0 socket, so it skips the penalty.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
${a.root ? "" : "  chroot =\n"}  inet_listener imap {
    address = 127.0.0.1
    port = ${o.port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${o.tlsPort ?? 0}
  }
}
`;
}

/** Serves RFC 7662-style introspection (`POST token=...`) for Dovecot's oauth2 passdb. */
async function startIntrospection(tokens: Map<string, string>) {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const token = new URLSearchParams(body).get("token") ?? "";
      const username = tokens.get(token);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(username ? { active: true, username } : { active: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/introspect`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Resolves once the server greets with its capabilities (the auth process is up), or fails. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let seen = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("data", (chunk) => {
      seen += chunk.toString("latin1");
      if (/^\* OK \[CAPABILITY /m.test(seen)) done(true);
    });
  });
}

export async function startDovecot(
  opts: {
    /** Default XOAUTH2 only, as Microsoft 365 offers; with OAUTHBEARER too imapflow picks that. */
    oauthMechanisms?: TOAuthMechanism[];
    /** Also listen with implicit TLS on `tlsPort`, with a fresh self-signed certificate. */
    tls?: boolean;
    /** Appended to the config, e.g. "auth_debug = yes" while chasing a login problem. */
    extraConfig?: string;
  } = {},
): Promise<TDovecot> {
  await ensureDovecotInstalled();
  const oauthMechanisms = opts.oauthMechanisms ?? ["xoauth2"];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-dovecot-"));
  // The mail processes run as an unprivileged user and must reach dir/mail.
  fs.chmodSync(dir, 0o755);
  const { mail } = accounts();
  // passwd/ is read by the unprivileged auth process; these are throwaway test passwords.
  for (const sub of ["run", "state", "mail", "passwd"]) fs.mkdirSync(path.join(dir, sub), { mode: 0o755 });
  if (process.getuid?.() === 0) fs.chownSync(path.join(dir, "mail"), mail.uid, mail.gid);
  const logFile = path.join(dir, "dovecot.log");
  const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "");

  const users = new Map<string, string>();
  const tokens = new Map<string, string>();
  const introspection = await startIntrospection(tokens);
  fs.writeFileSync(
    path.join(dir, "oauth2.conf.ext"),
    [
      "introspection_mode = post",
      `introspection_url = ${introspection.url}`,
      "username_attribute = username",
      "username_format = %u",
      "active_attribute = active",
      "active_value = true",
      "force_introspection = yes",
      "timeout_msecs = 5000",
      "",
    ].join("\n"),
  );

  let child: ChildProcess | null = null;
  let port = 0;
  let tlsPort: number | null = null;
  if (opts.tls) {
    try {
      // An EC key: made in milliseconds, where RSA takes most of a second.
      const args =
        `req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost
        -addext subjectAltName=IP:127.0.0.1,DNS:localhost`.split(/\s+/);
      await run("openssl", [
        ...args,
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ]);
    } catch (err) {
      await introspection.close();
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }
  // Dovecot runs in its own process group: killing the group ends the master and every child at
  // once (a SIGTERM to the master alone takes a second to wind down, and the data is thrown away).
  const killGroup = (proc: ChildProcess) => {
    try {
      if (proc.pid) process.kill(-proc.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const killOnExit = () => child && killGroup(child);
  process.once("exit", killOnExit);
  const cleanup = async () => {
    process.off("exit", killOnExit);
    if (child && child.exitCode === null && child.signalCode === null) {
      const proc = child;
      const exited = new Promise((r) => proc.once("exit", r));
      killGroup(proc);
      await exited;
    }
    await introspection.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    // A free port can be taken between probing and binding: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      tlsPort = null;
      while (opts.tls && (tlsPort === null || tlsPort === port)) tlsPort = await freePort();
      const conf = path.join(dir, "dovecot.conf");
      fs.writeFileSync(conf, dovecotConf({ dir, port, tlsPort, oauthMechanisms }) + (opts.extraConfig ?? ""));
      fs.rmSync(logFile, { force: true });
      let stderr = "";
      const proc = spawn(DOVECOT, ["-F", "-c", conf], {
        stdio: ["ignore", "ignore", "pipe"],
        detached: true,
      });
      child = proc;
      proc.stderr?.on("data", (d) => {
        stderr += d;
      });
      const exited = new Promise<void>((r) => proc.once("exit", () => r()));
      let up = false;
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!up && proc.exitCode === null && proc.signalCode === null && Date.now() < deadline) {
        up = await greets(port);
        if (!up) await new Promise((r) => setTimeout(r, 50));
      }
      if (up) break;
      killGroup(proc);
      await exited;
      const why = `${stderr}\n${readLog()}`.trim();
      if (attempt < 3 && /address already in use/i.test(why)) continue;
      throw new Error(`Dovecot did not start on 127.0.0.1:${port}:\n${why}`);
    }
  } catch (err) {
    await cleanup();
    throw err;
  }

  const connect = async (user: string) => {
    const pass = users.get(user);
    if (pass === undefined) throw new Error(`no such Dovecot user: ${user}`);
    const client = new ImapFlow({
      host: "127.0.0.1",
      port,
      secure: false,
      auth: { user, pass },
      logger: false,
      disableAutoIdle: true,
      // With `tls` the plain port offers STARTTLS, with our self-signed certificate.
      tls: { rejectUnauthorized: false },
    });
    client.on("error", () => {});
    await client.connect();
    return client;
  };
  const withClient = async <T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = await connect(user);
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  return {
    host: "127.0.0.1",
    port,
    tlsPort,
    dir,
    users,
    async addUser(name, password) {
      if (!/^[\w.@+-]+$/.test(name) || /[:\n]/.test(password)) {
        throw new Error(`a test user name is letters, digits and ._@+- and a password has no ':' (${name})`);
      }
      if (users.has(name)) throw new Error(`Dovecot user ${name} exists already`);
      users.set(name, password);
      fs.writeFileSync(path.join(dir, "passwd", name), `${name}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
    },
    addAccessToken(user, token = `tok-${user}-${Math.random().toString(36).slice(2)}`) {
      tokens.set(token, user);
      return token;
    },
    revokeAccessToken(token) {
      tokens.delete(token);
    },
    appendMessage(user, raw, folder = "INBOX", flags = []) {
      return withClient(user, async (client) => {
        if (folder !== "INBOX" && !(await client.list()).some((m) => m.path === folder)) {
          await client.mailboxCreate(folder);
        }
        const res = await client.append(folder, raw, flags);
        if (res === false || !res.uid || res.uidValidity === undefined) {
          throw new Error(`APPEND to ${user}/${folder} returned no UID`);
        }
        return { uid: res.uid, uidValidity: String(res.uidValidity) };
      });
    },
    withClient,
    async kick(user) {
      await run("doveadm", ["-c", path.join(dir, "dovecot.conf"), "kick", user]);
    },
    log: readLog,
    stop: cleanup,
  };
}
