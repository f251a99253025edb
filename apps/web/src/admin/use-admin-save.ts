import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useIntl } from "react-intl";
import { refreshDirectory } from "./admin-api.ts";
import { useFormErrors } from "./form-errors.ts";
import { notifyDone } from "./ui.tsx";

/**
 * Submitting an admin form: the server's refusals go under the fields they concern (cleared on each try),
 * and a change refreshes every copy of the workspace's people and settings, not just this list.
 */
export function useAdminSave<T>(opts: { save: () => Promise<T>; onSaved: (saved: T) => void }) {
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const mutation = useMutation({
    mutationFn: opts.save,
    onSuccess: (saved) => {
      void refreshDirectory(queryClient);
      opts.onSaved(saved);
    },
    onError: errors.fail,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    mutation.mutate();
  };
  return { errors, submit, busy: mutation.isPending };
}

/** Submitting a dialog that creates or edits one entry: once saved, it says so by name and closes. */
export function useEntrySave<T>(opts: {
  isNew: boolean;
  save: () => Promise<T>;
  nameOf: (saved: T) => string;
  onDone: () => void;
}) {
  const intl = useIntl();
  return useAdminSave({
    save: opts.save,
    onSaved: (saved) => {
      notifyDone(intl, opts.isNew ? "admin.notify.created" : "admin.notify.saved", opts.nameOf(saved));
      opts.onDone();
    },
  });
}
