import os from "node:os";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import websocket from "@fastify/websocket";
import { REALTIME_MAX_FRAME_BYTES } from "@switchboard/contracts";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { sql } from "kysely";
import type { TConfig } from "./config.ts";
import type { TDatabase } from "./db/connection.ts";
import { registerAuthHook, resolveCredential } from "./http/auth-hook.ts";
import { registerErrorHandler } from "./http/error-handler.ts";
import { createIdempotency } from "./http/idempotency.ts";
import { createMetrics, type TMetrics } from "./http/metrics.ts";
import { registerStaffApp } from "./http/staff-app.ts";
import { createJobQueue } from "./jobs/job-queue.ts";
import { systemClock, type TClock } from "./lib/clock.ts";
import { newId } from "./lib/ids.ts";
import { createOutbox } from "./lib/outbox.ts";
import {
  attachmentsRoutes,
  createAttachmentStore,
  createAttachmentsService,
} from "./modules/attachments/index.ts";
import { authRoutes, createAuthService } from "./modules/auth/index.ts";
import { brandsRoutes, createBrandsService } from "./modules/brands/index.ts";
import { createCustomersService, customersRoutes } from "./modules/customers/index.ts";
import {
  createEmailService,
  createImapGateway,
  createImapMailboxesService,
  createSupportAddressesService,
  emailRoutes,
  imapMailboxesRoutes,
  supportAddressesRoutes,
} from "./modules/email/index.ts";
import { createFieldsService, fieldsRoutes } from "./modules/fields/index.ts";
import { createPublicService, publicRoutes } from "./modules/public/index.ts";
import { createRealtimeService, realtimeRoutes, type TRealtimeOptions } from "./modules/realtime/index.ts";
import { createSearchService, searchRoutes } from "./modules/search/index.ts";
import { createTicketsService, ticketsRoutes } from "./modules/tickets/index.ts";
import { createUsersService, usersRoutes } from "./modules/users/index.ts";
import { createViewsService, viewsRoutes } from "./modules/views/index.ts";
import { createWorkspacesService } from "./modules/workspaces/index.ts";

export type TAppDeps = {
  config: TConfig;
  database: TDatabase;
  metrics?: TMetrics;
  clock?: TClock;
  /** Shorter realtime timings, for tests. */
  realtime?: Partial<TRealtimeOptions>;
};

/** Builds every service from its explicit dependencies: the one place that knows all modules. */
export function createServices({
  config,
  database,
  clock = systemClock,
  realtime: realtimeOptions,
}: TAppDeps) {
  const db = database.db;
  const outbox = createOutbox();
  const jobs = createJobQueue(database, (msg, err) => console.error(msg, err));
  const auth = createAuthService({ db, clock, sessionTtlMs: config.sessionTtlMs });
  const brands = createBrandsService({ db, clock });
  const users = createUsersService({ db, clock });
  const workspaces = createWorkspacesService({ db, clock });
  const customers = createCustomersService({ db, clock });
  const search = createSearchService({ db });
  const fields = createFieldsService({ db, clock });
  const tickets = createTicketsService({ db, clock, outbox });
  const views = createViewsService({ db, clock, tickets });
  const attachmentStore = createAttachmentStore({
    dir: config.attachmentsDir,
    maxBytes: config.maxAttachmentBytes,
  });
  const attachments = createAttachmentsService({ db, clock, store: attachmentStore });
  const publicPages = createPublicService({ db, clock, config, brands, tickets, attachments });
  const supportAddresses = createSupportAddressesService({ db, clock, brands });
  const email = createEmailService({
    db,
    clock,
    jobs,
    outbox,
    tickets: tickets.emailOps,
    attachments,
    attachmentStore,
    supportAddresses,
    config: {
      publicUrl: config.publicUrl,
      maxAttachmentBytes: config.maxAttachmentBytes,
      relayUrl: config.email.relayUrl,
    },
    log: (msg, err) => console.error(msg, err),
  });
  const realtime = createRealtimeService({
    database,
    outbox,
    authenticate: (credential) => resolveCredential(auth, credential),
    userName: async (actor) => (await auth.currentUser(actor)).name,
    ticketBrand: async (actor, ticketId) => (await tickets.getTicket(actor, ticketId)).brandId,
    log: (msg, err) => console.error(msg, err ?? ""),
    ...(realtimeOptions ? { options: realtimeOptions } : {}),
  });
  const imapMailboxes = createImapMailboxesService({ db, clock, brands });
  // Started by startBackground: every process reads its share of the IMAP mailboxes.
  const imapGateway = createImapGateway({
    db,
    clock,
    store: email.store,
    log: (msg, err) => console.error(msg, err),
    owner: `${os.hostname()}:${process.pid}:${newId().slice(-8)}`,
    leaseMs: 60_000,
  });
  return {
    realtime,
    imapMailboxes,
    imapGateway,
    jobs,
    email,
    auth,
    brands,
    supportAddresses,
    users,
    workspaces,
    attachments,
    customers,
    search,
    fields,
    tickets,
    views,
    publicPages,
    idempotency: createIdempotency(db),
  };
}
export type TServices = ReturnType<typeof createServices>;

