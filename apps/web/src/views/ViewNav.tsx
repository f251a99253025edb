import { Badge, Button, NavLink, Skeleton, Stack, Text } from "@mantine/core";
import { lazy, Suspense, useState } from "react";
import { FormattedMessage, FormattedNumber, useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { viewLabel } from "./views.ts";
import { useViewCounts, useViews } from "./views-api.ts";

const KINDS = [
  { kind: "builtin", heading: "nav.views" },
  { kind: "shared", heading: "views.shared" },
  { kind: "personal", heading: "views.personal" },
] as const;

function Count({ count, capped }: { count: number; capped: boolean }) {
  return (
    <Badge size="sm" variant="light" c="dark.8" radius="sm">
      <FormattedNumber value={count} />
      {capped && "+"}
    </Badge>
  );
}

const ViewEditor = lazy(() => import("./ViewEditor.tsx").then((m) => ({ default: m.ViewEditor })));

/** The views on the start side, grouped, each with its live count; a new view is one click away. */
export function ViewNav({ activeViewId }: { activeViewId: string | null }) {
  const intl = useIntl();
  const t = (id: TMessageKey) => intl.formatMessage({ id });
  const views = useViews();
  const counts = useViewCounts().data;
  const [creating, setCreating] = useState(false);
  const countOf = (id: string) => counts?.find((c) => c.viewId === id);
  if (!views.data) return <Skeleton h={200} />;
  return (
    <Stack gap={0}>
      {KINDS.map(({ kind, heading }) => {
        const list = views.data.filter((v) => v.kind === kind);
        if (list.length === 0) return null;
        return (
          <div key={kind}>
            <Text size="xs" fw={700} c="gray.7" tt="uppercase" px="sm" pt="sm" pb={4} id={`views-${kind}`}>
              <FormattedMessage id={heading} />
            </Text>
            {list.map((v) => {
              const active = v.id === activeViewId;
              const count = countOf(v.id);
              return (
                <NavLink
                  key={v.id}
                  href={`#/views/${v.id}`}
                  label={<span dir="auto">{viewLabel(v, t)}</span>}
                  rightSection={count && <Count count={count.count} capped={count.capped} />}
                  active={active}
                  variant="filled"
                  aria-current={active ? "page" : undefined}
                />
              );
            })}
          </div>
        );
      })}
      <Button variant="subtle" size="xs" mt="sm" onClick={() => setCreating(true)}>
        <FormattedMessage id="views.new" />
      </Button>
      {creating && (
        <Suspense fallback={null}>
          <ViewEditor view={null} onClose={() => setCreating(false)} />
        </Suspense>
      )}
    </Stack>
  );
}
