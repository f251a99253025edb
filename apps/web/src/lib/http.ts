/** The API as the staff app uses it: the session cookie, and its CSRF token on every write. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
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

/** Something other than a request learned that the session ended (the live connection was closed). */
export function sessionEnded() {
  if (!signedIn) return;
  signedIn = false;
  onSignedOut();
}

/** Records the session the server answered with (sign-in, or the session check at start). */
export function setSessionState(token: string | null, active: boolean) {
  csrfToken = token;
  signedIn = active;
}

async function send<T>(
  method: string,
  path: string,
  init: { json?: unknown; form?: FormData; signal?: AbortSignal },
): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.json !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  const res = await fetch(`/api/v1${path}`, {
    method,
    credentials: "same-origin",
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    ...(init.form ? { body: init.form } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (res.status === 204) return undefined as T;
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    if (res.status === 401 && signedIn) {
      signedIn = false;
      onSignedOut();
    }
    const error = json?.error ?? {};
    throw new ApiError(res.status, error.code ?? "error", error.message ?? res.statusText, error.details);
  }
  return json as T;
}

/** Every item of a cursor-paged list, a page of `pageSize` at a time (`path` has no query yet). */
async function getAll<T>(path: string, pageSize: number): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page: { items: T[]; nextCursor: string | null } = await send(
      "GET",
      `${path}?limit=${pageSize}${after}`,
      {},
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export const http = {
  getAll,
  /** `signal` lets a caller (a TanStack Query read) abort a request whose answer is no longer wanted. */
  get: <T>(path: string, options?: { signal?: AbortSignal }) =>
    send<T>("GET", path, { signal: options?.signal }),
  post: <T>(path: string, json?: unknown) => send<T>("POST", path, { json: json ?? {} }),
  patch: <T>(path: string, json: unknown) => send<T>("PATCH", path, { json }),
  put: <T>(path: string, json: unknown) => send<T>("PUT", path, { json }),
  delete: <T = void>(path: string) => send<T>("DELETE", path, {}),
  upload: <T>(path: string, form: FormData) => send<T>("POST", path, { form }),
};

/** A query string from a record, leaving out empty values; arrays repeat the key. */
export function queryString(params: Record<string, string | number | boolean | string[] | undefined | null>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.set(key, String(value));
  }
  return search.toString();
}

export const enc = encodeURIComponent;
