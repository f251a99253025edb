import { Badge, Group, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { FormattedList, FormattedMessage } from "react-intl";
import { ADMIN_KEYS, listBrands, listGroups, listUsers, type TBrand, type TUser } from "./admin-api.ts";
import { AdminTable } from "./admin-table.tsx";
import { roleKey, UserForm } from "./UserForm.tsx";
import {
  EditButton,
  EditDialog,
  NewButton,
  QueryState,
  SectionHeader,
  StatusBadge,
  useEditing,
} from "./ui.tsx";

/** The brands a user works in, by name: every brand for owners and admins. */
function BrandAccess({ user, brands }: { user: TUser; brands: TBrand[] }) {
  if (user.brandIds === null) return <FormattedMessage id="admin.user.allBrands" />;
  const names = brands.filter((b) => user.brandIds?.includes(b.id)).map((b) => b.name);
  if (names.length === 0) return <FormattedMessage id="admin.user.noBrands" />;
  return <FormattedList type="conjunction" value={names.map((name) => <bdi key={name}>{name}</bdi>)} />;
}

export function UsersSection({ me }: { me: { id: string; role: string } }) {
  const users = useQuery({ queryKey: ADMIN_KEYS.users, queryFn: listUsers });
  const brands = useQuery({ queryKey: ADMIN_KEYS.brands, queryFn: listBrands });
  const groups = useQuery({ queryKey: ADMIN_KEYS.groups, queryFn: listGroups });
  const editing = useEditing<TUser>();
  const ready = users.data && brands.data && groups.data;

  return (
    <Stack component="section" aria-labelledby="admin-users" gap="sm">
      <SectionHeader
        id="admin-users"
        title="admin.users.title"
        count={
          users.data && <FormattedMessage id="admin.users.count" values={{ count: users.data.length }} />
        }
        action={<NewButton label="admin.users.new" onClick={() => editing.edit(null)} disabled={!ready} />}
      />
      <QueryState query={{ isPending: !ready, isError: users.isError || brands.isError || groups.isError }} />
      <AdminTable
        items={ready ? users.data : undefined}
        columns={["admin.user.name", "admin.user.role", "admin.user.brands", "admin.user.status"]}
        minWidth={760}
        row={(u) => {
          // The server lets only owners change an owner.
          const locked = u.role === "owner" && me.role !== "owner";
          return (
            <Table.Tr key={u.id} data-user-id={u.id} c={u.active ? undefined : "gray.7"}>
              <Table.Td>
                <Group gap={6}>
                  <Text size="sm" fw={600} span>
                    <bdi>{u.name}</bdi>
                  </Text>
                  {u.id === me.id && (
                    <Badge size="xs" variant="outline" c="dark.8">
                      <FormattedMessage id="admin.user.you" />
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="gray.7">
                  <bdi>{u.email}</bdi>
                </Text>
              </Table.Td>
              <Table.Td>
                <FormattedMessage id={roleKey(u.role)} />
              </Table.Td>
              <Table.Td>
                <BrandAccess user={u} brands={brands.data ?? []} />
              </Table.Td>
              <Table.Td>
                <StatusBadge on={u.active} label={u.active ? "admin.user.active" : "admin.user.inactive"} />
              </Table.Td>
              <Table.Td>
                {locked ? (
                  <Text size="xs" c="gray.7">
                    <FormattedMessage id="admin.user.ownerLocked" />
                  </Text>
                ) : (
                  <EditButton name={u.name} onClick={() => editing.edit(u)} />
                )}
              </Table.Td>
            </Table.Tr>
          );
        }}
      />
      <EditDialog editing={editing} newTitle="admin.users.new" editTitle="admin.users.editTitle">
        {(user) =>
          ready && (
            <UserForm user={user} me={me} brands={brands.data} groups={groups.data} onDone={editing.close} />
          )
        }
      </EditDialog>
    </Stack>
  );
}
