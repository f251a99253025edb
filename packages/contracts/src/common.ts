import { z } from "zod";

export const LOCALES = ["en", "ro", "pl", "bg", "fa"] as const;
export const ZLocale = z.enum(LOCALES);
export type TLocale = z.infer<typeof ZLocale>;
export const RTL_LOCALES: readonly TLocale[] = ["fa"];

export const USER_ROLES = ["owner", "admin", "supervisor", "agent", "light_agent"] as const;
export const ZUserRole = z.enum(USER_ROLES);
export type TUserRole = z.infer<typeof ZUserRole>;

export const ZId = z.uuid();
export const ZIdParams = z.object({ id: ZId });

export const ZErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type TErrorBody = z.infer<typeof ZErrorBody>;

export const ZPageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** A list in a query string: `?status=open&status=pending` or `?status=open,pending`. */
export const ZQueryList = <T extends z.ZodType>(item: T, max = 50) =>
  z.preprocess(
    (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(","))),
    z.array(item).min(1).max(max).optional(),
  );

export const ZPage = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Trimmed single-line text: names, subjects. HTML is kept verbatim as data and escaped on output. */
export const ZLine = (max: number) => z.string().trim().min(1).max(max);
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Invalid email address" }));

export const ZTimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "Unknown IANA time zone" },
);
