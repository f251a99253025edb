import type { TDb } from "../../db/connection.ts";
import type { TAuditChange } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";

export type TAuditActor = { type: "user" | "customer" | "system"; id: string | null };
export type TAuditEntry = {
  entityType: "ticket" | "customer" | "user" | "brand";
  entityId: string;
  action: string;
  actor: TAuditActor;
  changes: TAuditChange[];
  at: Date;
};

/** Written in the same transaction as the change it describes. */
export async function recordAudit(db: TDb, workspaceId: string, entries: TAuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto("audit_events")
    .values(
      entries.map((e) => ({
        workspace_id: workspaceId,
        id: newId(),
        entity_type: e.entityType,
        entity_id: e.entityId,
        action: e.action,
        actor_type: e.actor.type,
        actor_id: e.actor.id,
        changes: JSON.stringify(e.changes),
        created_at: e.at,
      })),
    )
    .execute();
}

export const listAudit = (
  db: TDb,
  workspaceId: string,
  entityType: string,
  entityId: string,
  opts: { after?: { at: Date; id: string }; limit: number },
) =>
  db
    .selectFrom("audit_events")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("entity_type", "=", entityType)
    .where("entity_id", "=", entityId)
    .$if(opts.after !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb("created_at", ">", opts.after?.at as Date),
          eb.and([eb("created_at", "=", opts.after?.at as Date), eb("id", ">", opts.after?.id as string)]),
        ]),
      ),
    )
    .orderBy("created_at")
    .orderBy("id")
    .limit(opts.limit + 1)
    .execute();

/** The field-by-field difference between two snapshots, for the audit trail. */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): TAuditChange[] {
  return Object.keys(after)
    .filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}
