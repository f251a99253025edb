import type { TPresenceState, TPresenceUser } from "@switchboard/contracts";

/** One socket of a user on one ticket; `key` names the socket across every process. */
export type TPresenceEntry = {
  workspaceId: string;
  ticketId: string;
  key: string;
  userId: string;
  name: string;
  state: Exclude<TPresenceState, "left">;
  expiresAt: number;
};
export type TTicketKey = { workspaceId: string; ticketId: string };

const ticketKey = (workspaceId: string, ticketId: string) => `${workspaceId}/${ticketId}`;
const RANK = { viewing: 1, typing: 2 } as const;

/**
 * Who is on which ticket, from this process's sockets and the others' notices alike. An entry
 * lives until it is left, its socket goes, or no heartbeat renews it in time (a process that died
 * takes its entries with it that way). Pure: time comes from `now`.
 */
export function createPresenceRegistry(now: () => number = Date.now) {
  const tickets = new Map<string, Map<string, TPresenceEntry>>();

  /** Everyone on the ticket, once per user (typing wins over viewing), by name. */
  function users(workspaceId: string, ticketId: string): TPresenceUser[] {
    const byUser = new Map<string, TPresenceUser>();
    for (const e of tickets.get(ticketKey(workspaceId, ticketId))?.values() ?? []) {
      const seen = byUser.get(e.userId);
      if (!seen || RANK[e.state] > RANK[seen.state]) {
        byUser.set(e.userId, { userId: e.userId, name: e.name, state: e.state });
      }
    }
    return [...byUser.values()].sort(
      (a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId),
    );
  }

  /** Runs a change and says whether what the ticket's viewers see changed with it. */
  function changing(workspaceId: string, ticketId: string, change: () => void): boolean {
    const before = JSON.stringify(users(workspaceId, ticketId));
    change();
    return JSON.stringify(users(workspaceId, ticketId)) !== before;
  }

  function remove(workspaceId: string, ticketId: string, key: string): boolean {
    return changing(workspaceId, ticketId, () => {
      const k = ticketKey(workspaceId, ticketId);
      const entries = tickets.get(k);
      entries?.delete(key);
      if (entries?.size === 0) tickets.delete(k);
    });
  }

  return {
    users,

    /** Sets (or renews) an entry, or removes it for "left"; true when the ticket's list changed. */
    set(e: Omit<TPresenceEntry, "expiresAt" | "state"> & { state: TPresenceState; ttlMs: number }): boolean {
      if (e.state === "left") return remove(e.workspaceId, e.ticketId, e.key);
      const state = e.state;
      return changing(e.workspaceId, e.ticketId, () => {
        const k = ticketKey(e.workspaceId, e.ticketId);
        const entries = tickets.get(k) ?? new Map<string, TPresenceEntry>();
        tickets.set(k, entries);
        entries.set(e.key, {
          workspaceId: e.workspaceId,
          ticketId: e.ticketId,
          key: e.key,
          userId: e.userId,
          name: e.name,
          state,
          expiresAt: now() + e.ttlMs,
        });
      });
    },

    remove,

    /** Drops expired entries; returns the tickets whose list changed. */
    sweep(): TTicketKey[] {
      const changed: TTicketKey[] = [];
      const t = now();
      for (const entries of [...tickets.values()]) {
        const expired = [...entries.values()].filter((e) => e.expiresAt <= t);
        const first = expired[0];
        if (!first) continue;
        const didChange = changing(first.workspaceId, first.ticketId, () => {
          for (const e of expired) entries.delete(e.key);
          if (entries.size === 0) tickets.delete(ticketKey(first.workspaceId, first.ticketId));
        });
        if (didChange) changed.push({ workspaceId: first.workspaceId, ticketId: first.ticketId });
      }
      return changed;
    },

    /** The entries whose key starts so (this process's own, to re-announce them). */
    entriesWithPrefix(prefix: string): TPresenceEntry[] {
      return [...tickets.values()].flatMap((entries) =>
        [...entries.values()].filter((e) => e.key.startsWith(prefix)),
      );
    },
  };
}
export type TPresenceRegistry = ReturnType<typeof createPresenceRegistry>;
