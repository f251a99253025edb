import { Box, Combobox, Group, Kbd, Text, TextInput, useCombobox } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { FormattedMessage, FormattedNumber, useIntl } from "react-intl";
import { SHORTCUTS, useShortcuts } from "../keyboard/shortcuts.ts";
import { searchEverything } from "./search-api.ts";
import { parseSearchHash, searchHref, ticketNumberIn, useSearchRoute } from "./search-route.ts";

/** Suggestions wait for a pause in typing, and for enough letters to mean something. */
const SUGGEST_DELAY_MS = 250;
const SUGGEST_MIN_LENGTH = 2;
const SUGGEST_LIMIT = 4;
/** The last search of this tab, for "g then s". */
const LAST_SEARCH_KEY = "switchboard.search";
const ALL_RESULTS = "all";

const go = (hash: string) => {
  window.location.hash = hash;
};

/**
 * The header's search box. Enter on a ticket number (1042, #1042) opens that ticket; on anything else,
 * the results page. While typing, the first few tickets and customers drop down (arrows pick one).
 * `/` focuses it, Escape leaves it.
 */
export function SearchBox() {
  const intl = useIntl();
  const input = useRef<HTMLInputElement>(null);
  const route = useSearchRoute();
  const [value, setValue] = useState(() => route?.q ?? "");
  const [focused, setFocused] = useState(false);
  const [debounced] = useDebouncedValue(value.trim(), SUGGEST_DELAY_MS);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });

  // The results page's words stay in the box (and come back with the browser's Back button).
  const routeQ = route?.q;
  useEffect(() => {
    if (routeQ !== undefined) {
      setValue(routeQ);
      if (routeQ) sessionStorage.setItem(LAST_SEARCH_KEY, routeQ);
    }
  }, [routeQ]);

  const suggestions = useQuery({
    queryKey: ["search", "suggest", debounced],
    // TanStack Query aborts the request (the signal) once newer words replace these.
    queryFn: ({ signal }) => searchEverything({ q: debounced, limit: SUGGEST_LIMIT }, signal),
    enabled: debounced.length >= SUGGEST_MIN_LENGTH,
    placeholderData: keepPreviousData,
  });
  const hits = debounced.length >= SUGGEST_MIN_LENGTH ? suggestions.data : undefined;
  const showDropdown = hits !== undefined && value.trim().length >= SUGGEST_MIN_LENGTH;

  // New suggestions: no option stays picked, so Enter means "search" until an arrow picks one.
  useEffect(() => {
    if (hits) combobox.resetSelectedOption();
  }, [hits, combobox.resetSelectedOption]);
  // The list is open only while there is something to show, so aria-expanded tells the truth.
  useEffect(() => {
    if (!showDropdown) combobox.closeDropdown();
    else if (document.activeElement === input.current) combobox.openDropdown();
  }, [showDropdown, combobox.closeDropdown, combobox.openDropdown]);

  useShortcuts([
    {
      ...SHORTCUTS.focusSearch,
      run: () => {
        input.current?.focus();
        input.current?.select();
      },
    },
    {
      ...SHORTCUTS.goSearch,
      run: () => {
        const q = route?.q || sessionStorage.getItem(LAST_SEARCH_KEY) || value;
        go(searchHref({ q, type: route?.type ?? "all" }));
        input.current?.focus();
      },
    },
  ]);

  const leave = (keepWords: boolean) => {
    combobox.closeDropdown();
    if (!keepWords) setValue("");
    input.current?.blur();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = value.trim();
    if (!q) return;
    const number = ticketNumberIn(q);
    if (number) {
      go(`#/tickets/${number}`);
      leave(false);
    } else {
      go(searchHref({ q, type: parseSearchHash(window.location.hash)?.type ?? "all" }));
      combobox.closeDropdown();
    }
  };

  const pick = (option: string) => {
    if (option === ALL_RESULTS) {
      go(searchHref({ q: value, type: "all" }));
      return leave(true);
    }
    const [kind, id] = option.split(":");
    go(kind === "ticket" ? `#/tickets/${id}` : `#/customers/${id}`);
    leave(false);
  };

  return (
    <Box component="form" role="search" onSubmit={submit} w={{ base: 180, md: 320 }}>
      <Combobox
        store={combobox}
        onOptionSubmit={pick}
        position="bottom-start"
        width={400}
        // Mantine's group labels are a light gray that fails WCAG AA contrast on white.
        styles={{ groupLabel: { color: "var(--mantine-color-gray-7)" } }}
      >
        <Combobox.Target withExpandedAttribute>
          <TextInput
            ref={input}
            size="xs"
            aria-label={intl.formatMessage({ id: "search.label" })}
            placeholder={intl.formatMessage({ id: "search.placeholder" })}
            dir="auto"
            autoComplete="off"
            enterKeyHint="search"
            value={value}
            onChange={(e) => {
              setValue(e.currentTarget.value);
              if (showDropdown) combobox.openDropdown(); // again, after Escape closed it
            }}
            onFocus={() => {
              setFocused(true);
              if (showDropdown) combobox.openDropdown();
            }}
            onBlur={() => {
              setFocused(false);
              combobox.closeDropdown();
            }}
            onKeyDown={(e) => {
              // Escape closes the suggestions first (Mantine), then leaves the box for the shortcuts.
              if (e.key === "Escape" && !combobox.dropdownOpened) input.current?.blur();
            }}
            // The "/" hint is for finding the box; once in it, it would only crowd the words.
            rightSection={
              focused || value ? undefined : (
                <Kbd size="xs" aria-hidden>
                  /
                </Kbd>
              )
            }
            rightSectionPointerEvents="none"
          />
        </Combobox.Target>
        <Combobox.Dropdown>
          <Combobox.Options>
            {hits && hits.tickets.length > 0 && (
              <Combobox.Group label={intl.formatMessage({ id: "search.tickets" })}>
                {hits.tickets.map((t) => (
                  <Combobox.Option key={t.id} value={`ticket:${t.id}`}>
                    <Group gap={6} wrap="nowrap">
                      <Text span size="sm" c="gray.7">
                        #<FormattedNumber value={t.number} useGrouping={false} />
                      </Text>
                      <Text span size="sm" dir="auto" truncate>
                        {t.subject}
                      </Text>
                    </Group>
                  </Combobox.Option>
                ))}
              </Combobox.Group>
            )}
            {hits && hits.customers.length > 0 && (
              <Combobox.Group label={intl.formatMessage({ id: "search.customers" })}>
                {hits.customers.map((c) => (
                  <Combobox.Option key={c.id} value={`customer:${c.id}`}>
                    <Text span size="sm" dir="auto">
                      {c.name}
                    </Text>
                    {c.emails[0] && (
                      <Text span size="xs" c="gray.7" ms={6}>
                        <bdi>{c.emails[0]}</bdi>
                      </Text>
                    )}
                  </Combobox.Option>
                ))}
              </Combobox.Group>
            )}
            {hits && hits.tickets.length + hits.customers.length === 0 && (
              <Combobox.Empty>
                <FormattedMessage id="search.noSuggestions" />
              </Combobox.Empty>
            )}
            <Combobox.Option value={ALL_RESULTS}>
              <Text span size="sm" fw={500} c="blue.8">
                <FormattedMessage id="search.seeAll" values={{ query: <bdi>{value.trim()}</bdi> }} />
              </Text>
            </Combobox.Option>
          </Combobox.Options>
        </Combobox.Dropdown>
      </Combobox>
    </Box>
  );
}