export async function buildApp(deps: TAppDeps): Promise<{ app: FastifyInstance; services: TServices }> {
  const { config, database } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const services = createServices(deps);
  const app = Fastify({
    logger:
      config.logLevel === "silent"
        ? false
        : { level: config.logLevel, redact: ["req.headers.authorization", "req.headers.cookie"] },
    bodyLimit: config.maxBodyBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w.-]{1,100}$/.test(given) ? given : newId();
    },
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
  });
  registerErrorHandler(app);
  metrics.register(app);

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: config.maxBodyBytes });
  await app.register(rateLimit, { global: false });
  // One byte over the attachment limit, so the attachment store sees the excess and refuses the
  // file before it is kept (busboy would end a truncated stream as if it were complete).
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: config.maxAttachmentBytes + 1, files: 10, fields: 20, fieldSize: 100_000, parts: 40 },
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Switchboard API",
        version: "1",
        description: [
          "Customer support for online shops. Authenticate with a session cookie (plus X-CSRF-Token on writes) or `Authorization: Bearer <token>`.",
          "",
          // A websocket route has no place in OpenAPI (@fastify/websocket hides it): it is described here.
          "**Live updates**: a websocket at `GET /api/v1/realtime`, signed in like the API (closed with 4401 when it is not). JSON frames: send `{type:'subscribe', topic}` for `tickets`, `ticket:<id>` or `me`, `{type:'unsubscribe', topic}`, `{type:'presence', ticketId, state:'viewing'|'typing'|'left'}` and `{type:'ping'}`; receive `ready`, `subscribed`, `unsubscribed`, `error {code, message, topic?}`, `event {topic, event}` (`ticket.changed`, `message.created`, `user.mentioned`: ids only, refetch through this API), `presence {ticketId, users}`, `pong` and `resync` (refetch). The schemas are in `packages/contracts/src/realtime.ts`; docs/ARCHITECTURE.md explains the rules.",
        ].join("\n"),
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  // Before any route, so that it sees every upgrade request.
  await app.register(websocket, {
    options: { maxPayload: REALTIME_MAX_FRAME_BYTES, perMessageDeflate: false },
    // An unclean disconnect is routine for websockets, not an error to log loudly.
    errorHandler: (err, socket, req) => {
      req.log.debug({ err }, "websocket error");
      socket.terminate();
    },
    // Clients reconnect on 1001 (going away) and refetch what they missed.
    preClose(done) {
      const wss = this.websocketServer;
      for (const client of wss.clients) client.close(1001, "server shutting down");
      // Closed once every client answered the close, or cut off after a moment.
      const cutOff = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, 2_000);
      wss.close(() => {
        clearTimeout(cutOff);
        done();
      });
    },
  });
  registerAuthHook(app, services.auth);
  // Jobs are sent inside request transactions, which needs the queue started (its queue list cached).
  await services.jobs.start();
  app.addHook("onClose", () => services.jobs.stop());
  // LISTEN before serving, so that nothing committed after start is missed.
  await services.realtime.start();
  metrics.gauge(
    "switchboard_realtime_connections",
    "Open realtime websockets in this process",
    services.realtime.connectionCount,
  );
  app.addHook("onClose", () => services.realtime.stop());

  app.get("/api/v1/openapi.json", { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await registerStaffApp(app);
  app.get("/", { schema: { hide: true } }, async (_req, reply) => reply.redirect("/app/"));
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(database.db);
      return { status: "ready", database: database.kind };
    } catch {
      return reply.status(503).send({ status: "unavailable", database: database.kind });
    }
  });

  const cookieOptions = {
    secure: config.cookieSecure,
    maxAgeSeconds: Math.floor(config.sessionTtlMs / 1000),
  };
  await app.register(
    async (api) => {
      await api.register(authRoutes(services.auth, cookieOptions));
      await api.register(brandsRoutes(services.brands, services.idempotency));
      await api.register(supportAddressesRoutes(services.supportAddresses, services.idempotency));
      await api.register(emailRoutes(services.email, { maxMessageBytes: config.email.maxMessageBytes }));
      await api.register(imapMailboxesRoutes(services.imapMailboxes, services.idempotency));
      await api.register(usersRoutes(services.users, services.idempotency));
      await api.register(customersRoutes(services.customers, services.idempotency));
      await api.register(searchRoutes(services.search));
      await api.register(fieldsRoutes(services.fields, services.idempotency));
      await api.register(ticketsRoutes(services.tickets, services.idempotency));
      await api.register(viewsRoutes(services.views, services.idempotency));
      await api.register(attachmentsRoutes(services.attachments));
      await api.register(realtimeRoutes(services.realtime, { publicUrl: config.publicUrl }));
    },
    { prefix: "/api/v1" },
  );
  // The contact form and status pages (server-rendered HTML) and their form posts.
  await app.register(publicRoutes(services.publicPages, services.idempotency));
  return { app, services };
}
