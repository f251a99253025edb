import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import type { TLocale } from "../i18n/messages.ts";
import { ApiError } from "../lib/http.ts";
import { LanguageMenu } from "./LanguageMenu.tsx";
import { signIn, type TSession } from "./session.ts";

export function SignIn(props: {
  expired: boolean;
  locale: TLocale;
  onLocale: (l: TLocale) => void;
  onSignedIn: (s: TSession) => void;
}) {
  const intl = useIntl();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<"failed" | "error" | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await signIn(email, password));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? "failed" : "error");
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={submit}>
          <Stack>
            <Group justify="space-between">
              <Title order={1} size="h3">
                <FormattedMessage id="signIn.title" />
              </Title>
            </Group>
            {props.expired && !error && (
              <Alert color="yellow" role="status">
                <FormattedMessage id="signIn.expired" />
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert">
                <FormattedMessage id={error === "failed" ? "signIn.failed" : "app.error"} />
              </Alert>
            )}
            <TextInput
              label={intl.formatMessage({ id: "signIn.email" })}
              type="email"
              autoComplete="username"
              dir="ltr"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              label={intl.formatMessage({ id: "signIn.password" })}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              <FormattedMessage id="signIn.submit" />
            </Button>
            <Group justify="flex-end">
              <LanguageMenu locale={props.locale} onLocale={props.onLocale} />
            </Group>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
