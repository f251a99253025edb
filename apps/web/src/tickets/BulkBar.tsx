import { Button, Group, Paper, Select, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { TBulkUpdateTickets } from "@switchboard/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { useUsers } from "../lib/directory.ts";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "./ticket-fields.ts";
import { refreshTicketLists } from "./ticket-queries.ts";
import { bulkUpdateTickets } from "./tickets-api.ts";

type TChanges = TBulkUpdateTickets["changes"];
// What agents set by hand on many tickets at once: a ticket is new only until touched, and closing
// follows solving by rule.
const STATUSES = TICKET_STATUSES.filter((s) => s !== "new" && s !== "closed");

/** Changes several selected tickets at once; says how many changed and how many could not. */
export function BulkBar({ ticketIds, onDone }: { ticketIds: string[]; onDone(): void }) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: id as TMessageKey }, values);
  const client = useQueryClient();
  const users = useUsers().data ?? [];
  const [tag, setTag] = useState("");
  const [busy, setBusy] = useState(false);

  const apply = async (changes: TChanges) => {
    setBusy(true);
    try {
      const result = await bulkUpdateTickets({ ticketIds, changes });
      const failed = result.items.filter((i) => !i.ok);
      notifications.show({
        color: failed.length ? "orange" : "teal",
        message: t("bulk.result", { changed: result.items.length - failed.length, failed: failed.length }),
      });
      refreshTicketLists(client);
      onDone();
    } catch {
      notifications.show({ color: "red", message: t("app.error") });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="xs" bg="blue.0" role="region" aria-label={t("bulk.label")}>
      <Group gap="sm" wrap="wrap">
        <Text size="sm" fw={600}>
          <FormattedMessage id="bulk.selected" values={{ count: ticketIds.length }} />
        </Text>
        <Select
          size="xs"
          w={150}
          aria-label={t("tickets.status")}
          placeholder={t("tickets.status")}
          data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          value={null}
          disabled={busy}
          onChange={(v) => v && void apply({ status: v as TChanges["status"] })}
        />
        <Select
          size="xs"
          w={150}
          aria-label={t("sidebar.priority")}
          placeholder={t("sidebar.priority")}
          data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          value={null}
          disabled={busy}
          onChange={(v) => v && void apply({ priority: v as TChanges["priority"] })}
        />
        <Select
          size="xs"
          w={180}
          searchable
          aria-label={t("sidebar.assignee")}
          placeholder={t("sidebar.assignee")}
          data={[
            { value: "none", label: t("sidebar.unassigned") },
            ...users
              .filter((u) => u.active && u.role !== "light_agent")
              .map((u) => ({ value: u.id, label: u.name })),
          ]}
          value={null}
          disabled={busy}
          onChange={(v) => v && void apply({ assigneeId: v === "none" ? null : v })}
        />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (tag.trim()) void apply({ addTags: [tag.trim().toLowerCase()] }).then(() => setTag(""));
          }}
        >
          <TextInput
            size="xs"
            w={140}
            aria-label={t("bulk.addTag")}
            placeholder={t("bulk.addTag")}
            value={tag}
            onChange={(e) => setTag(e.currentTarget.value)}
            disabled={busy}
          />
        </form>
        <Button
          size="xs"
          variant="default"
          color="red"
          disabled={busy}
          onClick={() => void apply({ isSpam: true })}
        >
          <FormattedMessage id="actions.spam" />
        </Button>
        <Button size="xs" variant="subtle" onClick={onDone}>
          <FormattedMessage id="bulk.clear" />
        </Button>
      </Group>
    </Paper>
  );
}
