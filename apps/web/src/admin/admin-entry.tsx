import { Alert, NavLink, Stack, Title } from "@mantine/core";
import { lazy, Suspense } from "react";
import { FormattedMessage } from "react-intl";
import { Loading } from "../lib/Loading.tsx";
import { canAdminister, useInAdmin } from "./admin-route.ts";

export { useInAdmin };

// The admin section is code most agents never open: it loads only when someone does.
const AdminPage = lazy(() => import("./AdminPage.tsx").then((m) => ({ default: m.AdminPage })));

type TSignedIn = { id: string; role: string };

/** The admin entry in the navigation, for owners and admins only. */
export function AdminNavLink({ user }: { user: TSignedIn }) {
  const active = useInAdmin();
  if (!canAdminister(user.role)) return null;
  return (
    <NavLink
      href="#/admin/brands"
      label={<FormattedMessage id="admin.nav" />}
      active={active}
      variant="filled"
      aria-current={active ? "page" : undefined}
      mt="md"
    />
  );
}

/** `#/admin/…`: the admin page, or a polite refusal for those who may not administer. */
export function AdminRoute({ user }: { user: TSignedIn }) {
  if (!canAdminister(user.role)) {
    return (
      <Stack component="section" aria-labelledby="admin-title" maw={640}>
        <Title id="admin-title" order={2} size="h3">
          <FormattedMessage id="admin.title" />
        </Title>
        <Alert color="blue" variant="light" c="dark.8">
          <FormattedMessage id="admin.notAllowed" />
        </Alert>
      </Stack>
    );
  }
  return (
    <Suspense fallback={<Loading />}>
      <AdminPage user={user} />
    </Suspense>
  );
}
