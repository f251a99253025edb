import { Button, MultiSelect, Stack, Table, Text, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { FormattedList, FormattedMessage, useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import {
  ADMIN_KEYS,
  createGroup,
  listGroups,
  listUsers,
  refreshDirectory,
  type TGroup,
  type TUser,
  updateGroup,
} from "./admin-api.ts";
import { useFormErrors } from "./form-errors.ts";
import { AdminModal, FormAlert, FormButtons, notifyDone, QueryState, SectionHeader } from "./ui.tsx";

function GroupForm(props: { group: TGroup | null; users: TUser[]; onDone: () => void }) {
  const { group } = props;
  const intl = useIntl();
  const t = (id: TMessageKey) => intl.formatMessage({ id });
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [memberIds, setMemberIds] = useState<string[]>(group?.memberIds ?? []);

  const save = useMutation({
    mutationFn: () =>
      group
        ? updateGroup(group.id, {
            ...(name !== group.name ? { name } : {}),
            ...(description !== group.description ? { description } : {}),
            memberIds,
          })
        : createGroup({ name, description, memberIds }),
    onSuccess: (saved) => {
      void refreshDirectory(queryClient);
      notifyDone(intl, group ? "admin.notify.saved" : "admin.notify.created", saved.name);
      props.onDone();
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
        <FormButtons busy={save.isPending} onCancel={props.onDone} />
      </Stack>
    </form>
  );
}

export function GroupsSection() {
  const intl = useIntl();
  const groups = useQuery({ queryKey: ADMIN_KEYS.groups, queryFn: listGroups });
  const users = useQuery({ queryKey: ADMIN_KEYS.users, queryFn: listUsers });
  const [editing, setEditing] = useState<TGroup | null | undefined>(undefined);
  const close = () => setEditing(undefined);
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
        action={
          <Button onClick={() => setEditing(null)} disabled={!ready}>
            <FormattedMessage id="admin.groups.new" />
          </Button>
        }
      />
      <QueryState query={{ isPending: !ready, isError: groups.isError || users.isError }} />
      {ready && groups.data.length === 0 && (
        <Text>
          <FormattedMessage id="admin.groups.empty" />
        </Text>
      )}
      {ready && groups.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <FormattedMessage id="admin.group.name" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.group.description" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.group.members" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.actions" />
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.data.map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td fw={600}>
                    <bdi>{g.name}</bdi>
                  </Table.Td>
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
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => setEditing(g)}
                      aria-label={intl.formatMessage({ id: "admin.editNamed" }, { name: g.name })}
                    >
                      <FormattedMessage id="admin.edit" />
                    </Button>
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
        title={<FormattedMessage id={editing ? "admin.groups.editTitle" : "admin.groups.new"} />}
      >
        {editing !== undefined && ready && (
          <GroupForm key={editing?.id ?? "new"} group={editing} users={users.data} onDone={close} />
        )}
      </AdminModal>
    </Stack>
  );
}
