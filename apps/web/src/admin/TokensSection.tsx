import { Alert, Button, Code, CopyButton, Group, Stack, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormattedDate, FormattedMessage, useIntl } from "react-intl";
import {
  ADMIN_KEYS,
  createToken,
  listTokens,
  refreshDirectory,
  revokeToken,
  type TApiToken,
} from "./admin-api.ts";
import { AdminTable, NameCell } from "./admin-table.tsx";
import { AdminModal, FormAlert, notifyDone, notifyFailed, QueryState, SectionHeader } from "./ui.tsx";
import { useAdminSave } from "./use-admin-save.ts";

const When = ({ value }: { value: string }) => (
  <FormattedDate value={value} dateStyle="medium" timeStyle="short" />
);

/** The new token, shown this once, with a copy button. */
function NewToken({ token, onDone }: { token: string; onDone: () => void }) {
  const intl = useIntl();
  return (
    <Stack gap="sm">
      <Alert
        color="yellow"
        variant="light"
        c="dark.8"
        title={intl.formatMessage({ id: "admin.tokens.once" })}
      >
        <FormattedMessage id="admin.tokens.onceHint" />
      </Alert>
      <Code block dir="ltr" style={{ overflowWrap: "anywhere", whiteSpace: "pre-wrap" }} data-token>
        {token}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={token}>
          {({ copied, copy }) => (
            <Button variant="light" color={copied ? "green" : undefined} onClick={copy}>
              <FormattedMessage id={copied ? "admin.tokens.copied" : "admin.tokens.copy"} />
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>
          <FormattedMessage id="admin.tokens.done" />
        </Button>
      </Group>
    </Stack>
  );
}

/** The signed-in user's personal API tokens: create one (shown once), see when each was last used, revoke. */
export function TokensSection() {
  const intl = useIntl();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ADMIN_KEYS.tokens, queryFn: listTokens });
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<TApiToken | null>(null);

  const create = useAdminSave({
    save: () => createToken(name),
    onSaved: (token) => {
      setCreated(token.token);
      setName("");
    },
  });
  const revoke = useMutation({
    mutationFn: (token: TApiToken) => revokeToken(token.id),
    onSuccess: (_, token) => notifyDone(intl, "admin.tokens.revoked", token.name),
    onError: () => notifyFailed(intl),
    onSettled: () => {
      setRevoking(null);
      void refreshDirectory(queryClient);
    },
  });

  return (
    <Stack component="section" aria-labelledby="admin-tokens" gap="sm">
      <SectionHeader id="admin-tokens" title="admin.tokens.title" />
      <Text size="sm" maw={720}>
        <FormattedMessage id="admin.tokens.intro" />
      </Text>
      <form onSubmit={create.submit}>
        <Stack gap="xs" maw={520}>
          <FormAlert message={create.errors.alert} />
          <Group align="flex-end" gap="sm" wrap="nowrap">
            <TextInput
              flex={1}
              label={intl.formatMessage({ id: "admin.tokens.name" })}
              description={intl.formatMessage({ id: "admin.tokens.nameHint" })}
              required
              dir="auto"
              maxLength={100}
              value={name}
              error={create.errors.error("name")}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Button type="submit" loading={create.busy}>
              <FormattedMessage id="admin.tokens.create" />
            </Button>
          </Group>
        </Stack>
      </form>
      <QueryState query={tokens} />
      <AdminTable
        items={tokens.data}
        columns={["admin.tokens.name", "admin.tokens.created", "admin.tokens.lastUsed"]}
        minWidth={560}
        empty={
          <Text c="gray.7">
            <FormattedMessage id="admin.tokens.empty" />
          </Text>
        }
        row={(tk) => (
          <Table.Tr key={tk.id}>
            <NameCell name={tk.name} />
            <Table.Td>
              <When value={tk.createdAt} />
            </Table.Td>
            <Table.Td>
              {tk.lastUsedAt ? <When value={tk.lastUsedAt} /> : <FormattedMessage id="admin.tokens.never" />}
            </Table.Td>
            <Table.Td>
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() => setRevoking(tk)}
                aria-label={intl.formatMessage({ id: "admin.tokens.revokeNamed" }, { name: tk.name })}
              >
                <FormattedMessage id="admin.tokens.revoke" />
              </Button>
            </Table.Td>
          </Table.Tr>
        )}
      />
      <AdminModal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title={<FormattedMessage id="admin.tokens.newTitle" />}
      >
        {created && <NewToken token={created} onDone={() => setCreated(null)} />}
      </AdminModal>
      <AdminModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={<FormattedMessage id="admin.tokens.revokeTitle" />}
      >
        {revoking && (
          <Stack gap="sm">
            <Text>
              <FormattedMessage id="admin.tokens.revokeBody" values={{ name: <bdi>{revoking.name}</bdi> }} />
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRevoking(null)}>
                <FormattedMessage id="admin.cancel" />
              </Button>
              <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(revoking)}>
                <FormattedMessage id="admin.tokens.revoke" />
              </Button>
            </Group>
          </Stack>
        )}
      </AdminModal>
    </Stack>
  );
}
