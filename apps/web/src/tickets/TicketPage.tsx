import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { type FormEvent, useEffect, useState } from "react";
import { FormattedDate, FormattedMessage, FormattedNumber, useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { addMessage, getTicket, listMessages, type TMessage, type TTicket } from "./tickets-api.ts";

/** One message of the thread. Bodies are shown as text; quoted history is folded away. */
function ThreadItem({ message }: { message: TMessage }) {
  if (message.kind === "event") {
    return (
      <Text size="xs" c="gray.7" ta="center">
        <FormattedMessage id="ticket.systemEvent" values={{ type: String(message.event?.type ?? "") }} /> ·{" "}
        <FormattedDate value={message.createdAt} dateStyle="medium" timeStyle="short" />
      </Text>
    );
  }
  const note = message.kind === "note";
  return (
    <Paper
      component="article"
      withBorder
      p="sm"
      bg={note ? "yellow.0" : message.author.type === "customer" ? "gray.0" : "white"}
      data-kind={message.kind}
    >
      <Group justify="space-between" mb={4}>
        <Text fw={600} size="sm">
          {message.author.name ?? "—"}
          {note && (
            <Badge ms="xs" size="xs" color="yellow" variant="light" c="dark.8">
              <FormattedMessage id="ticket.note" />
            </Badge>
          )}
        </Text>
        <Text size="xs" c="gray.7">
          <FormattedDate value={message.createdAt} dateStyle="medium" timeStyle="short" />
        </Text>
      </Group>
      <Text dir="auto" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        {message.bodyText}
      </Text>
      {message.email?.quotedText && (
        <details>
          <summary>
            <Text span size="xs" c="gray.7">
              <FormattedMessage id="ticket.quoted" />
            </Text>
          </summary>
          <Text dir="auto" size="sm" c="gray.7" style={{ whiteSpace: "pre-wrap" }}>
            {message.email.quotedText}
          </Text>
        </details>
      )}
    </Paper>
  );
}

/** The ticket: its header, the thread oldest first, and a composer for a public reply or a note. */
export function TicketPage({ ticketId, backHref }: { ticketId: string; backHref: string }) {
  const intl = useIntl();
  const [ticket, setTicket] = useState<TTicket | null>(null);
  const [messages, setMessages] = useState<TMessage[] | null>(null);
  const [missing, setMissing] = useState(false);
  const [kind, setKind] = useState<"reply" | "note">("reply");
  const [body, setBody] = useState("");
  const [sending, setSending] = useState(false);
  const [sendFailed, setSendFailed] = useState(false);

  useEffect(() => {
    let current = true;
    setTicket(null);
    setMessages(null);
    setMissing(false);
    Promise.all([getTicket(ticketId), listMessages(ticketId)])
      .then(([t, thread]) => {
        if (!current) return;
        setTicket(t);
        setMessages(thread);
      })
      .catch(() => current && setMissing(true));
    return () => {
      current = false;
    };
  }, [ticketId]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    setSending(true);
    setSendFailed(false);
    try {
      const message = await addMessage(ticketId, { kind, body });
      setMessages((m) => [...(m ?? []), message]);
      setBody("");
    } catch {
      setSendFailed(true);
    } finally {
      setSending(false);
    }
  };

  if (missing) {
    return (
      <Alert color="red" role="alert">
        <FormattedMessage id="ticket.notFound" />
      </Alert>
    );
  }
  if (!ticket || !messages) return <Loader size="sm" aria-label="loading" />;
  return (
    <Stack component="section" aria-labelledby="ticket-title" maw={860}>
      <Anchor href={backHref} size="sm">
        <FormattedMessage id="ticket.back" />
      </Anchor>
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
      <Title order={3} size="h5">
        <FormattedMessage id="ticket.thread" />
      </Title>
      <Stack gap="xs" aria-live="polite">
        {messages.map((m) => (
          <ThreadItem key={m.id} message={m} />
        ))}
      </Stack>
      <form onSubmit={send}>
        <Stack gap="xs">
          <SegmentedControl
            w="fit-content"
            value={kind}
            onChange={(v) => setKind(v as "reply" | "note")}
            data={[
              { value: "reply", label: intl.formatMessage({ id: "ticket.reply" }) },
              { value: "note", label: intl.formatMessage({ id: "ticket.note" }) },
            ]}
          />
          <Textarea
            label={intl.formatMessage({ id: "ticket.composer" })}
            autosize
            minRows={4}
            dir="auto"
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            styles={kind === "note" ? { input: { background: "var(--mantine-color-yellow-0)" } } : undefined}
          />
          {sendFailed && (
            <Alert color="red" role="alert">
              <FormattedMessage id="app.error" />
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={sending} disabled={!body.trim()}>
              <FormattedMessage id={kind === "note" ? "ticket.sendNote" : "ticket.send"} />
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
