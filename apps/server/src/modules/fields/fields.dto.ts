import type { TCategory, TCustomField } from "@switchboard/contracts";
import type { Selectable } from "kysely";
import type { CategoriesTable, CustomFieldsTable } from "../../db/schema.ts";

export const toCategoryDto = (row: Selectable<CategoriesTable>): TCategory => ({
  id: row.id,
  key: row.key,
  name: row.name,
  position: row.position,
  archived: row.archived,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export const toCustomFieldDto = (row: Selectable<CustomFieldsTable>): TCustomField => ({
  id: row.id,
  key: row.key,
  label: row.label,
  kind: row.kind,
  options: row.options,
  required: row.required,
  position: row.position,
  archived: row.archived,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
