import { Checkbox, Group, PasswordInput, Select, SimpleGrid, Switch, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useIntl } from "react-intl";
import { asLocale, type TLocale, type TMessageKey } from "../i18n/messages.ts";
import { createUser, type TBrand, type TGroup, type TRole, type TUser, updateUser } from "./admin-api.ts";
import { LocaleSelect, TimeZoneSelect } from "./inputs.tsx";
import { AdminForm } from "./ui.tsx";
import { useEntrySave } from "./use-admin-save.ts";

export const ROLES: TRole[] = ["owner", "admin", "supervisor", "agent", "light_agent"];
export const roleKey = (role: TRole) => `admin.role.${role}` as TMessageKey;
/** Owners and admins work in every brand; the others only in those they are given. */
export const allBrandsRole = (role: TRole) => role === "owner" || role === "admin";

type TDraft = {
  name: string;
  email: string;
  role: TRole;
  password: string;
  locale: TLocale;
  timeZone: string;
  active: boolean;
  brandIds: string[];
  groupIds: string[];
};

const draftOf = (user: TUser | null): TDraft => ({
  name: user?.name ?? "",
  email: user?.email ?? "",
  role: user?.role ?? "agent",
  password: "",
  locale: asLocale(user?.locale ?? "en"),
  timeZone: user?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  active: user?.active ?? true,
  brandIds: user?.brandIds ?? [],
  groupIds: user?.groupIds ?? [],
});

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** What changed, so the PATCH touches nothing else (and an admin never sends an owner-only field). */
function changes(user: TUser, d: TDraft) {
  const before = draftOf(user);
  return {
    ...(d.name !== before.name ? { name: d.name } : {}),
    ...(d.role !== before.role ? { role: d.role } : {}),
    ...(d.locale !== before.locale ? { locale: d.locale } : {}),
    ...(d.timeZone !== before.timeZone ? { timeZone: d.timeZone } : {}),
    ...(d.active !== before.active ? { active: d.active } : {}),
    ...(!allBrandsRole(d.role) && !sameSet(d.brandIds, before.brandIds) ? { brandIds: d.brandIds } : {}),
    ...(!sameSet(d.groupIds, before.groupIds) ? { groupIds: d.groupIds } : {}),
  };
}

/** Creates a user (an owner is never created here) or edits one's role, access, groups and state. */
export function UserForm(props: {
  user: TUser | null;
  me: { id: string; role: string };
  brands: TBrand[];
  groups: TGroup[];
  onDone: () => void;
}) {
  const { user, me } = props;
  const intl = useIntl();
  const t = (id: TMessageKey) => intl.formatMessage({ id });
  const [draft, setDraft] = useState(() => draftOf(user));
  const set = (patch: Partial<TDraft>) => setDraft((d) => ({ ...d, ...patch }));

  // The server lets only an owner grant the owner role, and no one create an owner.
  const roles = ROLES.filter((r) => r !== "owner" || (user !== null && me.role === "owner"));

  const { errors, submit, busy } = useEntrySave({
    isNew: user === null,
    save: () =>
      user
        ? updateUser(user.id, changes(user, draft))
        : createUser({
            name: draft.name,
            email: draft.email,
            // `roles` leaves the owner out of a new user's choices; this only tells the type so.
            role: draft.role === "owner" ? "admin" : draft.role,
            locale: draft.locale,
            timeZone: draft.timeZone,
            brandIds: allBrandsRole(draft.role) ? [] : draft.brandIds,
            groupIds: draft.groupIds,
            ...(draft.password ? { password: draft.password } : {}),
          }),
    nameOf: (saved) => saved.name,
    onDone: props.onDone,
  });

  return (
    <AdminForm onSubmit={submit} alert={errors.alert} busy={busy} onCancel={props.onDone}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t("admin.user.name")}
          required
          dir="auto"
          value={draft.name}
          error={errors.error("name")}
          onChange={(e) => set({ name: e.currentTarget.value })}
        />
        <TextInput
          label={t("admin.user.email")}
          type="email"
          required
          dir="ltr"
          readOnly={user !== null}
          variant={user ? "filled" : "default"}
          autoComplete="off"
          value={draft.email}
          error={errors.error("email")}
          onChange={(e) => set({ email: e.currentTarget.value })}
        />
        <Select<TRole>
          label={t("admin.user.role")}
          data={roles.map((r) => ({ value: r, label: t(roleKey(r)) }))}
          value={draft.role}
          onChange={(role) => role && set({ role })}
          allowDeselect={false}
          required
          error={errors.error("role")}
        />
        {!user && (
          <PasswordInput
            label={t("admin.user.password")}
            description={t("admin.user.passwordHint")}
            autoComplete="new-password"
            visibilityToggleButtonProps={{ "aria-label": t("admin.user.showPassword") }}
            value={draft.password}
            error={errors.error("password")}
            onChange={(e) => set({ password: e.currentTarget.value })}
          />
        )}
        <LocaleSelect
          label={t("admin.user.locale")}
          value={draft.locale}
          onChange={(locale) => set({ locale })}
          error={errors.error("locale")}
        />
        <TimeZoneSelect
          label={t("admin.user.timeZone")}
          value={draft.timeZone}
          onChange={(timeZone) => set({ timeZone })}
          error={errors.error("timeZone")}
        />
      </SimpleGrid>
      {allBrandsRole(draft.role) ? (
        <div>
          <Text size="sm" fw={500}>
            {t("admin.user.brands")}
          </Text>
          <Text size="sm" c="gray.7">
            {t("admin.user.allBrandsHint")}
          </Text>
        </div>
      ) : (
        <Checkbox.Group
          label={t("admin.user.brands")}
          value={draft.brandIds}
          onChange={(brandIds) => set({ brandIds })}
          error={errors.error("brandIds")}
        >
          <Group gap="md" mt={6}>
            {props.brands.map((b) => (
              <Checkbox key={b.id} value={b.id} label={<bdi>{b.name}</bdi>} />
            ))}
          </Group>
        </Checkbox.Group>
      )}
      <Checkbox.Group
        label={t("admin.user.groups")}
        value={draft.groupIds}
        onChange={(groupIds) => set({ groupIds })}
        error={errors.error("groupIds")}
      >
        <Group gap="md" mt={6}>
          {props.groups.length === 0 && (
            <Text size="sm" c="gray.7">
              {t("admin.groups.empty")}
            </Text>
          )}
          {props.groups.map((g) => (
            <Checkbox key={g.id} value={g.id} label={<bdi>{g.name}</bdi>} />
          ))}
        </Group>
      </Checkbox.Group>
      {user && (
        <Switch
          label={t("admin.user.activeSwitch")}
          description={user.id === me.id ? t("admin.error.cannotDeactivateSelf") : undefined}
          disabled={user.id === me.id}
          checked={draft.active}
          onChange={(e) => set({ active: e.currentTarget.checked })}
        />
      )}
    </AdminForm>
  );
}
