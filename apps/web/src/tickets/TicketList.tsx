import { Alert, Anchor, Badge, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { FormattedDate, FormattedMessage, FormattedNumber } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { useListNavigation } from "../keyboard/use-list-navigation.ts";
import type { TView } from "../views/views.ts";
import { listTickets, type TTicket } from "./tickets-api.ts";

const COLUMNS: TMessageKey[] = [
  "tickets.number",
  "tickets.subject",
  "tickets.requester",
  "tickets.status",
  "tickets.updated",
];

export const STATUS_COLOR: Record<string, string> = {
  new: "yellow",
  open: "red",
  pending: "blue",
  on_hold: "gray",
  solved: "green",
  closed: "dark",
};

export function TicketList({ view }: { view: TView }) {
  const [rows, setRows] = useState<TTicket[] | null>(null);
  const [failed, setFailed] = useState(false);
  const list = useListNavigation<HTMLTableSectionElement>(); // j/k through the rows, Enter opens

  useEffect(() => {
    let current = true;
    setRows(null);
    setFailed(false);
    listTickets(`${view.query}&limit=50`)
      .then((page) => current && setRows(page.items))
      .catch(() => current && setFailed(true));
    return () => {
      current = false;
    };
  }, [view]);

  return (
    <Stack component="section" aria-labelledby="view-title" gap="sm">
      <Title id="view-title" order={2} size="h3">
        <FormattedMessage id={view.label} />
      </Title>
      {failed && (
        <Alert color="red" role="alert">
          <FormattedMessage id="app.error" />
        </Alert>
      )}
      {!rows && !failed && <Loader size="sm" aria-label="loading" />}
      {rows && (
        <>
          <Text size="sm" c="gray.7" role="status">
            <FormattedMessage id="tickets.shown" values={{ count: rows.length }} />
          </Text>
          {rows.length === 0 ? (
            <Text>
              <FormattedMessage id="tickets.empty" />
            </Text>
          ) : (
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  {COLUMNS.map((key) => (
                    <Table.Th key={key}>
                      <FormattedMessage id={key} />
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody ref={list}>
                {rows.map((t) => (
                  <Table.Tr key={t.id} data-ticket-id={t.id}>
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
                      <FormattedDate value={t.updatedAt} dateStyle="medium" timeStyle="short" />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Stack>
  );
}
