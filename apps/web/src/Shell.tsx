import { AppShell, Button, Group, NavLink, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { FormattedMessage } from "react-intl";
import { signOut, type TSession } from "./api.ts";
import type { TLocale } from "./i18n/messages.ts";
import { LanguageMenu } from "./LanguageMenu.tsx";
import { TicketList } from "./TicketList.tsx";
import { BUILT_IN_VIEWS } from "./views.ts";

/** The view in the address (#/views/<id>), so a reload or a shared link opens the same one. */
const viewFromHash = () => {
  const id = /^#\/views\/([\w-]+)/.exec(window.location.hash)?.[1];
  return BUILT_IN_VIEWS.find((v) => v.id === id) ?? BUILT_IN_VIEWS[0];
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
  const [view, setView] = useState(viewFromHash);
  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

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
            active={v.id === view?.id}
            variant="filled"
            aria-current={v.id === view?.id ? "page" : undefined}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{view && <TicketList view={view} />}</AppShell.Main>
    </AppShell>
  );
}
