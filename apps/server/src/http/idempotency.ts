import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { TDb } from "../db/connection.ts";
import { AppError } from "../lib/app-error.ts";

const HEADER = "idempotency-key";
const KEY_RE = /^[\x21-\x7e]{1,200}$/;

const hashRequest = (req: FastifyRequest) =>
  createHash("sha256")
    .update(JSON.stringify(req.body ?? null))
    .digest("hex");

/**
 * Creating POSTs honour `Idempotency-Key`: the first answer is stored with the key, and a retry of
 * the same request gets the same answer instead of a second record. Keys are scoped to the workspace,
 * the route and the caller.
 */
export function createIdempotency(db: TDb) {
  return {
    async run<T>(
      req: FastifyRequest,
      reply: FastifyReply,
      status: number,
      create: () => Promise<T>,
      scopeOverride?: { workspaceId: string; caller: string },
    ): Promise<T> {
      const key = req.headers[HEADER];
      const workspaceId = scopeOverride?.workspaceId ?? req.actor?.workspaceId;
      if (typeof key !== "string" || !workspaceId) {
        reply.status(status);
        return create();
      }
      if (!KEY_RE.test(key))
        throw new AppError(
          "invalid_idempotency_key",
          "Idempotency-Key must be 1-200 visible ASCII characters",
          400,
        );
      // The concrete path, not the route pattern: one key on two tickets is two different requests.
      const scope = `${req.method} ${req.url.split("?")[0]} ${scopeOverride?.caller ?? req.actor?.userId}`;
      const requestHash = hashRequest(req);
      const previous = await db
        .selectFrom("idempotency_keys")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("scope", "=", scope)
        .where("key", "=", key)
        .executeTakeFirst();
      if (previous) {
        if (previous.request_hash !== requestHash) {
          throw new AppError(
            "idempotency_key_reused",
            "This Idempotency-Key was used with a different request",
            422,
          );
        }
        reply.header("idempotent-replayed", "true").status(previous.status_code);
        return previous.response as T;
      }
      const result = await create();
      await db
        .insertInto("idempotency_keys")
        .values({
          workspace_id: workspaceId,
          scope,
          key,
          request_hash: requestHash,
          status_code: status,
          response: JSON.stringify(result),
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      reply.status(status);
      return result;
    },
  };
}
export type TIdempotency = ReturnType<typeof createIdempotency>;
