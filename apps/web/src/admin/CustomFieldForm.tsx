import { Select, SimpleGrid, Switch, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useIntl } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";
import { createCustomField, type TCustomField, type TFieldKind, updateCustomField } from "./admin-api.ts";
import { KeyInput, useSuggestedKey } from "./inputs.tsx";
import { AdminForm } from "./ui.tsx";
import { useEntrySave } from "./use-admin-save.ts";

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
  const [label, setLabel] = useState(field?.label ?? "");
  const key = useSuggestedKey(field?.key);
  const [kind, setKind] = useState<TFieldKind>(field?.kind ?? "text");
  const [options, setOptions] = useState((field?.options ?? []).join("\n"));
  const [required, setRequired] = useState(field?.required ?? false);
  const dropdown = kind === "dropdown";

  const { errors, submit, busy } = useEntrySave({
    isNew: field === null,
    save: () => {
      const choices = dropdown ? { options: optionsFrom(options) } : {};
      return field
        ? updateCustomField(field.id, {
            ...(label !== field.label ? { label } : {}),
            ...(required !== field.required ? { required } : {}),
            ...choices,
          })
        : createCustomField({ key: key.value, label, kind, required, ...choices });
    },
    nameOf: (saved) => saved.label,
    onDone,
  });

  return (
    <AdminForm onSubmit={submit} alert={errors.alert} busy={busy} onCancel={onDone}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t("admin.field.label")}
          required
          dir="auto"
          value={label}
          error={errors.error("label")}
          onChange={(e) => {
            setLabel(e.currentTarget.value);
            key.follow(e.currentTarget.value);
          }}
        />
        <KeyInput value={key.value} fixed={field !== null} error={errors.error("key")} onChange={key.set} />
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
    </AdminForm>
  );
}
