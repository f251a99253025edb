import { createContext, type ReactNode, useContext } from "react";
import type { TSession } from "./session.ts";

const SessionContext = createContext<TSession | null>(null);

export const SessionProvider = ({ session, children }: { session: TSession; children: ReactNode }) => (
  <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
);

/** The signed-in user; only used below the shell, which exists only when signed in. */
export function useSession(): TSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the signed-in shell");
  return session;
}
