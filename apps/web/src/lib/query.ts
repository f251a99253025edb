import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./http.ts";

/**
 * The app's cache of server data. Live updates (the websocket) invalidate what changed, so data is
 * not refetched on a timer; a failed read is retried once unless the server said no (4xx).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => count < 1 && !(err instanceof ApiError && err.status < 500),
    },
  },
});
