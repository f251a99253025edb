import { Box, Group, Modal, Stack, Text, Title } from "@mantine/core";
import { useId, useMemo, useSyncExternalStore } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { SHORTCUTS } from "./bindings.ts";
import { KeyCombo } from "./KeyCombo.tsx";
import { helpSections, registeredShortcuts, subscribeShortcuts } from "./registry.ts";

/** The help overlay: every shortcut registered right now, by group. Escape closes it. */
export function ShortcutHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const intl = useIntl();
  const id = useId();
  const registered = useSyncExternalStore(subscribeShortcuts, registeredShortcuts);
  const sections = useMemo(() => helpSections(registered), [registered]);
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={intl.formatMessage({ id: "shortcut.title" })}
      closeButtonProps={{ "aria-label": intl.formatMessage({ id: "shortcut.close" }) }}
      styles={{ title: { fontWeight: 700, fontSize: "var(--mantine-font-size-lg)" } }}
    >
      <Stack gap="lg">
        {sections.map((section, i) => (
          <Box component="section" key={section.group} aria-labelledby={`${id}-${i}`}>
            <Title id={`${id}-${i}`} order={3} size="xs" fw={700} c="gray.7" tt="uppercase" mb={4}>
              <FormattedMessage id={section.group} />
            </Title>
            <Box component="dl" m={0}>
              {section.shortcuts.map((s) => (
                <Group
                  key={s.keys}
                  component="div"
                  justify="space-between"
                  wrap="nowrap"
                  gap="md"
                  py={6}
                  style={{ borderBottom: "1px solid var(--mantine-color-gray-2)" }}
                >
                  <Text component="dt" size="sm">
                    <FormattedMessage id={s.label} />
                  </Text>
                  <Text component="dd" size="sm" m={0}>
                    <KeyCombo keys={s.keys} />
                  </Text>
                </Group>
              ))}
            </Box>
          </Box>
        ))}
        <Text size="sm" c="gray.7">
          <FormattedMessage
            id="shortcut.typingNote"
            values={{ escape: <KeyCombo keys="Escape" />, send: <KeyCombo keys={SHORTCUTS.send.keys} /> }}
          />
        </Text>
      </Stack>
    </Modal>
  );
}
