import {
  Alert,
  Button,
  Drawer,
  Group,
  Menu,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  useDirection,
} from "@mantine/core";
import type { TTicket } from "@switchboard/contracts";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormattedDate, FormattedMessage, useIntl } from "react-intl";
import { useUsers } from "../lib/directory.ts";
import { ApiError } from "../lib/http.ts";
import { listAudit, mergeTicket } from "./tickets-api.ts";

const show = (v: unknown) =>
  v === null || v === undefined || v === "" ? "—" : Array.isArray(v) ? v.join(", ") : String(v);

/** Who changed what and when, oldest first. */
function AuditHistory({ ticketId }: { ticketId: string }) {
  const users = useUsers().data;
  const audit = useQuery({ queryKey: ["audit", ticketId], queryFn: () => listAudit(ticketId) });
  if (audit.isError)
    return (
      <Alert color="red" role="alert">
        <FormattedMessage id="app.error" />
      </Alert>
    );
  const who = (actor: { type: string; id: string | null }) =>
    actor.type === "user" ? (users?.find((u) => u.id === actor.id)?.name ?? "—") : actor.type;
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>
            <FormattedMessage id="audit.when" />
          </Table.Th>
          <Table.Th>
            <FormattedMessage id="audit.who" />
          </Table.Th>
          <Table.Th>
            <FormattedMessage id="audit.what" />
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(audit.data?.items ?? []).map((e) => (
          <Table.Tr key={e.id}>
            <Table.Td style={{ whiteSpace: "nowrap" }}>
              <FormattedDate value={e.createdAt} dateStyle="short" timeStyle="short" />
            </Table.Td>
            <Table.Td>
              <bdi>{who(e.actor)}</bdi>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{e.action}</Text>
              {e.changes.map((c) => (
                <Text key={c.field} size="xs" c="gray.7">
                  {c.field}: <bdi>{show(c.before)}</bdi> → <bdi>{show(c.after)}</bdi>
                </Text>
              ))}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Merging this ticket into another, named by its number. */
function MergeDialog(props: {
  ticket: TTicket;
  opened: boolean;
  onClose(): void;
  onMerged(target: TTicket): void;
}) {
  const intl = useIntl();
  const [target, setTarget] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const merge = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await mergeTicket(props.ticket.id, target.replace(/^#/, "").trim());
      props.onMerged(result.target);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : intl.formatMessage({ id: "app.error" }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={intl.formatMessage({ id: "actions.merge" })}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void merge();
        }}
      >
        <Stack>
          <Text size="sm">
            <FormattedMessage id="actions.mergeExplain" values={{ number: props.ticket.displayNumber }} />
          </Text>
          <TextInput
            label={intl.formatMessage({ id: "actions.mergeTarget" })}
            placeholder="#1042"
            value={target}
            onChange={(e) => setTarget(e.currentTarget.value)}
            data-autofocus
            required
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              <FormattedMessage id="actions.cancel" />
            </Button>
            <Button type="submit" color="red" loading={busy} disabled={!/^#?\s*\d+$/.test(target.trim())}>
              <FormattedMessage id="actions.mergeConfirm" />
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Less frequent commands on a ticket: merge, spam, and the audit history. */
export function TicketActions(props: {
  ticket: TTicket;
  onSpam(isSpam: boolean): void;
  onMerged(target: TTicket): void;
}) {
  const intl = useIntl();
  const [merging, setMerging] = useState(false);
  const [history, setHistory] = useState(false);
  const { dir } = useDirection();
  const { ticket } = props;
  return (
    <>
      <Menu position="bottom-end">
        <Menu.Target>
          <Button variant="default" size="xs">
            <FormattedMessage id="actions.more" />
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => setMerging(true)} disabled={ticket.mergedIntoId !== null}>
            <FormattedMessage id="actions.merge" />
          </Menu.Item>
          <Menu.Item onClick={() => props.onSpam(!ticket.isSpam)}>
            <FormattedMessage id={ticket.isSpam ? "actions.notSpam" : "actions.spam"} />
          </Menu.Item>
          <Menu.Item onClick={() => setHistory(true)}>
            <FormattedMessage id="actions.history" />
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <MergeDialog
        ticket={ticket}
        opened={merging}
        onClose={() => setMerging(false)}
        onMerged={(target) => {
          setMerging(false);
          props.onMerged(target);
        }}
      />
      <Drawer
        opened={history}
        onClose={() => setHistory(false)}
        title={intl.formatMessage({ id: "actions.history" })}
        position={dir === "rtl" ? "left" : "right"}
        size="lg"
      >
        {history && <AuditHistory ticketId={ticket.id} />}
      </Drawer>
    </>
  );
}
