import { Stack, Table, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { ADMIN_KEYS, createCategory, listCategories, type TCategory, updateCategory } from "./admin-api.ts";
import { AdminTable, NameCell } from "./admin-table.tsx";
import { KeyInput, useSuggestedKey } from "./inputs.tsx";
import { OrderActions, useOrderedList } from "./ordered-list.tsx";
import {
  AdminForm,
  EditDialog,
  NewButton,
  QueryState,
  SectionHeader,
  StatusBadge,
  useEditing,
} from "./ui.tsx";
import { useEntrySave } from "./use-admin-save.ts";

function CategoryForm({ category, onDone }: { category: TCategory | null; onDone: () => void }) {
  const intl = useIntl();
  const [name, setName] = useState(category?.name ?? "");
  const key = useSuggestedKey(category?.key);
  const { errors, submit, busy } = useEntrySave({
    isNew: category === null,
    save: () => (category ? updateCategory(category.id, { name }) : createCategory({ key: key.value, name })),
    nameOf: (saved) => saved.name,
    onDone,
  });

  return (
    <AdminForm onSubmit={submit} alert={errors.alert} busy={busy} onCancel={onDone}>
      <TextInput
        label={intl.formatMessage({ id: "admin.category.name" })}
        required
        dir="auto"
        value={name}
        error={errors.error("name")}
        onChange={(e) => {
          setName(e.currentTarget.value);
          key.follow(e.currentTarget.value);
        }}
      />
      <KeyInput value={key.value} fixed={category !== null} error={errors.error("key")} onChange={key.set} />
    </AdminForm>
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
  const editing = useEditing<TCategory>();

  return (
    <Stack component="section" aria-labelledby="admin-categories" gap="sm">
      <SectionHeader
        id="admin-categories"
        title="admin.categories.title"
        action={<NewButton label="admin.categories.new" onClick={() => editing.edit(null)} />}
      />
      <QueryState query={categories} />
      <AdminTable
        items={categories.data}
        columns={["admin.category.name", "admin.field.key", "admin.field.status"]}
        minWidth={640}
        empty={
          <Text>
            <FormattedMessage id="admin.categories.empty" />
          </Text>
        }
        row={(c, index, list) => (
          <Table.Tr key={c.id} c={c.archived ? "gray.7" : undefined}>
            <NameCell name={c.name} />
            <Table.Td>
              <Text size="sm" span dir="ltr" ff="monospace">
                {c.key}
              </Text>
            </Table.Td>
            <Table.Td>
              <StatusBadge on={!c.archived} label={c.archived ? "admin.archived" : "admin.inUse"} />
            </Table.Td>
            <Table.Td>
              <OrderActions rows={rows} list={list} index={index} onEdit={() => editing.edit(c)} />
            </Table.Td>
          </Table.Tr>
        )}
      />
      <EditDialog editing={editing} newTitle="admin.categories.new" editTitle="admin.categories.editTitle">
        {(category) => <CategoryForm category={category} onDone={editing.close} />}
      </EditDialog>
    </Stack>
  );
}
