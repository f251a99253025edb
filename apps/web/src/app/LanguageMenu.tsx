import { Select } from "@mantine/core";
import { useIntl } from "react-intl";
import { LANGUAGE_NAMES, LOCALES, type TLocale } from "../i18n/messages.ts";

export function LanguageMenu({ locale, onLocale }: { locale: TLocale; onLocale: (l: TLocale) => void }) {
  const intl = useIntl();
  return (
    <Select
      aria-label={intl.formatMessage({ id: "user.language" })}
      size="xs"
      w={130}
      allowDeselect={false}
      value={locale}
      data={LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
      onChange={(value) => value && onLocale(value as TLocale)}
    />
  );
}
