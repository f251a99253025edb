import { Anchor, Paper, Stack } from "@mantine/core";
import { FormattedMessage } from "react-intl";
import { lastViewId } from "../app/place.ts";
import { CustomerPanel } from "./CustomerPanel.tsx";

/** A customer on their own (from search): the same panel as beside a ticket, with room to read. */
export function CustomerPage({ customerId }: { customerId: string }) {
  return (
    <Stack maw={640}>
      <Anchor href={`#/views/${lastViewId()}`} size="sm">
        <FormattedMessage id="ticket.back" />
      </Anchor>
      <Paper withBorder p="md">
        <CustomerPanel customerId={customerId} />
      </Paper>
    </Stack>
  );
}
