import { AppShell, Badge, Burger, Button, Group, ScrollArea, Stack, Text, Title } from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { lazy, Suspense, useEffect, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { AdminNavLink, AdminRoute, useInAdmin } from "../admin/admin-entry.tsx";
import type { TLocale } from "../i18n/messages.ts";
import { KeyboardShortcuts } from "../keyboard/KeyboardShortcuts.tsx";
import { Loading } from "../lib/Loading.tsx";
import { LiveProvider, useLiveStatus } from "../realtime/LiveProvider.tsx";
import { SearchBox } from "../search/SearchBox.tsx";
import { SearchRoute, useOnSearchPage } from "../search/SearchRoute.tsx";
import { TicketList } from "../tickets/TicketList.tsx";
import { ViewNav } from "../views/ViewNav.tsx";
import { LanguageMenu } from "./LanguageMenu.tsx";
import { lastViewId, placeFromHash } from "./place.ts";
import { signOut, type TSession } from "./session.ts";
import { SessionProvider } from "./session-context.tsx";
import { TimeZoneMenu } from "./TimeZoneMenu.tsx";

// The ticket page and its editor are chunks of their own, fetched while the agent looks at a view.
const loadTicketPage = () => import("../tickets/TicketPage.tsx");
const loadComposer = () => import("../tickets/Composer.tsx");
const TicketPage = lazy(() => loadTicketPage().then((m) => ({ default: m.TicketPage })));
const CustomerPage = lazy(() =>
  import("../customers/CustomerPage.tsx").then((m) => ({ default: m.CustomerPage })),
);

/** Said only while the live connection is down; it comes back by itself. */
function LiveStatus() {
  return useLiveStatus() === "offline" ? (
    <Badge color="orange" variant="light" c="dark.8" role="status">
      <FormattedMessage id="live.offline" />
    </Badge>
  ) : null;
}

/**
 * The agent's workspace: header, the views on the start side, the selected view's tickets. Later
 * panels (ticket page, customer, chats) slot into the main area.
 */
export function Shell(props: {
  session: TSession;
  locale: TLocale;
  onLocale: (l: TLocale) => void;
  onTimeZone: (zone: string) => void;
  onSignedOut: () => void;
}) {
  const intl = useIntl();
  const [place, setPlace] = useState(() => placeFromHash(window.location.hash));
  // On a phone the views are a menu behind a button; opening a place closes it.
  const [menuOpen, { toggle: toggleMenu, close: closeMenu }] = useDisclosure(false);
  // The header holds the search box and language from the "sm" breakpoint up; a phone has them in the menu.
  const wide = useMediaQuery("(min-width: 48em)", true);
  useEffect(() => {
    const onHash = () => {
      setPlace(placeFromHash(window.location.hash));
      closeMenu();
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, [closeMenu]);
  const searching = useOnSearchPage();
  const inAdmin = useInAdmin();
  useEffect(() => {
    const idle = window.setTimeout(() => void loadTicketPage().then(loadComposer), 1000);
    return () => window.clearTimeout(idle);
  }, []);

  return (
    <SessionProvider session={props.session}>
      <LiveProvider>
        <AppShell
          header={{ height: 56 }}
          navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !menuOpen } }}
          padding="md"
        >
          <AppShell.Header>
            <Group h="100%" px="md" justify="space-between">
              <Group gap="xs" wrap="nowrap">
                <Burger
                  opened={menuOpen}
                  onClick={toggleMenu}
                  hiddenFrom="sm"
                  size="sm"
                  aria-label={intl.formatMessage({ id: "nav.menu" })}
                />
                <Title order={1} size="h4">
                  <FormattedMessage id="app.name" />
                </Title>
              </Group>
              <Group gap="sm" wrap="nowrap">
                <LiveStatus />
                {wide && <SearchBox />}
                <KeyboardShortcuts />
                <Text size="sm" c="gray.7" visibleFrom="lg">
                  {props.session.user.name}
                </Text>
                {wide && <LanguageMenu locale={props.locale} onLocale={props.onLocale} />}
                <TimeZoneMenu timeZone={props.session.user.timeZone} onTimeZone={props.onTimeZone} />
                <Button variant="subtle" size="xs" onClick={() => signOut().finally(props.onSignedOut)}>
                  <FormattedMessage id="user.signOut" />
                </Button>
              </Group>
            </Group>
          </AppShell.Header>
          <AppShell.Navbar p="xs" component="nav" aria-label={intl.formatMessage({ id: "nav.views" })}>
            {!wide && (
              <AppShell.Section>
                <Stack gap="xs" mb="sm">
                  <SearchBox />
                  <LanguageMenu locale={props.locale} onLocale={props.onLocale} />
                </Stack>
              </AppShell.Section>
            )}
            <AppShell.Section grow component={ScrollArea}>
              <ViewNav activeViewId={place.kind === "view" && !searching && !inAdmin ? place.viewId : null} />
              <AdminNavLink user={props.session.user} />
            </AppShell.Section>
          </AppShell.Navbar>
          <AppShell.Main>
            <Suspense fallback={<Loading />}>
              {inAdmin ? (
                <AdminRoute user={props.session.user} />
              ) : searching ? (
                <SearchRoute />
              ) : place.kind === "ticket" ? (
                <TicketPage ticketId={place.ticketId} backHref={`#/views/${lastViewId()}`} />
              ) : place.kind === "customer" ? (
                <CustomerPage customerId={place.customerId} />
              ) : (
                <TicketList viewId={place.viewId} />
              )}
            </Suspense>
          </AppShell.Main>
        </AppShell>
      </LiveProvider>
    </SessionProvider>
  );
}
