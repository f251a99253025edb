import { Badge, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { FormattedMessage } from "react-intl";
import { ADMIN_KEYS, listCustomFields, type TCustomField, updateCustomField } from "./admin-api.ts";
import { AdminTable, NameCell } from "./admin-table.tsx";
import { CustomFieldForm, kindKey } from "./CustomFieldForm.tsx";
import { OrderActions, useOrderedList } from "./ordered-list.tsx";
import { EditDialog, NewButton, QueryState, SectionHeader, StatusBadge, useEditing } from "./ui.tsx";

/** Custom ticket fields: in display order, archived ones kept (dimmed) so their place survives a restore. */
export function CustomFieldsPanel() {
  const fields = useQuery({ queryKey: ADMIN_KEYS.customFields, queryFn: listCustomFields });
  const rows = useOrderedList({
    queryKey: ADMIN_KEYS.customFields,
    update: updateCustomField,
    nameOf: (f) => f.label,
  });
  const editing = useEditing<TCustomField>();

  return (
    <Stack component="section" aria-labelledby="admin-custom-fields" gap="sm">
      <SectionHeader
        id="admin-custom-fields"
        title="admin.fields.title"
        action={<NewButton label="admin.fields.new" onClick={() => editing.edit(null)} />}
      />
      <QueryState query={fields} />
      <AdminTable
        items={fields.data}
        columns={["admin.field.label", "admin.field.key", "admin.field.kind", "admin.field.status"]}
        minWidth={720}
        empty={
          <Text>
            <FormattedMessage id="admin.fields.empty" />
          </Text>
        }
        row={(f, index, list) => (
          <Table.Tr key={f.id} c={f.archived ? "gray.7" : undefined}>
            <NameCell name={f.label} />
            <Table.Td>
              <Text size="sm" span dir="ltr" ff="monospace">
                {f.key}
              </Text>
            </Table.Td>
            <Table.Td>
              <FormattedMessage id={kindKey(f.kind)} />
              {f.kind === "dropdown" && (
                <Text size="xs" c="gray.7">
                  <FormattedMessage id="admin.field.optionCount" values={{ count: f.options.length }} />
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Stack gap={4} align="flex-start">
                <StatusBadge on={!f.archived} label={f.archived ? "admin.archived" : "admin.inUse"} />
                {f.required && (
                  <Badge size="sm" variant="outline" c="dark.8" tt="none">
                    <FormattedMessage id="admin.field.required" />
                  </Badge>
                )}
              </Stack>
            </Table.Td>
            <Table.Td>
              <OrderActions rows={rows} list={list} index={index} onEdit={() => editing.edit(f)} />
            </Table.Td>
          </Table.Tr>
        )}
      />
      <EditDialog editing={editing} newTitle="admin.fields.new" editTitle="admin.fields.editTitle">
        {(field) => <CustomFieldForm field={field} onDone={editing.close} />}
      </EditDialog>
    </Stack>
  );
}
