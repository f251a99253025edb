import type {
  TCategory,
  TCreateCategory,
  TCreateCustomField,
  TCustomField,
  TUpdateCategory,
  TUpdateCustomField,
} from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import { requireAdmin, type TActor } from "../../lib/actor.ts";
import { badRequest, conflict, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { isUuid, newId } from "../../lib/ids.ts";
import { forgetFieldRules } from "./custom-field-values.ts";
import { toCategoryDto, toCustomFieldDto } from "./fields.dto.ts";
import * as repo from "./fields.repository.ts";

export type TFieldsDeps = { db: TDb; clock: TClock };

const keyTaken = (what: string) => conflict("key_taken", `Another ${what} already uses this key`);

/** Categories and custom ticket fields: everyone in the workspace reads them, owners and admins change them. */
export function createFieldsService({ db, clock }: TFieldsDeps) {
  return {
    async listCategories(actor: TActor, includeArchived = false): Promise<TCategory[]> {
      return (await repo.listCategories(db, actor.workspaceId, includeArchived)).map(toCategoryDto);
    },

    async createCategory(actor: TActor, input: TCreateCategory): Promise<TCategory> {
      requireAdmin(actor);
      const now = clock.now();
      const row = await repo.insertCategory(db, {
        workspace_id: actor.workspaceId,
        id: newId(),
        key: input.key,
        name: input.name,
        position: input.position ?? (await repo.nextPosition(db, "categories", actor.workspaceId)),
        created_at: now,
        updated_at: now,
      });
      if (!row) throw keyTaken("category");
      return toCategoryDto(row);
    },

    async updateCategory(actor: TActor, categoryId: string, patch: TUpdateCategory): Promise<TCategory> {
      const current = isUuid(categoryId)
        ? await repo.findCategory(db, actor.workspaceId, categoryId)
        : undefined;
      if (!current) throw notFound("category");
      requireAdmin(actor);
      const row = await repo.updateCategory(db, actor.workspaceId, categoryId, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.position !== undefined ? { position: patch.position } : {}),
        ...(patch.archived !== undefined ? { archived: patch.archived } : {}),
        updated_at: clock.now(),
      });
      if (!row) throw notFound("category");
      return toCategoryDto(row);
    },

    async listCustomFields(actor: TActor, includeArchived = false): Promise<TCustomField[]> {
      return (await repo.listCustomFields(db, actor.workspaceId, includeArchived)).map(toCustomFieldDto);
    },

    async createCustomField(actor: TActor, input: TCreateCustomField): Promise<TCustomField> {
      requireAdmin(actor);
      const now = clock.now();
      const row = await repo.insertCustomField(db, {
        workspace_id: actor.workspaceId,
        id: newId(),
        key: input.key,
        label: input.label,
        kind: input.kind,
        options: input.options ?? [],
        required: input.required,
        position: input.position ?? (await repo.nextPosition(db, "custom_fields", actor.workspaceId)),
        created_at: now,
        updated_at: now,
      });
      if (!row) throw keyTaken("custom field");
      forgetFieldRules(actor.workspaceId);
      return toCustomFieldDto(row);
    },

    async updateCustomField(
      actor: TActor,
      fieldId: string,
      patch: TUpdateCustomField,
    ): Promise<TCustomField> {
      const current = isUuid(fieldId)
        ? await repo.findCustomField(db, actor.workspaceId, fieldId)
        : undefined;
      if (!current) throw notFound("custom_field");
      requireAdmin(actor);
      if (patch.options !== undefined && current.kind !== "dropdown") {
        throw badRequest("options_not_allowed", "options: only dropdowns have options", { field: "options" });
      }
      const row = await repo.updateCustomField(db, actor.workspaceId, fieldId, {
        ...(patch.label !== undefined ? { label: patch.label } : {}),
        ...(patch.options !== undefined ? { options: patch.options } : {}),
        ...(patch.required !== undefined ? { required: patch.required } : {}),
        ...(patch.position !== undefined ? { position: patch.position } : {}),
        ...(patch.archived !== undefined ? { archived: patch.archived } : {}),
        updated_at: clock.now(),
      });
      if (!row) throw notFound("custom_field");
      forgetFieldRules(actor.workspaceId);
      return toCustomFieldDto(row);
    },
  };
}
export type TFieldsService = ReturnType<typeof createFieldsService>;
