import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from "@mantine/core";
import type { TTicket } from "@switchboard/contracts";
import { lazy, memo, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { FormattedDate, FormattedMessage, FormattedNumber, useIntl } from "react-intl";
import { useSession } from "../app/session-context.tsx";
import type { TMessageKey } from "../i18n/messages.ts";
import { useListNavigation } from "../keyboard/use-list-navigation.ts";
import { useUsers } from "../lib/directory.ts";
import { Loading } from "../lib/Loading.tsx";
import { canEditView, viewLabel } from "../views/views.ts";
import { type TSortOverride, useViewCounts, useViews, useViewTickets } from "../views/views-api.ts";
import { BulkBar } from "./BulkBar.tsx";
import { STATUS_COLOR } from "./status-color.ts";
import classes from "./TicketList.module.css";

const ViewEditor = lazy(() => import("../views/ViewEditor.tsx").then((m) => ({ default: m.ViewEditor })));

type TSortBy = NonNullable<TSortOverride>["sort"];

/** A column header that sorts the list by its field; a second click turns the order around. */
function SortHeader(props: {
  label: TMessageKey;
  by: TSortBy;
  sort: TSortOverride;
  onSort(s: TSortOverride): void;
}) {
  const active = props.sort?.sort === props.by;
  const direction = active ? props.sort?.direction : undefined;
  return (
    <Table.Th aria-sort={direction === "asc" ? "ascending" : direction === "desc" ? "descending" : undefined}>
      <UnstyledButton
        fw={700}
        fz="sm"
        onClick={() =>
          props.onSort({ sort: props.by, direction: active && direction === "desc" ? "asc" : "desc" })
        }
      >
        <FormattedMessage id={props.label} />
        {direction === "asc" ? " ▲" : direction === "desc" ? " ▼" : ""}
      </UnstyledButton>
    </Table.Th>
  );
}

/** One ticket of the list; the list renders often (live updates), so rows are kept light and memoised. */
const Row = memo(function Row(props: {
  ticket: TTicket;
  selected: boolean;
  onSelect(id: string, on: boolean): void;
  assignee: string;
}) {
  const intl = useIntl();
  const t = props.ticket;
  return (
    <Table.Tr data-ticket-id={t.id} bg={props.selected ? "blue.0" : undefined}>
      <Table.Td>
        <input
          type="checkbox"
          className={classes.check}
          aria-label={intl.formatMessage({ id: "bulk.select" }, { number: t.number })}
          checked={props.selected}
          onChange={(e) => props.onSelect(t.id, e.currentTarget.checked)}
        />
      </Table.Td>
      <Table.Td>
        #<FormattedNumber value={t.number} useGrouping={false} />
      </Table.Td>
      <Table.Td dir="auto">
        <Anchor href={`#/tickets/${t.id}`} c="dark.9">
          {t.subject}
        </Anchor>
      </Table.Td>
      <Table.Td dir="auto">{t.requester.name || t.requester.email}</Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[t.status] ?? "gray"} variant="light" c="dark.8">
          <FormattedMessage id={`status.${t.status}` as TMessageKey} />
        </Badge>
      </Table.Td>
      <Table.Td>
        <FormattedMessage id={`priority.${t.priority}` as TMessageKey} />
      </Table.Td>
      <Table.Td dir="auto">{props.assignee}</Table.Td>
      <Table.Td>
        <FormattedDate value={t.updatedAt} dateStyle="medium" timeStyle="short" />
      </Table.Td>
    </Table.Tr>
  );
});

/** A view's tickets: sortable columns, more on request, and bulk changes to the selected ones. */
export function TicketList({ viewId }: { viewId: string }) {
  const intl = useIntl();
  const { user } = useSession();
  const [sort, setSort] = useState<TSortOverride>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState(false);
  const list = useListNavigation<HTMLTableSectionElement>(); // j/k through the rows, Enter opens
  const view = useViews().data?.find((v) => v.id === viewId);
  const count = useViewCounts().data?.find((c) => c.viewId === viewId);
  const pages = useViewTickets(viewId, sort);
  const users = useUsers().data;
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.items) ?? null, [pages.data]);
  const nameOf = (id: string | null) => (id ? (users?.find((u) => u.id === id)?.name ?? "") : "—");
  // biome-ignore lint/correctness/useExhaustiveDependencies: another view starts with nothing selected and its own order.
  useEffect(() => {
    setSelected(new Set());
    setSort(null);
  }, [viewId]);

  const title = view ? viewLabel(view, (id) => intl.formatMessage({ id })) : "";
  const allSelected = rows !== null && rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = useCallback(
    (id: string, on: boolean) =>
      setSelected((s) => {
        const next = new Set(s);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );

  return (
    <Stack component="section" aria-labelledby="view-title" gap="sm">
      <Group justify="space-between">
        <Title id="view-title" order={2} size="h3" dir="auto">
          {title}
        </Title>
        {view && canEditView(view, user.role) && (
          <Button variant="default" size="xs" onClick={() => setEditing(true)}>
            <FormattedMessage id="views.edit" />
          </Button>
        )}
      </Group>
      {editing && view && (
        <Suspense fallback={null}>
          <ViewEditor view={view} onClose={() => setEditing(false)} />
        </Suspense>
      )}
      {pages.isError && (
        <Alert color="red" role="alert">
          <FormattedMessage id="app.error" />
        </Alert>
      )}
      {!rows && !pages.isError && <Loading />}
      {rows && (
        <>
          <Text size="sm" c="gray.7" role="status">
            <FormattedMessage id="tickets.shown" values={{ count: count?.count ?? rows.length }} />
          </Text>
          {selected.size > 0 && <BulkBar ticketIds={[...selected]} onDone={() => setSelected(new Set())} />}
          {rows.length === 0 ? (
            <Text>
              <FormattedMessage id="tickets.empty" />
            </Text>
          ) : (
            // The table scrolls inside its box on a narrow screen, not the page (which, right to left,
            // would open scrolled away from the start).
            <Table.ScrollContainer minWidth={860}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={40}>
                      <Checkbox
                        aria-label={intl.formatMessage({ id: "bulk.selectAll" })}
                        checked={allSelected}
                        indeterminate={selected.size > 0 && !allSelected}
                        onChange={(e) =>
                          setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())
                        }
                      />
                    </Table.Th>
                    <SortHeader label="tickets.number" by="number" sort={sort} onSort={setSort} />
                    <Table.Th>
                      <FormattedMessage id="tickets.subject" />
                    </Table.Th>
                    <Table.Th>
                      <FormattedMessage id="tickets.requester" />
                    </Table.Th>
                    <SortHeader label="tickets.status" by="status" sort={sort} onSort={setSort} />
                    <SortHeader label="sidebar.priority" by="priority" sort={sort} onSort={setSort} />
                    <Table.Th>
                      <FormattedMessage id="sidebar.assignee" />
                    </Table.Th>
                    <SortHeader label="tickets.updated" by="updated_at" sort={sort} onSort={setSort} />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody ref={list}>
                  {rows.map((t) => (
                    <Row
                      key={t.id}
                      ticket={t}
                      selected={selected.has(t.id)}
                      onSelect={toggle}
                      assignee={nameOf(t.assigneeId)}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {pages.hasNextPage && (
            <Button
              variant="default"
              w="fit-content"
              loading={pages.isFetchingNextPage}
              onClick={() => void pages.fetchNextPage()}
            >
              <FormattedMessage id="tickets.more" />
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
