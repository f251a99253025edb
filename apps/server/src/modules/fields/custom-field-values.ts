import type { TCustomFieldKind } from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import { badRequest } from "../../lib/app-error.ts";
import { createTtlCache } from "../../lib/ttl-cache.ts";
import * as repo from "./fields.repository.ts";

export type TFieldRule = { key: string; kind: TCustomFieldKind; options: string[]; required: boolean };
export type TCustomFieldValues = Record<string, string | number | boolean>;
export type TValidateOptions = {
  /** Required fields must have a value (staff creating a ticket). Default true. */
  enforceRequired?: boolean;
};

const TEXT_MAX = 10_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const invalid = (key: string, message: string) =>
  badRequest("invalid_custom_field", `customFields.${key}: ${message}`, { field: `customFields.${key}` });

const isRealDate = (value: string) => {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};

function normalizeValue(rule: TFieldRule, value: unknown): string | number | boolean {
  switch (rule.kind) {
    case "text":
      if (typeof value !== "string") throw invalid(rule.key, "expected text");
      if (value.length > TEXT_MAX) throw invalid(rule.key, `at most ${TEXT_MAX} characters`);
      return value;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(rule.key, "expected a number");
      return value;
    case "checkbox":
      if (typeof value !== "boolean") throw invalid(rule.key, "expected true or false");
      return value;
    case "date":
      if (typeof value !== "string" || !isRealDate(value))
        throw invalid(rule.key, "expected a date YYYY-MM-DD");
      return value;
    case "dropdown":
      if (typeof value !== "string" || !rule.options.includes(value)) {
        throw invalid(rule.key, `expected one of: ${rule.options.join(", ")}`);
      }
      return value;
  }
}

/**
 * Checks values against the workspace's active fields; pure, for callers that loaded the rules.
 * A null value (or "" for text) means "no value" and is dropped from the result.
 */
export function checkCustomFields(
  rules: TFieldRule[],
  values: Record<string, unknown>,
  { enforceRequired = true }: TValidateOptions = {},
): TCustomFieldValues {
  const byKey = new Map(rules.map((r) => [r.key, r]));
  const out: TCustomFieldValues = {};
  for (const [key, value] of Object.entries(values)) {
    const rule = byKey.get(key);
    if (!rule) {
      throw badRequest("unknown_custom_field", `customFields.${key}: no such custom field`, {
        field: `customFields.${key}`,
      });
    }
    if (value === null || (rule.kind === "text" && value === "")) {
      if (rule.required) throw invalid(key, "this field is required");
      continue;
    }
    out[key] = normalizeValue(rule, value);
  }
  if (enforceRequired) {
    for (const rule of rules) {
      if (rule.required && !(rule.key in out)) {
        throw badRequest("custom_field_required", `customFields.${rule.key}: this field is required`, {
          field: `customFields.${rule.key}`,
        });
      }
    }
  }
  return out;
}

/**
 * Validates custom field values for a ticket and returns them normalized. 400 naming the field
 * (`customFields.<key>`) for an unknown or archived key, a wrong type, a dropdown value not in the
 * list, or (unless enforceRequired is false) a missing required field.
 */
export async function validateCustomFields(
  db: TDb,
  workspaceId: string,
  values: Record<string, unknown>,
  options: TValidateOptions = {},
): Promise<TCustomFieldValues> {
  const enforceRequired = options.enforceRequired ?? true;
  if (Object.keys(values).length === 0 && !enforceRequired) return {};
  return checkCustomFields(await activeFieldRules(db, workspaceId), values, { enforceRequired });
}

// Every ticket create needs the workspace's field rules; they change rarely. This process forgets
// them on change, other processes within the time to live.
const rulesCache = createTtlCache<TFieldRule[]>(5_000);

async function activeFieldRules(db: TDb, workspaceId: string): Promise<TFieldRule[]> {
  const cached = rulesCache.get(workspaceId);
  if (cached) return cached;
  const rules = await repo.listActiveFieldRules(db, workspaceId);
  rulesCache.set(workspaceId, rules);
  return rules;
}

export const forgetFieldRules = (workspaceId: string): void => rulesCache.delete(workspaceId);

/** The id of an active category by its key; 400 unknown_category naming the key otherwise. */
export async function resolveCategoryId(db: TDb, workspaceId: string, key: string): Promise<string> {
  const row = await repo.findCategoryByKey(db, workspaceId, key);
  if (!row || row.archived) {
    throw badRequest("unknown_category", `Unknown category "${key}"`, { field: "category", key });
  }
  return row.id;
}
