import { Alert, Button, Group, Modal, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { UseQueryResult } from "@tanstack/react-query";
import type { CSSProperties, ReactNode } from "react";
import { FormattedMessage, type IntlShape, useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { Loading } from "../lib/Loading.tsx";

/**
 * Mantine's dimmed grey (field descriptions) and error red are under 4.5:1 on white; the admin forms are
 * full of both, so they get the next darker shades. Set on the page and on each dialog (dialogs are
 * rendered outside the page).
 */
export const READABLE = {
  "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
  "--mantine-color-error": "var(--mantine-color-red-9)",
} as CSSProperties;

/** A section's heading, an optional count under it, and its main action on the end side. */
export function SectionHeader(props: {
  id: string;
  title: TMessageKey;
  count?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
      <div>
        <Title id={props.id} order={3} size="h4">
          <FormattedMessage id={props.title} />
        </Title>
        {props.count !== undefined && (
          <Text size="sm" c="gray.7">
            {props.count}
          </Text>
        )}
      </div>
      {props.action}
    </Group>
  );
}

/** While a list loads, or when it could not: what to show instead of it (null once it is there). */
export function QueryState({ query }: { query: Pick<UseQueryResult, "isPending" | "isError"> }) {
  if (query.isError) {
    return (
      <Alert color="red" role="alert">
        <FormattedMessage id="admin.loadFailed" />
      </Alert>
    );
  }
  if (query.isPending) return <Loading />;
  return null;
}

/** A dialog for one form; its close button is named in the user's language. */
export function AdminModal(props: {
  opened: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
}) {
  const intl = useIntl();
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={props.title}
      size="lg"
      closeButtonProps={{ "aria-label": intl.formatMessage({ id: "admin.close" }) }}
      styles={{ root: READABLE, title: { fontWeight: 700 } }}
    >
      {props.children}
    </Modal>
  );
}

/** A form's error that belongs to no single field (or says that some fields need a look). */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert">
      {message}
    </Alert>
  );
}

/** Cancel and save, at the end of a form. */
export function FormButtons(props: { busy: boolean; onCancel: () => void; submit?: TMessageKey }) {
  return (
    <Group justify="flex-end" mt="sm">
      <Button variant="default" onClick={props.onCancel}>
        <FormattedMessage id="admin.cancel" />
      </Button>
      <Button type="submit" loading={props.busy}>
        <FormattedMessage id={props.submit ?? "admin.save"} />
      </Button>
    </Group>
  );
}

/** A short confirmation that a change was saved. */
export function notifyDone(intl: IntlShape, id: TMessageKey, name: string) {
  notifications.show({
    color: "green",
    message: intl.formatMessage({ id }, { name: <bdi key="name">{name}</bdi> }),
    closeButtonProps: { "aria-label": intl.formatMessage({ id: "admin.close" }) },
  });
}

/** Move up, move down, and archive or restore: the actions of an entry in an ordered list. */
export function OrderActions(props: {
  name: string;
  index: number;
  count: number;
  archived: boolean;
  busy: boolean;
  onMove: (step: -1 | 1) => void;
  onArchive: (archived: boolean) => void;
  onEdit: () => void;
}) {
  const intl = useIntl();
  const named = (id: TMessageKey) => intl.formatMessage({ id }, { name: props.name });
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="xs" variant="light" onClick={props.onEdit} aria-label={named("admin.editNamed")}>
        <FormattedMessage id="admin.edit" />
      </Button>
      <Button
        size="xs"
        variant="default"
        disabled={props.busy || props.index === 0}
        onClick={() => props.onMove(-1)}
        aria-label={named("admin.moveUp")}
      >
        ↑
      </Button>
      <Button
        size="xs"
        variant="default"
        disabled={props.busy || props.index === props.count - 1}
        onClick={() => props.onMove(1)}
        aria-label={named("admin.moveDown")}
      >
        ↓
      </Button>
      <Button
        size="xs"
        variant="subtle"
        color={props.archived ? "blue" : "red"}
        disabled={props.busy}
        onClick={() => props.onArchive(!props.archived)}
        aria-label={named(props.archived ? "admin.restoreNamed" : "admin.archiveNamed")}
      >
        <FormattedMessage id={props.archived ? "admin.restore" : "admin.archive"} />
      </Button>
    </Group>
  );
}

/** A change made from a list row failed: the row has no form to show it in. */
export function notifyFailed(intl: IntlShape) {
  notifications.show({
    color: "red",
    message: intl.formatMessage({ id: "app.error" }),
    closeButtonProps: { "aria-label": intl.formatMessage({ id: "admin.close" }) },
  });
}
