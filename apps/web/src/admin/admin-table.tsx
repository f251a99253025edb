import { Table } from "@mantine/core";
import type { ReactNode } from "react";
import { FormattedMessage } from "react-intl";
import type { TMessageKey } from "../i18n/messages.ts";

/**
 * A section's list as a table: a heading per column and the actions column last. Nothing while the list
 * is not there yet (QueryState says why), `empty` when it has no entries; without `empty` the table
 * shows even then.
 */
export function AdminTable<T>(props: {
  items: readonly T[] | undefined;
  columns: TMessageKey[];
  minWidth: number;
  empty?: ReactNode;
  row: (item: T, index: number, items: readonly T[]) => ReactNode;
}) {
  if (!props.items) return null;
  if (props.items.length === 0 && props.empty) return props.empty;
  return (
    <Table.ScrollContainer minWidth={props.minWidth}>
      <Table striped verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            {[...props.columns, "admin.actions" as const].map((id) => (
              <Table.Th key={id}>
                <FormattedMessage id={id} />
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{props.items.map(props.row)}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** An entry's name, the first cell of its row: bold, and isolated so a Persian name keeps its order. */
export function NameCell({ name }: { name: string }) {
  return (
    <Table.Td fw={600}>
      <bdi>{name}</bdi>
    </Table.Td>
  );
}
