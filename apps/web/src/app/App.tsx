import { createTheme, DirectionProvider, MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { IntlProvider } from "react-intl";
import { asLocale, isRtl, MESSAGES, type TLocale } from "../i18n/messages.ts";
import { whenSignedOut } from "../lib/http.ts";
import { queryClient } from "../lib/query.ts";
import { Shell } from "./Shell.tsx";
import { SignIn } from "./SignIn.tsx";
import { currentSession, saveMySettings, type TSession } from "./session.ts";

const LOCALE_KEY = "switchboard.locale";

/**
 * Mantine's default primary shade (blue 6) gives white button text 3.5:1; shade 8 passes WCAG AA.
 * Dialogs' close buttons are named in the user's language everywhere.
 */
const themeFor = (locale: TLocale) => {
  const closeButtonProps = { "aria-label": MESSAGES[locale]["app.close"] };
  return createTheme({
    primaryShade: 8,
    components: {
      // Plain objects rather than Modal.extend(): importing the components would put them in the first load.
      Modal: { defaultProps: { closeButtonProps } },
      Drawer: { defaultProps: { closeButtonProps } },
    },
  });
};

/** The language: the signed-in user's, else the one last chosen in this browser, else the browser's. */
function initialLocale(session: TSession | null): TLocale {
  return asLocale(session?.user.locale ?? localStorage.getItem(LOCALE_KEY) ?? navigator.language.slice(0, 2));
}

export function App() {
  const [session, setSession] = useState<TSession | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [locale, setLocale] = useState<TLocale>(() => initialLocale(null));

  useEffect(() => {
    whenSignedOut(() => {
      setSession(null);
      setExpired(true);
      queryClient.clear();
    });
    currentSession()
      .then((s) => {
        setSession(s);
        setLocale(initialLocale(s));
      })
      .catch(() => setSession(null));
  }, []);

  // The whole document flips for Persian: layout, scrollbars and the browser's own controls.
  const dir = isRtl(locale) ? "rtl" : "ltr";
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = dir;
  }, [locale, dir]);

  const userId = session?.user.id ?? null;
  const chooseLocale = useCallback(
    (next: TLocale) => {
      localStorage.setItem(LOCALE_KEY, next);
      setLocale(next);
      // Signed in, the choice is the user's setting, on every device.
      if (userId) void saveMySettings(userId, { locale: next }).catch(() => undefined);
    },
    [userId],
  );

  const chooseTimeZone = useCallback(
    (timeZone: string) => {
      setSession((s) => (s ? { ...s, user: { ...s.user, timeZone } } : s));
      if (userId) void saveMySettings(userId, { timeZone }).catch(() => undefined);
    },
    [userId],
  );

  const theme = useMemo(() => themeFor(locale), [locale]);
  return (
    <DirectionProvider initialDirection={dir} detectDirection>
      <MantineProvider theme={theme}>
        <QueryClientProvider client={queryClient}>
          <IntlProvider
            locale={locale}
            messages={MESSAGES[locale]}
            defaultLocale="en"
            timeZone={session?.user.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone}
          >
            <Notifications position="top-right" />
            {session === undefined ? null : session ? (
              <Shell
                session={session}
                onTimeZone={chooseTimeZone}
                locale={locale}
                onLocale={chooseLocale}
                onSignedOut={() => setSession(null)}
              />
            ) : (
              <SignIn
                expired={expired}
                locale={locale}
                onLocale={chooseLocale}
                onSignedIn={(s) => {
                  setExpired(false);
                  setSession(s);
                  setLocale(initialLocale(s));
                }}
              />
            )}
          </IntlProvider>
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
