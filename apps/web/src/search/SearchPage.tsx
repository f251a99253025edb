import { Alert, Button, Group, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Loading } from "../lib/Loading.tsx";
import { CustomerHits, TicketHits, termsOf } from "./SearchHits.tsx";
import { searchEverything, type TSearchResult } from "./search-api.ts";
import { searchHref, type TSearchRoute, type TSearchType } from "./search-route.ts";

/** As many of each as the API gives at once. */
const RESULTS_LIMIT = 50;
const TYPES: { value: TSearchType; label: "search.all" | "search.tickets" | "search.customers" }[] = [
  { value: "all", label: "search.all" },
  { value: "tickets", label: "search.tickets" },
  { value: "customers", label: "search.customers" },
];

function Results({ data, type, q }: { data: TSearchResult; type: TSearchType; q: string }) {
  const terms = useMemo(() => termsOf(q), [q]);
  const { tickets, customers } = data;
  const showTickets = type !== "customers";
  const showCustomers = type !== "tickets";
  return (
    <>
      <Text size="sm" c="gray.7" role="status">
        {showTickets && <FormattedMessage id="search.ticketCount" values={{ count: tickets.length }} />}
        {showTickets && showCustomers && " · "}
        {showCustomers && <FormattedMessage id="search.customerCount" values={{ count: customers.length }} />}
      </Text>
      {tickets.length + customers.length === 0 && (
        <Text>
          <FormattedMessage id="search.nothing" values={{ query: <bdi>{q}</bdi> }} />
        </Text>
      )}
      {tickets.length > 0 && <TicketHits hits={tickets} terms={terms} />}
      {customers.length > 0 && <CustomerHits hits={customers} terms={terms} />}
      {(tickets.length >= RESULTS_LIMIT || customers.length >= RESULTS_LIMIT) && (
        <Text size="sm" c="gray.7">
          <FormattedMessage id="search.limited" values={{ limit: RESULTS_LIMIT }} />
        </Text>
      )}
    </>
  );
}

/** The results page: tickets and customers matching the words in the address, with a filter. */
export function SearchPage({ q, type }: TSearchRoute) {
  const intl = useIntl();
  const words = q.trim();
  const results = useQuery({
    queryKey: ["search", "results", words, type],
    queryFn: ({ signal }) => searchEverything({ q: words, type, limit: RESULTS_LIMIT }, signal),
    enabled: words !== "",
  });
  return (
    <Stack component="section" aria-labelledby="search-title" gap="md" maw={1100}>
      <Group justify="space-between" align="center" gap="sm">
        <Title id="search-title" order={2} size="h3" style={{ overflowWrap: "anywhere" }}>
          {words ? (
            <FormattedMessage id="search.resultsFor" values={{ query: <bdi>{words}</bdi> }} />
          ) : (
            <FormattedMessage id="search.title" />
          )}
        </Title>
        <SegmentedControl
          aria-label={intl.formatMessage({ id: "search.filter" })}
          size="xs"
          value={type}
          onChange={(next) => {
            const chosen = TYPES.find((t) => t.value === next)?.value ?? "all";
            window.location.hash = searchHref({ q: words, type: chosen });
          }}
          data={TYPES.map((t) => ({ value: t.value, label: intl.formatMessage({ id: t.label }) }))}
        />
      </Group>
      {!words && (
        <Text c="gray.7">
          <FormattedMessage id="search.prompt" />
        </Text>
      )}
      {words && results.isPending && <Loading />}
      {results.isError && (
        <Alert color="red" role="alert">
          <Group justify="space-between" gap="sm">
            <Text size="sm">
              <FormattedMessage id="search.failed" />
            </Text>
            <Button size="xs" variant="white" color="red" onClick={() => void results.refetch()}>
              <FormattedMessage id="search.retry" />
            </Button>
          </Group>
        </Alert>
      )}
      {results.data && !results.isError && <Results data={results.data} type={type} q={words} />}
    </Stack>
  );
}
