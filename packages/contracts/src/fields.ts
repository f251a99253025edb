import { z } from "zod";
import { ZId, ZLine } from "./common.ts";

/** Keys are what APIs and forms send: lower-case letters, digits and underscores. */
export const ZFieldKey = z
  .string()
  .trim()
  .regex(
    /^[a-z][a-z0-9_]{0,49}$/,
    "Use 1-50 lower-case letters, digits or underscores, starting with a letter",
  );

const ZBoolQuery = z.enum(["true", "false"]).transform((v) => v === "true");

export const ZFieldListQuery = z.object({
  /** Archived entries are left out unless asked for. */
  includeArchived: ZBoolQuery.optional(),
});
export type TFieldListQuery = z.infer<typeof ZFieldListQuery>;

export const ZCategory = z.object({
  id: ZId,
  key: z.string(),
  name: z.string(),
  position: z.number().int(),
  archived: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TCategory = z.infer<typeof ZCategory>;

export const ZCreateCategory = z.strictObject({
  key: ZFieldKey,
  name: ZLine(100),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type TCreateCategory = z.infer<typeof ZCreateCategory>;

/** Rename, reorder or archive; the key stays, since API clients and forms send it. */
export const ZUpdateCategory = z.strictObject({
  name: ZLine(100).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  archived: z.boolean().optional(),
});
export type TUpdateCategory = z.infer<typeof ZUpdateCategory>;

export const CUSTOM_FIELD_KINDS = ["text", "number", "dropdown", "checkbox", "date"] as const;
export const ZCustomFieldKind = z.enum(CUSTOM_FIELD_KINDS);
export type TCustomFieldKind = z.infer<typeof ZCustomFieldKind>;

export const ZCustomField = z.object({
  id: ZId,
  key: z.string(),
  label: z.string(),
  kind: ZCustomFieldKind,
  /** The choices of a dropdown; empty for other kinds. */
  options: z.array(z.string()),
  /** Staff must fill it when they create a ticket (the public form does not ask for it). */
  required: z.boolean(),
  position: z.number().int(),
  archived: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TCustomField = z.infer<typeof ZCustomField>;

const ZOptions = z
  .array(ZLine(200))
  .min(1)
  .max(500)
  .refine((o) => new Set(o).size === o.length, "Options must be unique");

export const ZCreateCustomField = z
  .strictObject({
    key: ZFieldKey,
    label: ZLine(200),
    kind: ZCustomFieldKind,
    options: ZOptions.optional(),
    required: z.boolean().default(false),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.kind === "dropdown" && !f.options) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "A dropdown needs options" });
    }
    if (f.kind !== "dropdown" && f.options) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "Only dropdowns have options" });
    }
  });
export type TCreateCustomField = z.infer<typeof ZCreateCustomField>;

/** The kind and key stay; options can change for dropdowns only. */
export const ZUpdateCustomField = z.strictObject({
  label: ZLine(200).optional(),
  options: ZOptions.optional(),
  required: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  archived: z.boolean().optional(),
});
export type TUpdateCustomField = z.infer<typeof ZUpdateCustomField>;
