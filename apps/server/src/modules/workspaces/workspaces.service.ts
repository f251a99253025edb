import type { TDb } from "../../db/connection.ts";
import type { TActor } from "../../lib/actor.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import { hashPassword } from "../auth/index.ts";
import { createTicketNumbering } from "../tickets/index.ts";

/** The categories a shop's support team starts with; editable per workspace. */
export const DEFAULT_CATEGORIES = [
  ["order_status", "Order status"],
  ["delivery", "Delivery"],
  ["return", "Return"],
  ["refund", "Refund"],
  ["payment", "Payment"],
  ["product_question", "Product question"],
  ["account", "Account"],
  ["technical", "Technical"],
  ["complaint", "Complaint"],
] as const;

export type TNewWorkspace = { name: string; owner: { email: string; name: string; password: string } };

export function createWorkspacesService({ db, clock }: { db: TDb; clock: TClock }) {
  return {
    async isEmpty(): Promise<boolean> {
      return (await db.selectFrom("workspaces").select("id").limit(1).executeTakeFirst()) === undefined;
    },

    async loginExists(email: string): Promise<boolean> {
      const row = await db
        .selectFrom("login_identities")
        .select("email")
        .where("email", "=", email.toLowerCase())
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Creates a workspace with its owner, ticket counter and default categories. Returns the owner as actor. */
    async createWorkspace(input: TNewWorkspace): Promise<TActor> {
      const workspaceId = newId();
      const ownerId = newId();
      const now = clock.now();
      const passwordHash = await hashPassword(input.owner.password);
      const email = input.owner.email.toLowerCase();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("workspaces")
          .values({ id: workspaceId, name: input.name, created_at: now, updated_at: now })
          .execute();
        await createTicketNumbering(trx, workspaceId);
        await trx
          .insertInto("users")
          .values({
            workspace_id: workspaceId,
            id: ownerId,
            email,
            name: input.owner.name,
            role: "owner",
            password_hash: passwordHash,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await trx
          .insertInto("login_identities")
          .values({ email, workspace_id: workspaceId, user_id: ownerId })
          .execute();
        await trx
          .insertInto("categories")
          .values(
            DEFAULT_CATEGORIES.map(([key, name], position) => ({
              workspace_id: workspaceId,
              id: newId(),
              key,
              name,
              position,
              created_at: now,
              updated_at: now,
            })),
          )
          .execute();
      });
      return { workspaceId, userId: ownerId, role: "owner", brandIds: null, via: "session" };
    },
  };
}
export type TWorkspacesService = ReturnType<typeof createWorkspacesService>;
