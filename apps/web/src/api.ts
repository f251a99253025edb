/** The API as the staff app uses it: the session cookie, and its CSRF token on every write. */
export type TUser = {
  id: string;
  name: string;
  email: string;
  locale: string;
  timeZone: string;
  role: string;
};
export type TSession = { user: TUser; csrfToken: string | null };
export type TTicketRow = {
  id: string;
  number: number;
  displayNumber: string;
  subject: string;
  status: string;
  requester: { name: string; email: string | null };
  updatedAt: string;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let signedIn = false;
/** Called when the session turns out to have ended (any 401), so the app can ask to sign in again. */
let onSignedOut: () => void = () => {};
export const whenSignedOut = (handler: () => void) => {
  onSignedOut = handler;
};

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method,
    credentials: "same-origin",
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(method !== "GET" && csrfToken ? { "x-csrf-token": csrfToken } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status === 204) return undefined as T;
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    if (res.status === 401 && signedIn) {
      signedIn = false;
      onSignedOut();
    }
    throw new ApiError(res.status, json?.error?.code ?? "error", json?.error?.message ?? res.statusText);
  }
  return json as T;
}

export async function currentSession(): Promise<TSession | null> {
  try {
    const session = await request<TSession>("GET", "/auth/session");
    csrfToken = session.csrfToken;
    signedIn = true;
    return session;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function signIn(email: string, password: string): Promise<TSession> {
  const session = await request<TSession>("POST", "/auth/login", { email, password });
  csrfToken = session.csrfToken;
  signedIn = true;
  return session;
}

export async function signOut(): Promise<void> {
  signedIn = false;
  await request<void>("POST", "/auth/logout");
  csrfToken = null;
}

export const listTickets = (query: string) =>
  request<{ items: TTicketRow[]; nextCursor: string | null }>("GET", `/tickets?${query}`);

export type TMessage = {
  id: string;
  kind: "reply" | "note" | "event";
  author: { type: "user" | "customer" | "system"; id: string | null; name: string | null };
  bodyText: string;
  event: Record<string, unknown> | null;
  email: { quotedText: string | null } | null;
  createdAt: string;
};

export const getTicket = (id: string) =>
  request<{ ticket: TTicketRow }>("GET", `/tickets/${encodeURIComponent(id)}`);

/** The whole thread, oldest first, a page (the API's largest, 100) at a time. */
export async function listMessages(id: string): Promise<TMessage[]> {
  const all: TMessage[] = [];
  let cursor: string | null = null;
  do {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page = await request<{ items: TMessage[]; nextCursor: string | null }>(
      "GET",
      `/tickets/${encodeURIComponent(id)}/messages?limit=100${after}`,
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export const addMessage = (id: string, kind: "reply" | "note", body: string) =>
  request<{ message: TMessage }>("POST", `/tickets/${encodeURIComponent(id)}/messages`, { kind, body });

/** The signed-in user's own language, kept on their account. */
export const saveMyLocale = (userId: string, locale: string) =>
  request<TUser>("PATCH", `/users/${encodeURIComponent(userId)}`, { locale });
