import { Stack, Tabs, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { FeatureMessages } from "../i18n/FeatureMessages.tsx";
import type { TMessageKey } from "../i18n/messages.ts";
import { adminMessages } from "./admin.messages.ts";
import { ADMIN_SECTIONS, type TAdminSection, useAdminSection } from "./admin-route.ts";
import { BrandsSection } from "./BrandsSection.tsx";
import { CategoriesPanel } from "./CategoriesPanel.tsx";
import { CustomFieldsPanel } from "./CustomFieldsPanel.tsx";
import { GroupsSection } from "./GroupsSection.tsx";
import { TokensSection } from "./TokensSection.tsx";
import { UsersSection } from "./UsersSection.tsx";
import { READABLE } from "./ui.tsx";

const TAB_LABEL: Record<TAdminSection, TMessageKey> = {
  brands: "admin.tab.brands",
  users: "admin.tab.users",
  groups: "admin.tab.groups",
  fields: "admin.tab.fields",
  tokens: "admin.tab.tokens",
};

/** The workspace's settings for owners and admins, a tab per section; the tab is in the address. */
export function AdminPage({ user }: { user: { id: string; role: string } }) {
  return (
    <FeatureMessages catalogue={adminMessages}>
      <AdminSections user={user} />
    </FeatureMessages>
  );
}

function AdminSections({ user }: { user: { id: string; role: string } }) {
  const intl = useIntl();
  const section = useAdminSection();
  const panels: Record<TAdminSection, ReactNode> = {
    brands: <BrandsSection />,
    users: <UsersSection me={user} />,
    groups: <GroupsSection />,
    fields: (
      <Stack gap="xl">
        <CategoriesPanel />
        <CustomFieldsPanel />
      </Stack>
    ),
    tokens: <TokensSection />,
  };

  return (
    <Stack component="section" aria-labelledby="admin-title" gap="md" maw={1100} style={READABLE}>
      <Title id="admin-title" order={2} size="h3">
        <FormattedMessage id="admin.title" />
      </Title>
      <Tabs
        value={section}
        onChange={(next) => {
          if (next) window.location.hash = `#/admin/${next}`;
        }}
      >
        <Tabs.List aria-label={intl.formatMessage({ id: "admin.tabs" })}>
          {ADMIN_SECTIONS.map((s) => (
            <Tabs.Tab key={s} value={s}>
              <FormattedMessage id={TAB_LABEL[s]} />
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {ADMIN_SECTIONS.map((s) => (
          <Tabs.Panel key={s} value={s} pt="md">
            {s === section && panels[s]}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
