import type { TSession, TUser } from "@switchboard/contracts";
import { ApiError, http, setSessionState } from "../lib/http.ts";

export type { TSession, TUser };

export async function currentSession(): Promise<TSession | null> {
  try {
    const session = await http.get<TSession>("/auth/session");
    setSessionState(session.csrfToken, true);
    return session;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function signIn(email: string, password: string): Promise<TSession> {
  const session = await http.post<TSession>("/auth/login", { email, password });
  setSessionState(session.csrfToken, true);
  return session;
}

export async function signOut(): Promise<void> {
  setSessionState(null, false);
  await http.post<void>("/auth/logout");
}

/** The signed-in user's own settings (language, time zone), kept on their account. */
export const saveMySettings = (userId: string, settings: { locale?: string; timeZone?: string }) =>
  http.patch<TUser>(`/users/${encodeURIComponent(userId)}`, settings);
