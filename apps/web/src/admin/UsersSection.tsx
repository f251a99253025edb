import { Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormattedList, FormattedMessage, useIntl } from "react-intl";
import { ADMIN_KEYS, listBrands, listGroups, listUsers, type TBrand, type TUser } from "./admin-api.ts";
import { roleKey, UserForm } from "./UserForm.tsx";
import { AdminModal, QueryState, SectionHeader } from "./ui.tsx";

/** The brands a user works in, by name: every brand for owners and admins. */
function BrandAccess({ user, brands }: { user: TUser; brands: TBrand[] }) {
  if (user.brandIds === null) return <FormattedMessage id="admin.user.allBrands" />;
  const names = brands.filter((b) => user.brandIds?.includes(b.id)).map((b) => b.name);
  if (names.length === 0) return <FormattedMessage id="admin.user.noBrands" />;
  return <FormattedList type="conjunction" value={names.map((name) => <bdi key={name}>{name}</bdi>)} />;
}

export function UsersSection({ me }: { me: { id: string; role: string } }) {
  const intl = useIntl();
  const users = useQuery({ queryKey: ADMIN_KEYS.users, queryFn: listUsers });
  const brands = useQuery({ queryKey: ADMIN_KEYS.brands, queryFn: listBrands });
  const groups = useQuery({ queryKey: ADMIN_KEYS.groups, queryFn: listGroups });
  const [editing, setEditing] = useState<TUser | null | undefined>(undefined);
  const close = () => setEditing(undefined);
  const ready = users.data && brands.data && groups.data;

  return (
    <Stack component="section" aria-labelledby="admin-users" gap="sm">
      <SectionHeader
        id="admin-users"
        title="admin.users.title"
        count={
          users.data && <FormattedMessage id="admin.users.count" values={{ count: users.data.length }} />
        }
        action={
          <Button onClick={() => setEditing(null)} disabled={!ready}>
            <FormattedMessage id="admin.users.new" />
          </Button>
        }
      />
      <QueryState query={{ isPending: !ready, isError: users.isError || brands.isError || groups.isError }} />
      {ready && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <FormattedMessage id="admin.user.name" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.user.role" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.user.brands" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.user.status" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.actions" />
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.map((u) => {
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
                      <BrandAccess user={u} brands={brands.data} />
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        size="sm"
                        variant="light"
                        color={u.active ? "green" : "gray"}
                        c="dark.8"
                        tt="none"
                      >
                        <FormattedMessage id={u.active ? "admin.user.active" : "admin.user.inactive"} />
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {locked ? (
                        <Text size="xs" c="gray.7">
                          <FormattedMessage id="admin.user.ownerLocked" />
                        </Text>
                      ) : (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => setEditing(u)}
                          aria-label={intl.formatMessage({ id: "admin.editNamed" }, { name: u.name })}
                        >
                          <FormattedMessage id="admin.edit" />
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AdminModal
        opened={editing !== undefined}
        onClose={close}
        title={<FormattedMessage id={editing ? "admin.users.editTitle" : "admin.users.new"} />}
      >
        {editing !== undefined && ready && (
          <UserForm
            key={editing?.id ?? "new"}
            user={editing}
            me={me}
            brands={brands.data}
            groups={groups.data}
            onDone={close}
          />
        )}
      </AdminModal>
    </Stack>
  );
}
