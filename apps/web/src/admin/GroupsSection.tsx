import { MultiSelect, Stack, Table, Text, Textarea, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormattedList, FormattedMessage, useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import {
  ADMIN_KEYS,
  createGroup,
  listGroups,
  listUsers,
  type TGroup,
  type TUser,
  updateGroup,
} from "./admin-api.ts";
import { AdminTable, NameCell } from "./admin-table.tsx";
import {
  AdminForm,
  EditButton,
  EditDialog,
  NewButton,
  QueryState,
  SectionHeader,
  useEditing,
} from "./ui.tsx";
import { useEntrySave } from "./use-admin-save.ts";

function GroupForm(props: { group: TGroup | null; users: TUser[]; onDone: () => void }) {
  const { group } = props;
  const intl = useIntl();
  const t = (id: TMessageKey) => intl.formatMessage({ id });
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [memberIds, setMemberIds] = useState<string[]>(group?.memberIds ?? []);
  const { errors, submit, busy } = useEntrySave({
    isNew: group === null,
    save: () =>
      group
        ? updateGroup(group.id, {
            ...(name !== group.name ? { name } : {}),
            ...(description !== group.description ? { description } : {}),
            memberIds,
          })
        : createGroup({ name, description, memberIds }),
    nameOf: (saved) => saved.name,
    onDone: props.onDone,
  });

  return (
    <AdminForm onSubmit={submit} alert={errors.alert} busy={busy} onCancel={props.onDone}>
      <TextInput
        label={t("admin.group.name")}
        required
        dir="auto"
        value={name}
        error={errors.error("name")}
        onChange={(e) => setName(e.currentTarget.value)}
      />
      <Textarea
        label={t("admin.group.description")}
        dir="auto"
        autosize
        minRows={2}
        value={description}
        error={errors.error("description")}
        onChange={(e) => setDescription(e.currentTarget.value)}
      />
      <MultiSelect
        label={t("admin.group.members")}
        data={props.users.map((u) => ({ value: u.id, label: u.name }))}
        value={memberIds}
        onChange={setMemberIds}
        searchable
        nothingFoundMessage={t("admin.noMatch")}
        error={errors.error("memberIds")}
        comboboxProps={{ withinPortal: true }}
      />
    </AdminForm>
  );
}

export function GroupsSection() {
  const groups = useQuery({ queryKey: ADMIN_KEYS.groups, queryFn: listGroups });
  const users = useQuery({ queryKey: ADMIN_KEYS.users, queryFn: listUsers });
  const editing = useEditing<TGroup>();
  const ready = groups.data && users.data;
  const nameOf = new Map(users.data?.map((u) => [u.id, u.name]));

  return (
    <Stack component="section" aria-labelledby="admin-groups" gap="sm">
      <SectionHeader
        id="admin-groups"
        title="admin.groups.title"
        count={
          groups.data && <FormattedMessage id="admin.groups.count" values={{ count: groups.data.length }} />
        }
        action={<NewButton label="admin.groups.new" onClick={() => editing.edit(null)} disabled={!ready} />}
      />
      <QueryState query={{ isPending: !ready, isError: groups.isError || users.isError }} />
      <AdminTable
        items={ready ? groups.data : undefined}
        columns={["admin.group.name", "admin.group.description", "admin.group.members"]}
        minWidth={640}
        empty={
          <Text>
            <FormattedMessage id="admin.groups.empty" />
          </Text>
        }
        row={(g) => (
          <Table.Tr key={g.id}>
            <NameCell name={g.name} />
            <Table.Td dir="auto" maw={320}>
              {g.description}
            </Table.Td>
            <Table.Td>
              <Text size="sm">
                <FormattedMessage id="admin.group.memberCount" values={{ count: g.memberIds.length }} />
              </Text>
              <Text size="xs" c="gray.7">
                <FormattedList
                  type="conjunction"
                  value={g.memberIds.map((id) => <bdi key={id}>{nameOf.get(id) ?? "—"}</bdi>)}
                />
              </Text>
            </Table.Td>
            <Table.Td>
              <EditButton name={g.name} onClick={() => editing.edit(g)} />
            </Table.Td>
          </Table.Tr>
        )}
      />
      <EditDialog editing={editing} newTitle="admin.groups.new" editTitle="admin.groups.editTitle">
        {(group) => ready && <GroupForm group={group} users={users.data} onDone={editing.close} />}
      </EditDialog>
    </Stack>
  );
}
