import { Button, Checkbox, NumberInput, Select, Stack, TagsInput, TextInput, Title } from "@mantine/core";
import type { TCustomField, TTicket, TUpdateTicket } from "@switchboard/contracts";
import { useEffect, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { useSession } from "../app/session-context.tsx";
import type { TMessageKey } from "../i18n/messages.ts";
import { useCategories, useCustomFields, useGroups, useUsers } from "../lib/directory.ts";
import { fromZonedInput, toZonedInput } from "../lib/zoned.ts";
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from "./ticket-fields.ts";

const NONE = "";

type TSave = (changes: TUpdateTicket) => void;

/** A text-like input that saves when the agent leaves it, not on every key. */
function BlurInput(props: { label: string; value: string; type?: string; onSave(value: string): void }) {
  const [value, setValue] = useState(props.value);
  useEffect(() => setValue(props.value), [props.value]);
  return (
    <TextInput
      label={props.label}
      type={props.type ?? "text"}
      value={value}
      dir="auto"
      onChange={(e) => setValue(e.currentTarget.value)}
      onBlur={() => value !== props.value && props.onSave(value)}
    />
  );
}

function CustomFieldInput({ field, value, save }: { field: TCustomField; value: unknown; save: TSave }) {
  const set = (v: unknown) => save({ customFields: { [field.key]: v === "" ? null : v } });
  const label = field.label;
  switch (field.kind) {
    case "checkbox":
      return (
        <Checkbox label={label} checked={value === true} onChange={(e) => set(e.currentTarget.checked)} />
      );
    case "dropdown":
      return (
        <Select
          label={label}
          data={field.options}
          value={typeof value === "string" ? value : null}
          clearable
          onChange={(v) => set(v ?? "")}
        />
      );
    case "number":
      return (
        <NumberInput
          label={label}
          value={typeof value === "number" ? value : ""}
          onBlur={(e) => {
            const n = e.currentTarget.value.trim();
            if (n !== String(value ?? "")) set(n === "" ? "" : Number(n));
          }}
        />
      );
    case "date":
      return (
        <BlurInput label={label} type="date" value={typeof value === "string" ? value : ""} onSave={set} />
      );
    default:
      return <BlurInput label={label} value={typeof value === "string" ? value : ""} onSave={set} />;
  }
}

/** The ticket's properties, each saved as soon as it changes. */
export function TicketSidebar({ ticket, save }: { ticket: TTicket; save: TSave }) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id: id as TMessageKey });
  const { user } = useSession();
  const users = useUsers().data ?? [];
  const groups = useGroups().data ?? [];
  const categories = useCategories().data ?? [];
  const fields = useCustomFields().data ?? [];
  const assignable = users.filter(
    (u) =>
      (u.active &&
        u.role !== "light_agent" &&
        (u.brandIds === null || u.brandIds.includes(ticket.brandId))) ||
      u.id === ticket.assigneeId,
  );
  const option = <T extends string>(prefix: string, values: readonly T[]) =>
    values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));

  return (
    <Stack gap="sm" component="section" aria-labelledby="properties-title">
      <Title id="properties-title" order={3} size="h5">
        <FormattedMessage id="sidebar.title" />
      </Title>
      <Select
        label={t("tickets.status")}
        data={option("status", TICKET_STATUSES)}
        value={ticket.status}
        allowDeselect={false}
        onChange={(v) => v && v !== ticket.status && save({ status: v as TTicket["status"] })}
      />
      <Select
        label={t("sidebar.priority")}
        data={option("priority", TICKET_PRIORITIES)}
        value={ticket.priority}
        allowDeselect={false}
        onChange={(v) => v && save({ priority: v as TTicket["priority"] })}
      />
      <Select
        label={t("sidebar.type")}
        data={option("type", TICKET_TYPES)}
        value={ticket.type}
        allowDeselect={false}
        onChange={(v) => v && save({ type: v as TTicket["type"] })}
      />
      <Select
        label={t("sidebar.category")}
        data={categories
          .filter((c) => !c.archived || c.key === ticket.category)
          .map((c) => ({ value: c.key, label: c.name }))}
        value={ticket.category}
        clearable
        placeholder={t("sidebar.none")}
        onChange={(v) => save({ category: v })}
      />
      <Stack gap={4}>
        <Select
          label={t("sidebar.assignee")}
          data={[
            { value: NONE, label: t("sidebar.unassigned") },
            ...assignable.map((u) => ({ value: u.id, label: u.name })),
          ]}
          value={ticket.assigneeId ?? NONE}
          searchable
          allowDeselect={false}
          onChange={(v) => save({ assigneeId: v ? v : null })}
        />
        {ticket.assigneeId !== user.id && user.role !== "light_agent" && (
          <Button
            variant="subtle"
            size="compact-xs"
            w="fit-content"
            onClick={() => save({ assigneeId: user.id })}
          >
            <FormattedMessage id="sidebar.assignToMe" />
          </Button>
        )}
      </Stack>
      <Select
        label={t("sidebar.group")}
        data={[
          { value: NONE, label: t("sidebar.none") },
          ...groups.map((g) => ({ value: g.id, label: g.name })),
        ]}
        value={ticket.groupId ?? NONE}
        allowDeselect={false}
        onChange={(v) => save({ groupId: v ? v : null })}
      />
      <TagsInput
        label={t("sidebar.tags")}
        value={ticket.tags}
        clearable
        splitChars={[",", " "]}
        onChange={(tags) => save({ tags: tags.map((x) => x.toLowerCase()) })}
      />
      <BlurInput
        label={t("sidebar.due")}
        type="datetime-local"
        value={toZonedInput(ticket.dueAt, user.timeZone)}
        onSave={(v) => save({ dueAt: v ? fromZonedInput(v, user.timeZone) : null })}
      />
      {fields
        .filter((f) => !f.archived)
        .map((f) => (
          <CustomFieldInput key={f.id} field={f} value={ticket.customFields[f.key]} save={save} />
        ))}
    </Stack>
  );
}
