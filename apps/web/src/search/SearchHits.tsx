import { Anchor, Badge, Highlight, Stack, Table, Text, Title } from "@mantine/core";
import { FormattedDate, FormattedMessage, FormattedNumber } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { STATUS_COLOR } from "../tickets/status-color.ts";
import type { TSearchCustomerHit, TSearchTicketHit } from "./search-api.ts";

/** The words to mark in what was found (Mantine's Highlight: text and <mark>, never HTML). */
export const termsOf = (q: string) => q.split(/\s+/).filter((t) => t.replace(/^#/, "").length >= 2);

function HitsSection(props: {
  id: string;
  title: TMessageKey;
  columns: TMessageKey[];
  children: React.ReactNode;
}) {
  return (
    <Stack component="section" aria-labelledby={props.id} gap="xs">
      <Title id={props.id} order={3} size="h4">
        <FormattedMessage id={props.title} />
      </Title>
      <Table striped highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            {props.columns.map((key) => (
              <Table.Th key={key}>
                <FormattedMessage id={key} />
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{props.children}</Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Tickets found: number, subject with the words found in its thread, status, last update. */
export function TicketHits({ hits, terms }: { hits: TSearchTicketHit[]; terms: string[] }) {
  return (
    <HitsSection
      id="search-tickets"
      title="search.tickets"
      columns={["tickets.number", "tickets.subject", "tickets.status", "tickets.updated"]}
    >
      {hits.map((t) => (
        <Table.Tr key={t.id} data-ticket-id={t.id}>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            #<FormattedNumber value={t.number} useGrouping={false} />
          </Table.Td>
          <Table.Td dir="auto">
            <Anchor href={`#/tickets/${t.id}`} c="dark.9" fw={500}>
              <Highlight component="span" highlight={terms} inherit>
                {t.subject}
              </Highlight>
            </Anchor>
            {t.snippet && (
              <Highlight
                component="p"
                highlight={terms}
                size="sm"
                c="gray.7"
                m={0}
                lineClamp={2}
                dir="auto"
                style={{ overflowWrap: "anywhere" }}
              >
                {`…${t.snippet}…`}
              </Highlight>
            )}
          </Table.Td>
          <Table.Td>
            <Badge color={STATUS_COLOR[t.status] ?? "gray"} variant="light" c="dark.8">
              <FormattedMessage id={`status.${t.status}` as TMessageKey} />
            </Badge>
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            <FormattedDate value={t.updatedAt} dateStyle="medium" timeStyle="short" />
          </Table.Td>
        </Table.Tr>
      ))}
    </HitsSection>
  );
}

/** One email address or phone number a line, each isolated so a Persian page keeps it in order. */
function Identities({ values, ltr }: { values: string[]; ltr?: boolean }) {
  if (values.length === 0) return <Text c="gray.7">—</Text>;
  return (
    <Stack gap={0}>
      {values.map((v) => (
        <Text key={v} size="sm">
          {/* A phone number has no letters to set its direction: "+40 721 123 456" must stay left to right. */}
          <bdi dir={ltr ? "ltr" : undefined}>{v}</bdi>
        </Text>
      ))}
    </Stack>
  );
}

/** Customers found: name (to the customer), email addresses and phone numbers. */
export function CustomerHits({ hits, terms }: { hits: TSearchCustomerHit[]; terms: string[] }) {
  return (
    <HitsSection
      id="search-customers"
      title="search.customers"
      columns={["search.name", "search.emails", "search.phones"]}
    >
      {hits.map((c) => (
        <Table.Tr key={c.id} data-customer-id={c.id}>
          <Table.Td dir="auto">
            <Anchor href={`#/customers/${c.id}`} c="dark.9" fw={500}>
              <Highlight component="span" highlight={terms} inherit>
                {c.name}
              </Highlight>
            </Anchor>
          </Table.Td>
          <Table.Td>
            <Identities values={c.emails} />
          </Table.Td>
          <Table.Td>
            <Identities values={c.phones} ltr />
          </Table.Td>
        </Table.Tr>
      ))}
    </HitsSection>
  );
}
