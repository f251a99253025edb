import { Select, TextInput } from "@mantine/core";
import { useMemo, useState } from "react";
import { useIntl } from "react-intl";
import { LANGUAGE_NAMES, LOCALES, type TLocale } from "../i18n/messages.ts";
import { keyFrom } from "./suggest.ts";

// Every IANA zone the browser knows; UTC is not among them in every engine, and the server accepts it.
const ZONES = (() => {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
})();

/** A searchable list of time zones ("America/New York" finds America/New_York). */
export function TimeZoneSelect(props: {
  label: string;
  value: string;
  onChange: (zone: string) => void;
  error?: string | undefined;
}) {
  const intl = useIntl();
  const data = useMemo(() => {
    const zones = ZONES.includes(props.value) || !props.value ? ZONES : [props.value, ...ZONES];
    return zones.map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }));
  }, [props.value]);
  return (
    <Select
      label={props.label}
      data={data}
      value={props.value}
      onChange={(zone) => zone && props.onChange(zone)}
      error={props.error}
      searchable
      allowDeselect={false}
      limit={100}
      maxDropdownHeight={280}
      nothingFoundMessage={intl.formatMessage({ id: "admin.noMatch" })}
      required
    />
  );
}

export const LANGUAGE_OPTIONS = LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }));

/** One of the five languages, each named in itself. */
export function LocaleSelect(props: {
  label: string;
  value: TLocale;
  onChange: (locale: TLocale) => void;
  options?: readonly TLocale[];
  error?: string | undefined;
}) {
  const options = props.options ?? LOCALES;
  return (
    <Select<TLocale>
      label={props.label}
      data={LANGUAGE_OPTIONS.filter((o) => options.includes(o.value))}
      value={props.value}
      onChange={(locale) => locale && props.onChange(locale)}
      error={props.error}
      allowDeselect={false}
      required
    />
  );
}

/**
 * A key suggested from the name as it is typed, until the user types one of their own. An existing
 * entry's key is never suggested over: it cannot change.
 */
export function useSuggestedKey(existing: string | undefined) {
  const [value, setValue] = useState(existing ?? "");
  const [typed, setTyped] = useState(existing !== undefined);
  return {
    value,
    follow: (name: string) => {
      if (!typed) setValue(keyFrom(name));
    },
    set: (next: string) => {
      setTyped(true);
      setValue(next);
    },
  };
}

/** A machine key: left to right in every language, and read-only once its entry exists. */
export function KeyInput(props: {
  value: string;
  fixed: boolean;
  error: string | undefined;
  onChange: (key: string) => void;
}) {
  const intl = useIntl();
  return (
    <TextInput
      label={intl.formatMessage({ id: "admin.field.key" })}
      description={intl.formatMessage({ id: "admin.field.keyHint" })}
      required
      dir="ltr"
      readOnly={props.fixed}
      variant={props.fixed ? "filled" : "default"}
      value={props.value}
      error={props.error}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    />
  );
}
