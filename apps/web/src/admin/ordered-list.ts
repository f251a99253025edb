import { type QueryKey, useMutation, useQueryClient } from "@tanstack/react-query";
import { useIntl } from "react-intl";
import { moved } from "./suggest.ts";
import { notifyDone, notifyFailed } from "./ui.tsx";

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
    mutationFn: ({ list, index, step }: { list: T[]; index: number; step: -1 | 1 }) =>
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

  return { move, archive, busy: move.isPending || archive.isPending };
}
