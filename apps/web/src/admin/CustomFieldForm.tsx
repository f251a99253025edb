import { Select, SimpleGrid, Stack, Switch, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import {
  createCustomField,
  refreshDirectory,
  type TCustomField,
  type TFieldKind,
  updateCustomField,
} from "./admin-api.ts";
import { useFormErrors } from "./form-errors.ts";
import { keyFrom } from "./suggest.ts";
import { FormAlert, FormButtons, notifyDone } from "./ui.tsx";

export const FIELD_KINDS: TFieldKind[] = ["text", "number", "dropdown", "checkbox", "date"];
export const kindKey = (kind: TFieldKind) => `admin.kind.${kind}` as TMessageKey;

/** One choice a line; blank lines and spaces around a choice do not count. */
const optionsFrom = (text: string) =>
  text
    .split("\n")
    .map((o) => o.trim())
    .filter(Boolean);

/** Creates a custom ticket field, or changes one's label, choices and whether it is required (key and kind stay). */
export function CustomFieldForm({ field, onDone }: { field: TCustomField | null; onDone: () => void }) {
  const intl = useIntl();
  const t = (id: TMessageKey) => intl.formatMessage({ id });
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [label, setLabel] = useState(field?.label ?? "");
  const [key, setKey] = useState(field?.key ?? "");
  const [keyTouched, setKeyTouched] = useState(field !== null);
  const [kind, setKind] = useState<TFieldKind>(field?.kind ?? "text");
  const [options, setOptions] = useState((field?.options ?? []).join("\n"));
  const [required, setRequired] = useState(field?.required ?? false);
  const dropdown = kind === "dropdown";

  const save = useMutation({
    mutationFn: () => {
      const choices = dropdown ? { options: optionsFrom(options) } : {};
      return field
        ? updateCustomField(field.id, {
            ...(label !== field.label ? { label } : {}),
            ...(required !== field.required ? { required } : {}),
            ...choices,
          })
        : createCustomField({ key, label, kind, required, ...choices });
    },
    onSuccess: (saved) => {
      void refreshDirectory(queryClient);
      notifyDone(intl, field ? "admin.notify.saved" : "admin.notify.created", saved.label);
      onDone();
    },
    onError: errors.fail,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.clear();
    save.mutate();
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <FormAlert message={errors.alert} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("admin.field.label")}
            required
            dir="auto"
            value={label}
            error={errors.error("label")}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setLabel(next);
              if (!keyTouched) setKey(keyFrom(next));
            }}
          />
          <TextInput
            label={t("admin.field.key")}
            description={t("admin.field.keyHint")}
            required
            dir="ltr"
            readOnly={field !== null}
            variant={field ? "filled" : "default"}
            value={key}
            error={errors.error("key")}
            onChange={(e) => {
              setKeyTouched(true);
              setKey(e.currentTarget.value);
            }}
          />
          <Select<TFieldKind>
            label={t("admin.field.kind")}
            description={field ? t("admin.field.kindFixed") : undefined}
            data={FIELD_KINDS.map((k) => ({ value: k, label: t(kindKey(k)) }))}
            value={kind}
            onChange={(next) => next && setKind(next)}
            allowDeselect={false}
            readOnly={field !== null}
            variant={field ? "filled" : "default"}
            required
          />
        </SimpleGrid>
        {dropdown && (
          <Textarea
            label={t("admin.field.options")}
            description={t("admin.field.optionsHint")}
            required
            dir="auto"
            autosize
            minRows={3}
            maxRows={10}
            value={options}
            error={errors.error("options")}
            onChange={(e) => setOptions(e.currentTarget.value)}
          />
        )}
        <Switch
          label={t("admin.field.required")}
          description={t("admin.field.requiredHint")}
          checked={required}
          onChange={(e) => setRequired(e.currentTarget.checked)}
        />
        <FormButtons busy={save.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}
