import { Alert, Badge, Button, Group, Modal, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { UseQueryResult } from "@tanstack/react-query";
import { type CSSProperties, type FormEvent, Fragment, type ReactNode, useState } from "react";
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

/** Which entry a section's dialog is open for: undefined while it is closed, null for a new one. */
export function useEditing<T>() {
  const [editing, setEditing] = useState<T | null | undefined>(undefined);
  return { editing, edit: setEditing, close: () => setEditing(undefined) };
}
export type TEditing<T> = ReturnType<typeof useEditing<T>>;

/**
 * The dialog that creates or edits a section's entry. Its form is keyed by the entry, so opening
 * another one starts from that entry's values rather than the last one's.
 */
export function EditDialog<T extends { id: string }>(props: {
  editing: TEditing<T>;
  newTitle: TMessageKey;
  editTitle: TMessageKey;
  children: (entry: T | null) => ReactNode;
}) {
  const { editing, close } = props.editing;
  return (
    <AdminModal
      opened={editing !== undefined}
      onClose={close}
      title={<FormattedMessage id={editing ? props.editTitle : props.newTitle} />}
    >
      {editing !== undefined && <Fragment key={editing?.id ?? "new"}>{props.children(editing)}</Fragment>}
    </AdminModal>
  );
}

/** A section's main action: open its dialog for a new entry. */
export function NewButton(props: { label: TMessageKey; onClick: () => void; disabled?: boolean }) {
  return (
    <Button onClick={props.onClick} disabled={props.disabled}>
      <FormattedMessage id={props.label} />
    </Button>
  );
}

/** A row's edit button; its accessible name says which entry, as every row's visible text is "Edit". */
export function EditButton(props: { name: string; onClick: () => void }) {
  const intl = useIntl();
  return (
    <Button
      size="xs"
      variant="light"
      onClick={props.onClick}
      aria-label={intl.formatMessage({ id: "admin.editNamed" }, { name: props.name })}
    >
      <FormattedMessage id="admin.edit" />
    </Button>
  );
}

/** Whether an entry is in use (green) or set aside (grey), also in words: the colour alone is not enough. */
export function StatusBadge(props: { on: boolean; label: TMessageKey }) {
  return (
    <Badge size="sm" variant="light" color={props.on ? "green" : "gray"} c="dark.8" tt="none">
      <FormattedMessage id={props.label} />
    </Badge>
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

/** A dialog's form: the error that belongs to no single field first, then its fields, then cancel and save. */
export function AdminForm(props: {
  onSubmit: (e: FormEvent) => void;
  alert: string | null;
  busy: boolean;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <form onSubmit={props.onSubmit}>
      <Stack gap="sm">
        <FormAlert message={props.alert} />
        {props.children}
        <FormButtons busy={props.busy} onCancel={props.onCancel} />
      </Stack>
    </form>
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

/** A change made from a list row failed: the row has no form to show it in. */
export function notifyFailed(intl: IntlShape) {
  notifications.show({
    color: "red",
    message: intl.formatMessage({ id: "app.error" }),
    closeButtonProps: { "aria-label": intl.formatMessage({ id: "admin.close" }) },
  });
}
