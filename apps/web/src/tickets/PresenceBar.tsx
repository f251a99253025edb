import { Avatar, Group, Text } from "@mantine/core";
import type { TPresenceUser } from "@switchboard/contracts";
import { FormattedMessage } from "react-intl";

const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((w) => w[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();

/** Colleagues on this ticket right now, and whether they are writing: two people never answer twice. */
export function PresenceBar({ users }: { users: TPresenceUser[] }) {
  return (
    <div aria-live="polite" data-presence>
      {users.length > 0 && (
        <Group gap="xs" wrap="wrap">
          {users.map((u) => (
            <Group key={u.userId} gap={6} data-presence-user={u.userId} data-state={u.state}>
              <Avatar size="sm" color={u.state === "typing" ? "orange" : "blue"} radius="xl" aria-hidden>
                {initials(u.name)}
              </Avatar>
              <Text size="sm" c={u.state === "typing" ? "orange.9" : "gray.7"}>
                <FormattedMessage
                  id={u.state === "typing" ? "presence.typing" : "presence.viewing"}
                  values={{ name: <bdi>{u.name}</bdi> }}
                />
              </Text>
            </Group>
          ))}
        </Group>
      )}
    </div>
  );
}
