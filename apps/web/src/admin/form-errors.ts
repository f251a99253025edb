import { useCallback, useMemo, useState } from "react";
import { useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { ApiError } from "../lib/http.ts";

/** A conflict the server names by code belongs next to one field. */
const CONFLICT_FIELD: Record<string, string> = {
  slug_taken: "slug",
  email_taken: "email",
  group_name_taken: "name",
  key_taken: "key",
  default_locale_unsupported: "defaultLocale",
};

/**
 * What to say under a field the server refused. Its own message is English and worded for developers,
 * so each field gets the rule it breaks in the user's language.
 */
const FIELD_HINT: Record<string, TMessageKey> = {
  slug: "admin.error.slug",
  slug_taken: "admin.error.slugTaken",
  primaryColor: "admin.error.color",
  accentColor: "admin.error.color",
  logoUrl: "admin.error.logoUrl",
  supportedLocales: "admin.error.supportedLocales",
  defaultLocale: "admin.error.defaultLocale",
  default_locale_unsupported: "admin.error.defaultLocale",
  timeZone: "admin.error.timeZone",
  email: "admin.error.email",
  email_taken: "admin.error.emailTaken",
  password: "admin.error.password",
  group_name_taken: "admin.error.groupNameTaken",
  key: "admin.error.key",
  key_taken: "admin.error.keyTaken",
  options: "admin.error.options",
};

const ALERT: Record<string, TMessageKey> = {
  forbidden: "admin.error.forbidden",
  cannot_deactivate_self: "admin.error.cannotDeactivateSelf",
};

type TDetail = { field?: unknown };
/** The fields named in an error's details: `[{ field: "slug" }]` (validation) or `{ field: "options" }`. */
function detailFields(details: unknown): string[] {
  const list: TDetail[] = Array.isArray(details)
    ? details
    : details && typeof details === "object"
      ? [details]
      : [];
  return list
    .map((d) => (typeof d.field === "string" ? d.field.split(".")[0] : undefined))
    .filter((f): f is string => !!f);
}

type TState = { fields: Record<string, TMessageKey>; alert: TMessageKey | null };

/** A form's errors from the API: next to the field they concern when the server says which, else one alert. */
export function useFormErrors() {
  const intl = useIntl();
  const [state, setState] = useState<TState>({ fields: {}, alert: null });

  const fail = useCallback((err: unknown) => {
    const fields: Record<string, TMessageKey> = {};
    if (err instanceof ApiError && err.status < 500) {
      const conflictField = CONFLICT_FIELD[err.code];
      if (conflictField) fields[conflictField] = FIELD_HINT[err.code] ?? "admin.error.invalid";
      for (const field of detailFields(err.details))
        fields[field] ??= FIELD_HINT[field] ?? "admin.error.invalid";
    }
    const named = Object.keys(fields).length > 0;
    const alert: TMessageKey = named
      ? "admin.error.checkFields"
      : err instanceof ApiError && ALERT[err.code]
        ? (ALERT[err.code] as TMessageKey)
        : err instanceof ApiError && err.status === 404
          ? "admin.error.notFound"
          : "app.error";
    setState({ fields, alert });
  }, []);

  const clear = useCallback(() => setState({ fields: {}, alert: null }), []);

  return useMemo(
    () => ({
      fail,
      clear,
      /** The message to show under a field, if the server refused it. */
      error: (field: string) => {
        const key = state.fields[field];
        return key ? intl.formatMessage({ id: key }) : undefined;
      },
      alert: state.alert ? intl.formatMessage({ id: state.alert }) : null,
    }),
    [fail, clear, state, intl],
  );
}
export type TFormErrors = ReturnType<typeof useFormErrors>;
