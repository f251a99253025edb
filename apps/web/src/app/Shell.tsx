import { AppShell, Button, Group, NavLink, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { FormattedMessage } from "react-intl";
import { AdminNavLink, AdminRoute, useInAdmin } from "../admin/admin-entry.tsx";
import type { TLocale } from "../i18n/messages.ts";
import { TicketList } from "../tickets/TicketList.tsx";
import { TicketPage } from "../tickets/TicketPage.tsx";
import { BUILT_IN_VIEWS, type TView } from "../views/views.ts";
import { LanguageMenu } from "./LanguageMenu.tsx";
import { signOut, type TSession } from "./session.ts";

/**
 * Where the agent is, from the address (#/views/<id> or #/tickets/<id>), so a reload or a shared link
 * opens the same place.
 */
type TPlace = { view: TView; ticketId: string | null };
const VIEW_KEY = "switchboard.view";
const placeFromHash = (previous: TView | undefined): TPlace => {
  const hash = window.location.hash;
  const ticketId = /^#\/tickets\/([\w-]+)/.exec(hash)?.[1] ?? null;
  const viewId = /^#\/views\/([\w-]+)/.exec(hash)?.[1];
  // A ticket opened from a view leads back to it, after a reload too (the tab remembers the view).
  const remembered = BUILT_IN_VIEWS.find((v) => v.id === sessionStorage.getItem(VIEW_KEY));
  const view =
    BUILT_IN_VIEWS.find((v) => v.id === viewId) ?? previous ?? remembered ?? (BUILT_IN_VIEWS[0] as TView);
  if (viewId) sessionStorage.setItem(VIEW_KEY, view.id);
  return { view, ticketId };
};

/**
 * The agent's workspace: header, the views on the start side, the selected view's tickets. Later
 * panels (ticket page, customer, chats) slot into the main area.
 */
export function Shell(props: {
  session: TSession;
  locale: TLocale;
  onLocale: (l: TLocale) => void;
  onSignedOut: () => void;
}) {
  const [place, setPlace] = useState(() => placeFromHash(undefined));
  useEffect(() => {
    const onHash = () => setPlace((p) => placeFromHash(p.view));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const view = place.view;
  const inAdmin = useInAdmin();

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: "sm" }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} size="h4">
            <FormattedMessage id="app.name" />
          </Title>
          <Group gap="sm">
            <Text size="sm" c="gray.7">
              {props.session.user.name}
            </Text>
            <LanguageMenu locale={props.locale} onLocale={props.onLocale} />
            <Button variant="subtle" size="xs" onClick={() => signOut().finally(props.onSignedOut)}>
              <FormattedMessage id="user.signOut" />
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-labelledby="views-heading">
        <Text id="views-heading" size="xs" fw={700} c="gray.7" tt="uppercase" px="sm" py="xs">
          <FormattedMessage id="nav.views" />
        </Text>
        {BUILT_IN_VIEWS.map((v) => (
          <NavLink
            key={v.id}
            href={`#/views/${v.id}`}
            label={<FormattedMessage id={v.label} />}
            active={!inAdmin && !place.ticketId && v.id === view.id}
            variant="filled"
            aria-current={!inAdmin && !place.ticketId && v.id === view.id ? "page" : undefined}
          />
        ))}
        <AdminNavLink user={props.session.user} />
      </AppShell.Navbar>
      <AppShell.Main>
        {inAdmin ? (
          <AdminRoute user={props.session.user} />
        ) : place.ticketId ? (
          <TicketPage ticketId={place.ticketId} backHref={`#/views/${view.id}`} />
        ) : (
          <TicketList view={view} />
        )}
      </AppShell.Main>
    </AppShell>
  );
}
