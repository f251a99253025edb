import { Badge, Button, ColorSwatch, Group, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { LANGUAGE_NAMES } from "../i18n/messages.ts";
import { ADMIN_KEYS, listBrands, type TBrand } from "./admin-api.ts";
import { BrandForm } from "./BrandForm.tsx";
import { AdminModal, QueryState, SectionHeader } from "./ui.tsx";

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
  // undefined: no dialog; null: a new brand.
  const [editing, setEditing] = useState<TBrand | null | undefined>(undefined);
  const close = () => setEditing(undefined);

  return (
    <Stack component="section" aria-labelledby="admin-brands" gap="sm">
      <SectionHeader
        id="admin-brands"
        title="admin.brands.title"
        count={
          brands.data && <FormattedMessage id="admin.brands.count" values={{ count: brands.data.length }} />
        }
        action={
          <Button onClick={() => setEditing(null)}>
            <FormattedMessage id="admin.brands.new" />
          </Button>
        }
      />
      <QueryState query={brands} />
      {brands.data && brands.data.length === 0 && (
        <Text>
          <FormattedMessage id="admin.brands.empty" />
        </Text>
      )}
      {brands.data && brands.data.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <FormattedMessage id="admin.brand.name" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.brand.slug" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.brand.languages" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.brand.timeZone" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.brand.colours" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="admin.actions" />
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {brands.data.map((b) => (
                <Table.Tr key={b.id} data-brand-id={b.id}>
                  <Table.Td fw={600}>
                    <bdi>{b.name}</bdi>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" span dir="ltr">
                      {b.slug}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {[b.defaultLocale, ...b.supportedLocales.filter((l) => l !== b.defaultLocale)].map(
                        (l) => (
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
                        ),
                      )}
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
                      <Colour
                        value={b.accentColor}
                        label={intl.formatMessage({ id: "admin.brand.accentColor" })}
                      />
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => setEditing(b)}
                      aria-label={intl.formatMessage({ id: "admin.editNamed" }, { name: b.name })}
                    >
                      <FormattedMessage id="admin.edit" />
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AdminModal
        opened={editing !== undefined}
        onClose={close}
        title={<FormattedMessage id={editing ? "admin.brands.editTitle" : "admin.brands.new"} />}
      >
        {editing !== undefined && <BrandForm key={editing?.id ?? "new"} brand={editing} onDone={close} />}
      </AdminModal>
    </Stack>
  );
}
