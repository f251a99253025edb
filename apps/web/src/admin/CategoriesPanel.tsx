import { Badge, Button, Stack, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import {
  ADMIN_KEYS,
  createCategory,
  listCategories,
  refreshDirectory,
  type TCategory,
  updateCategory,
} from "./admin-api.ts";
import { useFormErrors } from "./form-errors.ts";
import { useOrderedList } from "./ordered-list.ts";
import { keyFrom } from "./suggest.ts";
import {
  AdminModal,
  FormAlert,
  FormButtons,
  notifyDone,
  OrderActions,
  QueryState,
  SectionHeader,
} from "./ui.tsx";

function CategoryForm({ category, onDone }: { category: TCategory | null; onDone: () => void }) {
  const intl = useIntl();
  const t = (id: TMessageKey) => intl.formatMessage({ id });
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [name, setName] = useState(category?.name ?? "");
  const [key, setKey] = useState(category?.key ?? "");
  const [keyTouched, setKeyTouched] = useState(category !== null);

  const save = useMutation({
    mutationFn: () => (category ? updateCategory(category.id, { name }) : createCategory({ key, name })),
    onSuccess: (saved) => {
      void refreshDirectory(queryClient);
      notifyDone(intl, category ? "admin.notify.saved" : "admin.notify.created", saved.name);
      onDone();
    },
    onError: errors.fail,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    save.mutate();
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <FormAlert message={errors.alert} />
        <TextInput
          label={t("admin.category.name")}
          required
          dir="auto"
          value={name}
          error={errors.error("name")}
          onChange={(e) => {
            const next = e.currentTarget.value;
            setName(next);
            if (!keyTouched) setKey(keyFrom(next));
          }}
        />
        <TextInput
          label={t("admin.field.key")}
          description={t("admin.field.keyHint")}
          required
          dir="ltr"
          readOnly={category !== null}
          variant={category ? "filled" : "default"}
          value={key}
          error={errors.error("key")}
          onChange={(e) => {
            setKeyTouched(true);
            setKey(e.currentTarget.value);
          }}
        />
        <FormButtons busy={save.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

/** Ticket categories: in display order, archived ones kept (dimmed) so their place survives a restore. */
export function CategoriesPanel() {
  const categories = useQuery({ queryKey: ADMIN_KEYS.categories, queryFn: listCategories });
  const rows = useOrderedList({
    queryKey: ADMIN_KEYS.categories,
    update: updateCategory,
    nameOf: (c) => c.name,
  });
  const [editing, setEditing] = useState<TCategory | null | undefined>(undefined);
  const close = () => setEditing(undefined);
  const list = categories.data ?? [];

  return (
    <Stack component="section" aria-labelledby="admin-categories" gap="sm">
      <SectionHeader
        id="admin-categories"
        title="admin.categories.title"
        action={
          <Button onClick={() => setEditing(null)}>
            <FormattedMessage id="admin.categories.new" />
          </Button>
        }
      />
      <QueryState query={categories} />
      {categories.data && list.length === 0 && (
        <Text>
          <FormattedMessage id="admin.categories.empty" />
        </Text>
      )}
      {list.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <FormattedMessage id="admin.category.name" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.field.key" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.field.status" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.actions" />
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((c, index) => (
                <Table.Tr key={c.id} c={c.archived ? "gray.7" : undefined}>
                  <Table.Td fw={600}>
                    <bdi>{c.name}</bdi>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" span dir="ltr" ff="monospace">
                      {c.key}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      size="sm"
                      variant="light"
                      color={c.archived ? "gray" : "green"}
                      c="dark.8"
                      tt="none"
                    >
                      <FormattedMessage id={c.archived ? "admin.archived" : "admin.inUse"} />
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <OrderActions
                      name={c.name}
                      index={index}
                      count={list.length}
                      archived={c.archived}
                      busy={rows.busy}
                      onEdit={() => setEditing(c)}
                      onMove={(step) => rows.move.mutate({ list, index, step })}
                      onArchive={(archived) => rows.archive.mutate({ entry: c, archived })}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AdminModal
        opened={editing !== undefined}
        onClose={close}
        title={<FormattedMessage id={editing ? "admin.categories.editTitle" : "admin.categories.new"} />}
      >
        {editing !== undefined && (
          <CategoryForm key={editing?.id ?? "new"} category={editing} onDone={close} />
        )}
      </AdminModal>
    </Stack>
  );
}
