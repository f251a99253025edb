import { Alert, Anchor, Badge, Button, Grid, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { TTicket, TUpdateTicket } from "@switchboard/contracts";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, startTransition, useEffect, useRef, useState } from "react";
import { FormattedMessage, FormattedNumber, useIntl } from "react-intl";
import { useSession } from "../app/session-context.tsx";
import { CustomerPanel } from "../customers/CustomerPanel.tsx";
import type { TMessageKey } from "../i18n/messages.ts";
import { ApiError } from "../lib/http.ts";
import { Loading } from "../lib/Loading.tsx";
import { useLiveTicket } from "../realtime/LiveProvider.tsx";
import type { TComposerHandle } from "./Composer.tsx";
import { PresenceBar } from "./PresenceBar.tsx";
import { Thread } from "./Thread.tsx";
import { TicketActions } from "./TicketActions.tsx";
import { TicketSidebar } from "./TicketSidebar.tsx";
import { appendToThread, ticketChanged, ticketKeys } from "./ticket-queries.ts";
import { getTicket, listMessages, updateTicket } from "./tickets-api.ts";
import { useTicketShortcuts } from "./use-ticket-shortcuts.ts";

const Composer = lazy(() => import("./Composer.tsx"));

/** Saves ticket fields: the answer replaces the cached ticket; a refusal is said and undone. */
function useSaveTicket(ref: string) {
  const client = useQueryClient();
  const intl = useIntl();
  return async (ticket: TTicket, changes: TUpdateTicket) => {
    client.setQueryData<TTicket>(ticketKeys.ticket(ref), { ...ticket, ...(changes as Partial<TTicket>) });
    try {
      const saved = await updateTicket(ticket.id, changes);
      client.setQueryData(ticketKeys.ticket(ref), saved);
      ticketChanged(client, saved);
    } catch (err) {
      notifications.show({
        color: "red",
        title: intl.formatMessage({ id: "ticket.saveFailed" }),
        message: err instanceof ApiError ? err.message : intl.formatMessage({ id: "app.error" }),
      });
      void client.invalidateQueries({ queryKey: ticketKeys.ticket(ref) });
    }
  };
}

function TicketHeader(props: { ticket: TTicket; backHref: string; save(c: TUpdateTicket): void }) {
  const { ticket } = props;
  return (
    <Stack gap={4}>
      <Anchor href={props.backHref} size="sm">
        <FormattedMessage id="ticket.back" />
      </Anchor>
      <Group gap="sm" align="baseline" justify="space-between" wrap="nowrap">
        <Group gap="sm" align="baseline">
          <Text c="gray.7">
            #<FormattedNumber value={ticket.number} useGrouping={false} />
          </Text>
          <Title id="ticket-title" order={2} size="h3" dir="auto">
            {ticket.subject}
          </Title>
          <Badge variant="light" c="dark.8">
            <FormattedMessage id={`status.${ticket.status}` as TMessageKey} />
          </Badge>
          {ticket.isSpam && (
            <Badge color="red" variant="light" c="dark.8">
              <FormattedMessage id="ticket.spam" />
            </Badge>
          )}
        </Group>
        <Group gap="xs" wrap="nowrap">
          {ticket.status !== "solved" && ticket.status !== "closed" && (
            <Button size="xs" color="teal.9" onClick={() => props.save({ status: "solved" })}>
              <FormattedMessage id="ticket.solve" />
            </Button>
          )}
        </Group>
      </Group>
      <Text size="sm" c="gray.7">
        <FormattedMessage id="ticket.customer" />: <bdi>{ticket.requester.name}</bdi>
        {ticket.requester.email && (
          <>
            {" · "}
            <bdi>{ticket.requester.email}</bdi>
          </>
        )}
      </Text>
    </Stack>
  );
}

/**
 * The ticket: header, thread and composer in the main column; properties and the customer beside
 * them. Other channels' panels (chat, orders) join the side column.
 */
export function TicketPage({ ticketId, backHref }: { ticketId: string; backHref: string }) {
  const client = useQueryClient();
  const { user } = useSession();
  const composer = useRef<TComposerHandle>(null);
  // The ticket and its thread are read side by side: the thread does not wait for the ticket.
  const ticketQuery = useQuery({ queryKey: ticketKeys.ticket(ticketId), queryFn: () => getTicket(ticketId) });
  const threadQuery = useQuery({
    queryKey: ticketKeys.thread(ticketId),
    queryFn: () => listMessages(ticketId),
  });
  const saveTicket = useSaveTicket(ticketId);
  const ticket = ticketQuery.data;
  const readOnly = user.role === "light_agent";
  const live = useLiveTicket(ticket);
  const others = live.others.filter((u) => u.userId !== user.id);
  useTicketShortcuts({
    ticket,
    userId: user.id,
    canEdit: !readOnly,
    composer,
    save: (changes) => ticket && void saveTicket(ticket, changes),
  });
  // The thread paints first; the editor and the side column follow in the next frame.
  const [restShown, setRestShown] = useState(false);
  const threadLoaded = threadQuery.data !== undefined;
  useEffect(() => {
    if (!threadLoaded) return;
    const frame = requestAnimationFrame(() => startTransition(() => setRestShown(true)));
    return () => cancelAnimationFrame(frame);
  }, [threadLoaded]);

  if (ticketQuery.isError || threadQuery.isError) {
    return (
      <Alert color="red" role="alert">
        <FormattedMessage id="ticket.notFound" />
      </Alert>
    );
  }
  if (!ticket) return <Loading />;
  const save = (changes: TUpdateTicket) => void saveTicket(ticket, changes);

  return (
    <Grid component="section" aria-labelledby="ticket-title" gap="lg" data-page="ticket">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack>
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <TicketHeader ticket={ticket} backHref={backHref} save={save} />
            {!readOnly && (
              <TicketActions
                ticket={ticket}
                onSpam={(isSpam) => save({ isSpam })}
                onMerged={(target) => {
                  ticketChanged(client, ticket);
                  window.location.hash = `#/tickets/${target.id}`;
                }}
              />
            )}
          </Group>
          <PresenceBar users={others} />
          {ticket.mergedIntoId && (
            <Alert color="blue">
              <FormattedMessage
                id="ticket.mergedInto"
                values={{ link: (t) => <Anchor href={`#/tickets/${ticket.mergedIntoId}`}>{t}</Anchor> }}
              />
            </Alert>
          )}
          <Title order={3} size="h5">
            <FormattedMessage id="ticket.thread" />
          </Title>
          {threadQuery.data ? <Thread messages={threadQuery.data} /> : <Loading />}
          {restShown && (
            <Suspense fallback={<Loading />}>
              <Composer
                ref={composer}
                ticketId={ticket.id}
                onSent={(message) => {
                  appendToThread(client, ticketId, message);
                  ticketChanged(client, ticket);
                }}
                onTyping={live.setTyping}
              />
            </Suspense>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        {restShown && (
          <Stack>
            <Paper withBorder p="sm">
              {readOnly ? (
                <Text size="sm" c="gray.7">
                  <FormattedMessage id="ticket.readOnly" />
                </Text>
              ) : (
                <TicketSidebar ticket={ticket} save={save} />
              )}
            </Paper>
            <Paper withBorder p="sm">
              <CustomerPanel customerId={ticket.requester.id} currentTicketId={ticket.id} />
            </Paper>
          </Stack>
        )}
      </Grid.Col>
    </Grid>
  );
}
