import { Checkbox, ColorInput, Group, Image, Paper, SimpleGrid, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useIntl } from "react-intl";
import { LANGUAGE_NAMES, LOCALES, type TLocale, type TMessageKey } from "../i18n/messages.ts";
import { createBrand, type TBrand, updateBrand } from "./admin-api.ts";
import { LocaleSelect, TimeZoneSelect } from "./inputs.tsx";
import { slugFrom } from "./suggest.ts";
import { AdminForm } from "./ui.tsx";
import { useEntrySave } from "./use-admin-save.ts";

type TDraft = {
  name: string;
  slug: string;
  defaultLocale: TLocale;
  supportedLocales: TLocale[];
  timeZone: string;
  primaryColor: string;
  accentColor: string;
  logoUrl: string;
};

// A hex code reads left to right in a Persian form too; the field itself stays right to left, so its
// colour swatch keeps its place at the start.
const LTR_VALUE = { input: { unicodeBidi: "plaintext" } } as const;

const SWATCHES = ["#1d4ed8", "#0f766e", "#15803d", "#b45309", "#b91c1c", "#7e22ce", "#be185d", "#334155"];

const draftOf = (brand: TBrand | null): TDraft =>
  brand
    ? {
        name: brand.name,
        slug: brand.slug,
        defaultLocale: brand.defaultLocale,
        supportedLocales: brand.supportedLocales,
        timeZone: brand.timeZone,
        primaryColor: brand.primaryColor,
        accentColor: brand.accentColor,
        logoUrl: brand.logoUrl ?? "",
      }
    : {
        name: "",
        slug: "",
        defaultLocale: "en",
        supportedLocales: ["en"],
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        primaryColor: "#2563eb",
        accentColor: "#0f766e",
        logoUrl: "",
      };

/** Only what changed, so a PATCH leaves the rest as another admin may have just set it. */
function changes(before: TDraft, after: TDraft) {
  const patch: Partial<Omit<TDraft, "logoUrl">> & { logoUrl?: string | null } = {};
  for (const key of Object.keys(after) as Array<keyof TDraft>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      Object.assign(patch, { [key]: after[key] });
  }
  if (before.logoUrl !== after.logoUrl) patch.logoUrl = after.logoUrl.trim() || null;
  return patch;
}

/** The logo at the address typed so far, or a note when it cannot be shown (keyed by the address). */
function LogoPreview({ url, name }: { url: string; name: string }) {
  const intl = useIntl();
  const [broken, setBroken] = useState(false);
  if (!/^https?:\/\/\S+$/i.test(url)) return null;
  return (
    <Paper withBorder p="xs" aria-label={intl.formatMessage({ id: "admin.brand.logoPreview" })} role="figure">
      {broken ? (
        <Text size="sm" c="gray.7">
          {intl.formatMessage({ id: "admin.brand.logoBroken" })}
        </Text>
      ) : (
        <Image
          src={url}
          h={48}
          w="auto"
          fit="contain"
          alt={intl.formatMessage({ id: "admin.brand.logoAlt" }, { name: name || "—" })}
          onError={() => setBroken(true)}
        />
      )}
    </Paper>
  );
}

/** Creates a brand, or edits one: name, slug, languages, time zone, colours and logo. */
export function BrandForm({ brand, onDone }: { brand: TBrand | null; onDone: () => void }) {
  const intl = useIntl();
  const t = (id: TMessageKey) => intl.formatMessage({ id });
  const [draft, setDraft] = useState(() => draftOf(brand));
  const [slugTouched, setSlugTouched] = useState(brand !== null);
  const set = (patch: Partial<TDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const { errors, submit, busy } = useEntrySave({
    isNew: brand === null,
    save: () =>
      brand
        ? updateBrand(brand.id, changes(draftOf(brand), draft))
        : createBrand({ ...draft, logoUrl: draft.logoUrl.trim() || null }),
    nameOf: (saved) => saved.name,
    onDone,
  });

  const chooseLocales = (values: string[]) => {
    const supported = LOCALES.filter((l) => values.includes(l));
    if (supported.length === 0) return;
    const first = supported[0] as TLocale;
    set({
      supportedLocales: supported,
      defaultLocale: supported.includes(draft.defaultLocale) ? draft.defaultLocale : first,
    });
  };

  return (
    <AdminForm onSubmit={submit} alert={errors.alert} busy={busy} onCancel={onDone}>
      <TextInput
        label={t("admin.brand.name")}
        required
        dir="auto"
        value={draft.name}
        error={errors.error("name")}
        onChange={(e) => {
          const name = e.currentTarget.value;
          set(slugTouched ? { name } : { name, slug: slugFrom(name) });
        }}
      />
      <TextInput
        label={t("admin.brand.slug")}
        description={t("admin.brand.slugHint")}
        required
        dir="ltr"
        value={draft.slug}
        error={errors.error("slug")}
        onChange={(e) => {
          setSlugTouched(true);
          set({ slug: e.currentTarget.value });
        }}
      />
      <Checkbox.Group
        label={t("admin.brand.supportedLocales")}
        value={draft.supportedLocales}
        onChange={chooseLocales}
        error={errors.error("supportedLocales")}
      >
        <Group gap="md" mt={6}>
          {LOCALES.map((l) => (
            <Checkbox key={l} value={l} label={<span lang={l}>{LANGUAGE_NAMES[l]}</span>} />
          ))}
        </Group>
      </Checkbox.Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <LocaleSelect
          label={t("admin.brand.defaultLocale")}
          value={draft.defaultLocale}
          options={draft.supportedLocales}
          onChange={(defaultLocale) => set({ defaultLocale })}
          error={errors.error("defaultLocale")}
        />
        <TimeZoneSelect
          label={t("admin.brand.timeZone")}
          value={draft.timeZone}
          onChange={(timeZone) => set({ timeZone })}
          error={errors.error("timeZone")}
        />
        <ColorInput
          label={t("admin.brand.primaryColor")}
          format="hex"
          styles={LTR_VALUE}
          swatches={SWATCHES}
          withEyeDropper={false}
          value={draft.primaryColor}
          onChange={(primaryColor) => set({ primaryColor })}
          error={errors.error("primaryColor")}
        />
        <ColorInput
          label={t("admin.brand.accentColor")}
          format="hex"
          styles={LTR_VALUE}
          swatches={SWATCHES}
          withEyeDropper={false}
          value={draft.accentColor}
          onChange={(accentColor) => set({ accentColor })}
          error={errors.error("accentColor")}
        />
      </SimpleGrid>
      <TextInput
        label={t("admin.brand.logoUrl")}
        description={t("admin.brand.logoHint")}
        type="url"
        dir="ltr"
        placeholder="https://"
        value={draft.logoUrl}
        error={errors.error("logoUrl")}
        onChange={(e) => set({ logoUrl: e.currentTarget.value })}
      />
      <LogoPreview key={draft.logoUrl.trim()} url={draft.logoUrl.trim()} name={draft.name} />
    </AdminForm>
  );
}
