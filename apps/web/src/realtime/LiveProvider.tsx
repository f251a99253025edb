import { notifications } from "@mantine/notifications";
import type { TPresenceUser, TRealtimeEvent } from "@switchboard/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";
import { useIntl } from "react-intl";
import { sessionEnded } from "../lib/http.ts";
import { refreshTicket, refreshTicketLists } from "../tickets/ticket-queries.ts";
import { createRealtime, type TRealtimeStatus } from "./socket.ts";

type TLive = ReturnType<typeof createRealtime>;
const LiveContext = createContext<TLive | null>(null);

/** Runs `fn` at once, then at most once per `ms` while calls keep coming (the last one is not lost). */
function throttle(fn: () => void, ms: number) {
  let last = 0;
  let timer: number | undefined;
  return () => {
    const wait = last + ms - Date.now();
    if (wait <= 0) {
      last = Date.now();
      fn();
    } else if (timer === undefined) {
      timer = window.setTimeout(() => {
        timer = undefined;
        last = Date.now();
        fn();
      }, wait);
    }
  };
}

/**
 * One live connection for the signed-in agent: ticket changes refresh the lists and counts (at most
 * every 2 s, so a busy workspace does not flood the server), mentions pop up, and after a reconnect
 * everything on screen is read again, so nothing a colleague did is missed.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const intl = useIntl();
  const live = useMemo(() => createRealtime({ url: "/api/v1/realtime" }), []);
  useEffect(() => {
    const refreshLists = throttle(() => refreshTicketLists(client), 2000);
    const onEvent = (event: TRealtimeEvent) => {
      if (event.type === "ticket.changed") refreshLists();
      if (event.type === "user.mentioned") {
        notifications.show({
          color: "blue",
          title: intl.formatMessage(
            { id: "live.mentioned" },
            { name: event.byName, number: event.ticketNumber },
          ),
          message: (
            <a href={`#/tickets/${event.ticketId}`}>{intl.formatMessage({ id: "live.openTicket" })}</a>
          ),
        });
      }
    };
    const stops = [
      live.subscribe("tickets"),
      live.subscribe("me"),
      live.onEvent(onEvent),
      live.onReconnect(() => void client.invalidateQueries()),
      live.onSessionEnded(sessionEnded),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [live, client, intl]);
  useEffect(() => () => live.close(), [live]);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export function useLive(): TLive {
  const live = useContext(LiveContext);
  if (!live) throw new Error("useLive outside LiveProvider");
  return live;
}

/** The live connection's state, for the header's "reconnecting" notice. */
export function useLiveStatus(): TRealtimeStatus {
  const live = useLive();
  const [status, setStatus] = useState(live.status);
  useEffect(() => live.onStatus(setStatus), [live]);
  return status;
}

/**
 * A ticket, live: its changes and new messages refresh it, and colleagues who view or type on it
 * are listed. Tells the others that this agent views it, and whether they are typing.
 */
export function useLiveTicket(ticket: { id: string; number: number } | undefined) {
  const live = useLive();
  const client = useQueryClient();
  const [others, setOthers] = useState<TPresenceUser[]>([]);
  const ticketId = ticket?.id;
  const number = ticket?.number;
  useEffect(() => {
    if (!ticketId || number === undefined) return;
    const refresh = () => refreshTicket(client, { id: ticketId, number });
    const stops = [
      live.subscribe(`ticket:${ticketId}`),
      live.onEvent((_event, topic) => {
        if (topic === `ticket:${ticketId}`) refresh();
      }),
      live.onPresence((id, users) => {
        if (id === ticketId) setOthers(users);
      }),
    ];
    live.setPresence(ticketId, "viewing");
    return () => {
      live.setPresence(ticketId, "left");
      for (const stop of stops) stop();
      setOthers([]);
    };
  }, [live, client, ticketId, number]);
  const setTyping = (typing: boolean) => {
    if (ticketId) live.setPresence(ticketId, typing ? "typing" : "viewing");
  };
  return { others, setTyping };
}
