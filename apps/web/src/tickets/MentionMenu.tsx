import { Paper, Text, UnstyledButton } from "@mantine/core";
import type { TUser } from "@switchboard/contracts";
import type { SuggestionKeyDownProps, SuggestionProps } from "@tiptap/suggestion";
import { type RefObject, useEffect, useImperativeHandle, useState } from "react";

export type TMentionItem = { id: string; label: string; email: string };
export type TMentionMenuHandle = { onKeyDown(props: SuggestionKeyDownProps): boolean };

/** Colleagues whose name or email starts a word with the query, at most six. */
export function matchColleagues(users: TUser[], query: string, selfId: string): TMentionItem[] {
  const q = query.toLocaleLowerCase();
  return users
    .filter((u) => u.active && u.id !== selfId)
    .filter(
      (u) =>
        !q ||
        `${u.name} ${u.email}`
          .toLocaleLowerCase()
          .split(/[\s@.]+/)
          .some((w) => w.startsWith(q)),
    )
    .slice(0, 6)
    .map((u) => ({ id: u.id, label: u.name, email: u.email }));
}

/** The list of colleagues under the caret while typing @name in a note. */
export function MentionMenu({
  props,
  handle,
}: {
  props: SuggestionProps<TMentionItem>;
  handle: RefObject<TMentionMenuHandle | null>;
}) {
  const [selected, setSelected] = useState(0);
  const items = props.items;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new list of matches starts at its first entry.
  useEffect(() => setSelected(0), [items]);
  useImperativeHandle(handle, () => ({
    onKeyDown: ({ event }) => {
      if (items.length === 0) return false;
      if (event.key === "ArrowDown") setSelected((s) => (s + 1) % items.length);
      else if (event.key === "ArrowUp") setSelected((s) => (s - 1 + items.length) % items.length);
      else if (event.key === "Enter" || event.key === "Tab") {
        const item = items[selected];
        if (item) props.command(item);
      } else return false;
      return true;
    },
  }));
  const rect = props.clientRect?.();
  if (!rect || items.length === 0) return null;
  return (
    <Paper
      shadow="md"
      withBorder
      p={4}
      role="listbox"
      style={{ position: "fixed", top: rect.bottom + 4, left: rect.left, zIndex: 400, minWidth: 220 }}
    >
      {items.map((item, i) => (
        <UnstyledButton
          key={item.id}
          role="option"
          aria-selected={i === selected}
          onMouseDown={(e) => {
            e.preventDefault();
            props.command(item);
          }}
          display="block"
          w="100%"
          px="xs"
          py={4}
          bg={i === selected ? "blue.0" : undefined}
          style={{ borderRadius: 4 }}
        >
          <Text size="sm">
            <bdi>{item.label}</bdi>
          </Text>
          <Text size="xs" c="gray.7">
            <bdi>{item.email}</bdi>
          </Text>
        </UnstyledButton>
      ))}
    </Paper>
  );
}
