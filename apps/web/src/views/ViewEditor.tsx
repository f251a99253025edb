import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  TextInput,
} from "@mantine/core";
import type { TCreateView, TViewFilters } from "@switchboard/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { useSession } from "../app/session-context.tsx";
import type { TMessageKey } from "../i18n/messages.ts";
import { useBrands, useCategories, useGroups, useUsers } from "../lib/directory.ts";
import { ApiError } from "../lib/http.ts";
import { TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from "../tickets/ticket-fields.ts";
import { refreshTicketLists } from "../tickets/ticket-queries.ts";
import { canShareViews } from "./views.ts";
import { createView, deleteView, type TView, updateView, viewKeys } from "./views-api.ts";

const SORTS = ["updated_at", "created_at", "number", "priority", "status", "due_at", "solved_at"] as const;

type TSort = TCreateView["sort"];

/** Creates a view, or changes or deletes a saved one: its name, filters and order. */
export function ViewEditor({ view, onClose }: { view: TView | null; onClose(): void }) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string>) =>
    intl.formatMessage({ id: id as TMessageKey }, values);
  const client = useQueryClient();
  const { user } = useSession();
  const brands = useBrands().data ?? [];
  const categories = useCategories().data ?? [];
  const users = useUsers().data ?? [];
  const groups = useGroups().data ?? [];
  const [name, setName] = useState(view?.name ?? "");
  const [filters, setFilters] = useState<TViewFilters>(view?.filters ?? { status: ["new", "open"] });
  const [sort, setSort] = useState<TSort>(view?.sort ?? { by: "updated_at", direction: "desc" });
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof TViewFilters>(key: K, value: TViewFilters[K] | undefined) =>
    setFilters((f) => {
      const next = { ...f };
      if (value === undefined || (Array.isArray(value) && value.length === 0)) delete next[key];
      else next[key] = value;
      return next;
    });
  const many = <K extends keyof TViewFilters>(key: K) => ({
    value: (filters[key] as string[] | undefined) ?? [],
    onChange: (v: string[]) => set(key, v as TViewFilters[K]),
    clearable: true,
    clearButtonProps: { "aria-label": t("bulk.clear") },
  });
  const options = (prefix: string, values: readonly string[]) =>
    values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));

  const done = async (saved?: { id: string }) => {
    await client.invalidateQueries({ queryKey: viewKeys.all });
    refreshTicketLists(client);
    onClose();
    if (saved) window.location.hash = `#/views/${saved.id}`;
  };
  const run = async (action: () => Promise<unknown>, after: (result: unknown) => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await after(await action());
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t("app.error"));
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(
      () =>
        view
          ? updateView(view.id, { name, filters, sort })
          : createView({ name, filters, sort, shared, position: undefined }),
      (saved) => done(saved as { id: string }),
    );
  const remove = () =>
    view &&
    run(
      () => deleteView(view.id),
      () =>
        done()
          .then(() => (window.location.hash = "#/views/mine"))
          .then(() => undefined),
    );

  return (
    <Modal opened onClose={onClose} title={t(view ? "views.edit" : "views.new")} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack>
          <TextInput
            label={t("views.name")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            dir="auto"
            data-autofocus
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MultiSelect
              label={t("tickets.status")}
              data={options("status", TICKET_STATUSES)}
              {...many("status")}
            />
            <MultiSelect
              label={t("sidebar.priority")}
              data={options("priority", TICKET_PRIORITIES)}
              {...many("priority")}
            />
            <MultiSelect
              label={t("views.channel")}
              data={options("channel", TICKET_CHANNELS)}
              {...many("channel")}
            />
            <MultiSelect
              label={t("views.brand")}
              data={brands.map((b) => ({ value: b.id, label: b.name }))}
              {...many("brandId")}
            />
            <MultiSelect
              label={t("sidebar.category")}
              data={categories.map((c) => ({ value: c.key, label: c.name }))}
              {...many("category")}
            />
            <TagsInput label={t("sidebar.tags")} {...many("tag")} splitChars={[",", " "]} />
            <MultiSelect
              label={t("sidebar.assignee")}
              searchable
              data={[
                { value: "me", label: t("views.me") },
                { value: "none", label: t("sidebar.unassigned") },
                ...users.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name })),
              ]}
              {...many("assigneeId")}
            />
            <MultiSelect
              label={t("sidebar.group")}
              data={[
                { value: "none", label: t("sidebar.none") },
                ...groups.map((g) => ({ value: g.id, label: g.name })),
              ]}
              {...many("groupId")}
            />
            <NumberInput
              label={t("views.createdWithin")}
              min={1}
              max={3650}
              value={filters.createdWithinDays ?? ""}
              onChange={(v) => set("createdWithinDays", typeof v === "number" ? v : undefined)}
            />
            <NumberInput
              label={t("views.updatedWithin")}
              min={1}
              max={3650}
              value={filters.updatedWithinDays ?? ""}
              onChange={(v) => set("updatedWithinDays", typeof v === "number" ? v : undefined)}
            />
          </SimpleGrid>
          <Group align="flex-end">
            <Select
              label={t("views.sortBy")}
              data={options("sort", SORTS)}
              value={sort.by}
              allowDeselect={false}
              onChange={(v) => v && setSort((s) => ({ ...s, by: v as TSort["by"] }))}
            />
            <SegmentedControl
              aria-label={t("views.direction")}
              value={sort.direction}
              onChange={(v) => setSort((s) => ({ ...s, direction: v as TSort["direction"] }))}
              data={[
                { value: "desc", label: t("views.desc") },
                { value: "asc", label: t("views.asc") },
              ]}
            />
          </Group>
          {!view && canShareViews(user.role) && (
            <Checkbox
              label={t("views.shareWithAll")}
              checked={shared}
              onChange={(e) => setShared(e.currentTarget.checked)}
            />
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="space-between">
            <div>
              {view && (
                <Button variant="subtle" color="red" onClick={() => void remove()} loading={busy}>
                  <FormattedMessage id="views.delete" />
                </Button>
              )}
            </div>
            <Group>
              <Button variant="default" onClick={onClose}>
                <FormattedMessage id="actions.cancel" />
              </Button>
              <Button type="submit" loading={busy} disabled={!name.trim()}>
                <FormattedMessage id="composer.save" />
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
