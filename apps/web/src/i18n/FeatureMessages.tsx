import type { ReactNode } from "react";
import { IntlProvider, useIntl } from "react-intl";
import type { TCatalogue, TLocale } from "./catalogue.ts";

/**
 * Adds a lazily loaded feature's strings to the app's for its part of the page, so a feature few
 * people open (admin) does not weigh on everyone's first load.
 */
export function FeatureMessages({ catalogue, children }: { catalogue: TCatalogue; children: ReactNode }) {
  const intl = useIntl();
  const locale = intl.locale as TLocale;
  return (
    <IntlProvider
      locale={intl.locale}
      defaultLocale={intl.defaultLocale}
      timeZone={intl.timeZone}
      // The app's messages are ICU strings (never precompiled), as MESSAGES declares.
      messages={{ ...(intl.messages as Record<string, string>), ...(catalogue[locale] ?? catalogue.en) }}
    >
      {children}
    </IntlProvider>
  );
}
