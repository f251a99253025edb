import { Alert, Anchor, Badge, Group, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { FormattedDate, FormattedMessage, FormattedNumber, useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { Loading } from "../lib/Loading.tsx";
import { customerKey, getCustomer, type TCustomerDetail, updateCustomer } from "./customers-api.ts";

/** The customer's notes, saved when the agent leaves the field. */
function Notes({ customer }: { customer: TCustomerDetail }) {
  const intl = useIntl();
  const client = useQueryClient();
  const [notes, setNotes] = useState(customer.notes);
  useEffect(() => setNotes(customer.notes), [customer.notes]);
  const save = useMutation({
    mutationFn: (value: string) => updateCustomer(customer.id, { notes: value }),
    onSuccess: (saved) => client.setQueryData(customerKey(customer.id), saved),
  });
  return (
    <Textarea
      label={intl.formatMessage({ id: "customer.notes" })}
      autosize
      minRows={2}
      maxRows={8}
      dir="auto"
      value={notes}
      onChange={(e) => setNotes(e.currentTarget.value)}
      onBlur={() => notes !== customer.notes && save.mutate(notes)}
      error={save.isError ? intl.formatMessage({ id: "app.error" }) : undefined}
    />
  );
}

/**
 * Who the customer is beside the ticket: identities, notes, and their other tickets, so the agent
 * needs no second tab. Commerce and chat panels will sit next to it.
 */
export function CustomerPanel({
  customerId,
  currentTicketId,
}: {
  customerId: string;
  currentTicketId?: string;
}) {
  const query = useQuery({ queryKey: customerKey(customerId), queryFn: () => getCustomer(customerId) });
  const customer = query.data;
  if (query.isError)
    return (
      <Alert color="red" role="alert">
        <FormattedMessage id="app.error" />
      </Alert>
    );
  if (!customer) return <Loading />;
  const others = customer.tickets.latest.filter((t) => t.id !== currentTicketId);
  return (
    <Stack gap="sm" component="section" aria-labelledby="customer-title">
      <Title id="customer-title" order={3} size="h5">
        <FormattedMessage id="ticket.customer" />
      </Title>
      <Text fw={600} dir="auto">
        {customer.name}
      </Text>
      <Stack gap={2} component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label="identities">
        {customer.identities.map((i) => (
          <Text key={i.id} component="li" size="sm">
            <Text span c="gray.7" size="xs">
              <FormattedMessage id={`customer.${i.kind}` as TMessageKey} />
              {": "}
            </Text>
            <bdi>{i.value}</bdi>
          </Text>
        ))}
      </Stack>
      <Notes customer={customer} />
      <Title order={4} size="h6">
        <FormattedMessage id="customer.tickets" values={{ count: customer.tickets.total }} />
      </Title>
      {others.length === 0 ? (
        <Text size="sm" c="gray.7">
          <FormattedMessage id="customer.noOtherTickets" />
        </Text>
      ) : (
        <Stack gap={4}>
          {others.map((t) => (
            <Paper key={t.id} withBorder p={6} radius="sm">
              <Group justify="space-between" gap={4} wrap="nowrap">
                <Anchor href={`#/tickets/${t.id}`} size="sm" dir="auto" lineClamp={1}>
                  #<FormattedNumber value={t.number} useGrouping={false} /> {t.subject}
                </Anchor>
                <Badge size="xs" variant="light" c="dark.8" style={{ flexShrink: 0 }}>
                  <FormattedMessage id={`status.${t.status}` as TMessageKey} />
                </Badge>
              </Group>
              <Text size="xs" c="gray.7">
                <FormattedDate value={t.updatedAt} dateStyle="medium" />
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
