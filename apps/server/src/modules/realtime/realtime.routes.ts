import type {} from "@fastify/websocket";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { requestCredential } from "../../http/auth-hook.ts";
import { AppError } from "../../lib/app-error.ts";
import type { TRealtimeService } from "./realtime.service.ts";

const originOf = (value: string): string | null => {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
};

/**
 * Cross-site websocket hijacking: a page of another site may open a socket here and the browser
 * sends our cookie along. Browsers always send Origin with a websocket handshake, so a foreign one
 * is refused; none at all means a client that is not a browser (and holds its own credential).
 */
export function originAllowed(req: FastifyRequest, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const given = originOf(origin);
  if (!given) return false;
  return given === originOf(publicUrl) || given === originOf(`${req.protocol}://${req.host}`);
}

export function realtimeRoutes(realtime: TRealtimeService, opts: { publicUrl: string }) {
  return async (app: FastifyInstance) => {
    app.get(
      "/realtime",
      {
        websocket: true,
        // The socket signs itself in after the upgrade, so that a browser (which cannot read the
        // status of a refused handshake) learns from the close code 4401 that it must sign in.
        config: { public: true },
        onRequest: async (req) => {
          if (!originAllowed(req, opts.publicUrl)) {
            throw new AppError("origin_refused", "Live updates are only for pages of this server", 403);
          }
        },
      },
      (socket, req) => realtime.accept(socket, requestCredential(req)),
    );
  };
}
