import { Badge, ColorSwatch, Group, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { FormattedMessage, useIntl } from "react-intl";
import { LANGUAGE_NAMES } from "../i18n/messages.ts";
import { ADMIN_KEYS, listBrands, type TBrand } from "./admin-api.ts";
import { AdminTable, NameCell } from "./admin-table.tsx";
import { BrandForm } from "./BrandForm.tsx";
import { EditButton, EditDialog, NewButton, QueryState, SectionHeader, useEditing } from "./ui.tsx";

/** A colour as a swatch with its hex code, read left to right in every language. */
function Colour({ value, label }: { value: string; label: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <ColorSwatch color={value} size={16} aria-hidden />
      <Text size="sm" span dir="ltr" aria-label={`${label} ${value}`}>
        {value}
      </Text>
    </Group>
  );
}

export function BrandsSection() {
  const intl = useIntl();
  const brands = useQuery({ queryKey: ADMIN_KEYS.brands, queryFn: listBrands });
  const editing = useEditing<TBrand>();

  return (
    <Stack component="section" aria-labelledby="admin-brands" gap="sm">
      <SectionHeader
        id="admin-brands"
        title="admin.brands.title"
        count={
          brands.data && <FormattedMessage id="admin.brands.count" values={{ count: brands.data.length }} />
        }
        action={<NewButton label="admin.brands.new" onClick={() => editing.edit(null)} />}
      />
      <QueryState query={brands} />
      <AdminTable
        items={brands.data}
        columns={[
          "admin.brand.name",
          "admin.brand.slug",
          "admin.brand.languages",
          "admin.brand.timeZone",
          "admin.brand.colours",
        ]}
        minWidth={760}
        empty={
          <Text>
            <FormattedMessage id="admin.brands.empty" />
          </Text>
        }
        row={(b) => (
          <Table.Tr key={b.id} data-brand-id={b.id}>
            <NameCell name={b.name} />
            <Table.Td>
              <Text size="sm" span dir="ltr">
                {b.slug}
              </Text>
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                {[b.defaultLocale, ...b.supportedLocales.filter((l) => l !== b.defaultLocale)].map((l) => (
                  <Badge
                    key={l}
                    size="sm"
                    variant={l === b.defaultLocale ? "filled" : "light"}
                    c={l === b.defaultLocale ? undefined : "dark.8"}
                    tt="none"
                  >
                    {l === b.defaultLocale ? (
                      <FormattedMessage
                        id="admin.brand.defaultLanguage"
                        values={{ language: <bdi lang={l}>{LANGUAGE_NAMES[l]}</bdi> }}
                      />
                    ) : (
                      <bdi lang={l}>{LANGUAGE_NAMES[l]}</bdi>
                    )}
                  </Badge>
                ))}
              </Group>
            </Table.Td>
            <Table.Td>
              <Text size="sm" span dir="ltr">
                {b.timeZone.replaceAll("_", " ")}
              </Text>
            </Table.Td>
            <Table.Td>
              <Stack gap={2}>
                <Colour
                  value={b.primaryColor}
                  label={intl.formatMessage({ id: "admin.brand.primaryColor" })}
                />
                <Colour value={b.accentColor} label={intl.formatMessage({ id: "admin.brand.accentColor" })} />
              </Stack>
            </Table.Td>
            <Table.Td>
              <EditButton name={b.name} onClick={() => editing.edit(b)} />
            </Table.Td>
          </Table.Tr>
        )}
      />
      <EditDialog editing={editing} newTitle="admin.brands.new" editTitle="admin.brands.editTitle">
        {(brand) => <BrandForm brand={brand} onDone={editing.close} />}
      </EditDialog>
    </Stack>
  );
}
