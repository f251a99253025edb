import type { FastifyInstance } from "fastify";
import type { LogEvent } from "kysely";
import client from "prom-client";

/** One registry per app instance, so tests that build several apps do not collide. */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const http = new client.Histogram({
    name: "switchboard_http_request_duration_seconds",
    help: "HTTP request duration by route, method and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const db = new client.Histogram({
    name: "switchboard_db_query_duration_seconds",
    help: "Database query duration by outcome",
    labelNames: ["outcome"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  return {
    registry,
    /** A gauge read when scraped (e.g. open websockets). */
    gauge(name: string, help: string, read: () => number) {
      new client.Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    },
    observeQuery(event: LogEvent) {
      db.observe({ outcome: event.level === "error" ? "error" : "ok" }, event.queryDurationMillis / 1000);
    },
    register(app: FastifyInstance) {
      app.addHook("onResponse", async (req, reply) => {
        http.observe(
          {
            method: req.method,
            route: req.routeOptions.url ?? "unmatched",
            status: String(reply.statusCode),
          },
          reply.elapsedTime / 1000,
        );
      });
      app.get("/metrics", { schema: { hide: true } }, async (_req, reply) =>
        reply.type(registry.contentType).send(await registry.metrics()),
      );
    },
  };
}
export type TMetrics = ReturnType<typeof createMetrics>;
