import { Select } from "@mantine/core";
import { useMemo } from "react";
import { useIntl } from "react-intl";

/** Every IANA zone the browser knows, with its current offset, e.g. "Asia/Tehran (GMT+3:30)". */
function zoneOptions(locale: string) {
  const now = new Date();
  return Intl.supportedValuesOf("timeZone").map((zone) => {
    const offset =
      new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "shortOffset" })
        .formatToParts(now)
        .find((p) => p.type === "timeZoneName")?.value ?? "";
    return { value: zone, label: `${zone.replaceAll("_", " ")} (${offset})` };
  });
}

/** The user's time zone: dates and due times in the app are shown and typed on its clock. */
export function TimeZoneMenu({ timeZone, onTimeZone }: { timeZone: string; onTimeZone(zone: string): void }) {
  const intl = useIntl();
  const options = useMemo(() => {
    const zones = zoneOptions(intl.locale);
    // A zone saved on the account but unknown to this browser stays selectable.
    return zones.some((z) => z.value === timeZone) ? zones : [{ value: timeZone, label: timeZone }, ...zones];
  }, [intl.locale, timeZone]);
  return (
    <Select
      aria-label={intl.formatMessage({ id: "user.timeZone" })}
      size="xs"
      w={210}
      visibleFrom="md"
      searchable
      allowDeselect={false}
      value={timeZone}
      data={options}
      onChange={(value) => value && value !== timeZone && onTimeZone(value)}
      comboboxProps={{ width: 280 }}
    />
  );
}
