import { Anchor, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { FormattedDate, FormattedMessage, useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { useUsers } from "../lib/directory.ts";
import type { TMessage } from "./tickets-api.ts";

type TChange = { field: string; before: unknown; after: unknown };

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** What a system event says, in the agent's language. */
function useEventText(message: TMessage): ReactNode {
  const intl = useIntl();
  const users = useUsers().data;
  const event = message.event ?? {};
  const userName = (id: unknown) => users?.find((u) => u.id === id)?.name ?? "—";
  const status = (v: unknown) => intl.formatMessage({ id: `status.${str(v)}` as TMessageKey });
  const ticketLink = (id: unknown, label: ReactNode) => (
    <Anchor href={`#/tickets/${str(id)}`}>{label}</Anchor>
  );
  switch (event.type) {
    case "ticket_updated": {
      const changes = (Array.isArray(event.changes) ? event.changes : []) as TChange[];
      return changes.map((c, i) => (
        <span key={c.field}>
          {i > 0 && " · "}
          {c.field === "status" ? (
            <FormattedMessage
              id="event.status"
              values={{ before: status(c.before), after: status(c.after) }}
            />
          ) : c.field === "assigneeId" && c.after ? (
            <FormattedMessage id="event.assigned" values={{ name: <bdi>{userName(c.after)}</bdi> }} />
          ) : c.field === "assigneeId" ? (
            <FormattedMessage id="event.unassigned" />
          ) : (
            <FormattedMessage id="event.changed" values={{ field: c.field }} />
          )}
        </span>
      ));
    }
    case "merged_into":
      return (
        <FormattedMessage id="event.mergedInto" values={{ link: (t) => ticketLink(event.ticketId, t) }} />
      );
    case "merged_from":
      return (
        <FormattedMessage id="event.mergedFrom" values={{ link: (t) => ticketLink(event.ticketId, t) }} />
      );
    case "ticket_linked":
      return (
        <FormattedMessage
          id="event.linked"
          values={{ number: String(event.number ?? ""), link: (t) => ticketLink(event.ticketId, t) }}
        />
      );
    case "attachments_too_large": {
      const names = Array.isArray(event.filenames) ? event.filenames.map(String) : [];
      return (
        <FormattedMessage id="event.tooLarge" values={{ count: names.length, names: names.join(", ") }} />
      );
    }
    case "delivery_failed": {
      const to = Array.isArray(event.recipients) ? event.recipients.map(String).join(", ") : "";
      return <FormattedMessage id="event.deliveryFailed" values={{ to: <bdi>{to}</bdi> }} />;
    }
    default:
      return <FormattedMessage id="event.other" />;
  }
}

/** A system event: one quiet, centred line with who and when. */
export function EventLine({ message }: { message: TMessage }) {
  const text = useEventText(message);
  return (
    <Text size="xs" c="gray.7" ta="center" data-kind="event" data-message-id={message.id}>
      {text}
      {message.author.name && (
        <>
          {" · "}
          <bdi>{message.author.name}</bdi>
        </>
      )}
      {" · "}
      <FormattedDate value={message.createdAt} dateStyle="medium" timeStyle="short" />
    </Text>
  );
}
