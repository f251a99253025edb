import { Badge, Button, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormattedMessage } from "react-intl";
import { ADMIN_KEYS, listCustomFields, type TCustomField, updateCustomField } from "./admin-api.ts";
import { CustomFieldForm, kindKey } from "./CustomFieldForm.tsx";
import { useOrderedList } from "./ordered-list.ts";
import { AdminModal, OrderActions, QueryState, SectionHeader } from "./ui.tsx";

/** Custom ticket fields: in display order, archived ones kept (dimmed) so their place survives a restore. */
export function CustomFieldsPanel() {
  const fields = useQuery({ queryKey: ADMIN_KEYS.customFields, queryFn: listCustomFields });
  const rows = useOrderedList({
    queryKey: ADMIN_KEYS.customFields,
    update: updateCustomField,
    nameOf: (f) => f.label,
  });
  const [editing, setEditing] = useState<TCustomField | null | undefined>(undefined);
  const close = () => setEditing(undefined);
  const list = fields.data ?? [];

  return (
    <Stack component="section" aria-labelledby="admin-custom-fields" gap="sm">
      <SectionHeader
        id="admin-custom-fields"
        title="admin.fields.title"
        action={
          <Button onClick={() => setEditing(null)}>
            <FormattedMessage id="admin.fields.new" />
          </Button>
        }
      />
      <QueryState query={fields} />
      {fields.data && list.length === 0 && (
        <Text>
          <FormattedMessage id="admin.fields.empty" />
        </Text>
      )}
      {list.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <FormattedMessage id="admin.field.label" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.field.key" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.field.kind" />
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
              {list.map((f, index) => (
                <Table.Tr key={f.id} c={f.archived ? "gray.7" : undefined}>
                  <Table.Td fw={600}>
                    <bdi>{f.label}</bdi>
                  </Table.Td>
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
                      <Badge
                        size="sm"
                        variant="light"
                        color={f.archived ? "gray" : "green"}
                        c="dark.8"
                        tt="none"
                      >
                        <FormattedMessage id={f.archived ? "admin.archived" : "admin.inUse"} />
                      </Badge>
                      {f.required && (
                        <Badge size="sm" variant="outline" c="dark.8" tt="none">
                          <FormattedMessage id="admin.field.required" />
                        </Badge>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <OrderActions
                      name={f.label}
                      index={index}
                      count={list.length}
                      archived={f.archived}
                      busy={rows.busy}
                      onEdit={() => setEditing(f)}
                      onMove={(step) => rows.move.mutate({ list, index, step })}
                      onArchive={(archived) => rows.archive.mutate({ entry: f, archived })}
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
        title={<FormattedMessage id={editing ? "admin.fields.editTitle" : "admin.fields.new"} />}
      >
        {editing !== undefined && (
          <CustomFieldForm key={editing?.id ?? "new"} field={editing} onDone={close} />
        )}
      </AdminModal>
    </Stack>
  );
}
