import { Button, Group } from "@mantine/core";
import { type QueryKey, useMutation, useQueryClient } from "@tanstack/react-query";
import { FormattedMessage, useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { moved } from "./suggest.ts";
import { EditButton, notifyDone, notifyFailed } from "./ui.tsx";

type TOrdered = { id: string; position: number; archived: boolean };

/**
 * Reordering and archiving the entries of an ordered list (categories, custom fields) from its rows.
 * A move renumbers the list 0, 1, 2…, so entries created with equal positions still move one step.
 */
export function useOrderedList<T extends TOrdered>(opts: {
  queryKey: QueryKey;
  update: (id: string, patch: { position?: number; archived?: boolean }) => Promise<T>;
  nameOf: (entry: T) => string;
}) {
  const intl = useIntl();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: opts.queryKey });

  const move = useMutation({
    mutationFn: ({ list, index, step }: { list: readonly T[]; index: number; step: -1 | 1 }) =>
      Promise.all(moved(list, index, step).map((c) => opts.update(c.id, { position: c.position }))),
    onError: () => notifyFailed(intl),
    onSettled: refresh,
  });

  const archive = useMutation({
    mutationFn: ({ entry, archived }: { entry: T; archived: boolean }) => opts.update(entry.id, { archived }),
    onSuccess: (saved) =>
      notifyDone(
        intl,
        saved.archived ? "admin.notify.archived" : "admin.notify.restored",
        opts.nameOf(saved),
      ),
    onError: () => notifyFailed(intl),
    onSettled: refresh,
  });

  return { move, archive, busy: move.isPending || archive.isPending, nameOf: opts.nameOf };
}
export type TOrderedList<T extends TOrdered> = ReturnType<typeof useOrderedList<T>>;

/** Edit, move up, move down, and archive or restore: the actions of the entry at `index` of `list`. */
export function OrderActions<T extends TOrdered>(props: {
  rows: TOrderedList<T>;
  list: readonly T[];
  index: number;
  onEdit: () => void;
}) {
  const { rows, list, index } = props;
  const intl = useIntl();
  const entry = list[index];
  if (!entry) return null;
  const name = rows.nameOf(entry);
  const named = (id: TMessageKey) => intl.formatMessage({ id }, { name });
  return (
    <Group gap={4} wrap="nowrap">
      <EditButton name={name} onClick={props.onEdit} />
      <Button
        size="xs"
        variant="default"
        disabled={rows.busy || index === 0}
        onClick={() => rows.move.mutate({ list, index, step: -1 })}
        aria-label={named("admin.moveUp")}
      >
        ↑
      </Button>
      <Button
        size="xs"
        variant="default"
        disabled={rows.busy || index === list.length - 1}
        onClick={() => rows.move.mutate({ list, index, step: 1 })}
        aria-label={named("admin.moveDown")}
      >
        ↓
      </Button>
      <Button
        size="xs"
        variant="subtle"
        color={entry.archived ? "blue" : "red"}
        disabled={rows.busy}
        onClick={() => rows.archive.mutate({ entry, archived: !entry.archived })}
        aria-label={named(entry.archived ? "admin.restoreNamed" : "admin.archiveNamed")}
      >
        <FormattedMessage id={entry.archived ? "admin.restore" : "admin.archive"} />
      </Button>
    </Group>
  );
}
