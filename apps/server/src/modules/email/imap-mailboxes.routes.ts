import {
  ZCreateImapMailbox,
  ZIdParams,
  ZImapMailbox,
  ZImapMailboxTestResult,
  ZUpdateImapMailbox,
} from "@switchboard/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../http/auth-hook.ts";
import type { TIdempotency } from "../../http/idempotency.ts";
import type { TImapMailboxesService } from "./imap-mailboxes.service.ts";

export function imapMailboxesRoutes(mailboxes: TImapMailboxesService, idempotency: TIdempotency) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["email"];
    r.get(
      "/brands/:id/mailboxes",
      {
        schema: {
          tags,
          summary: "The IMAP mailboxes the brand's mail is read from (admins)",
          params: ZIdParams,
          response: { 200: z.object({ items: z.array(ZImapMailbox) }) },
        },
      },
      async (req) => ({ items: await mailboxes.listMailboxes(actorOf(req), req.params.id) }),
    );
    r.post(
      "/brands/:id/mailboxes",
      {
        schema: {
          tags,
          summary:
            "Read a mailbox over IMAP (admins): its unread and new mail becomes the brand's tickets, as if sent to `address`",
          params: ZIdParams,
          body: ZCreateImapMailbox,
          response: { 201: ZImapMailbox },
        },
      },
      async (req, reply) =>
        idempotency.run(req, reply, 201, () =>
          mailboxes.createMailbox(actorOf(req), req.params.id, req.body),
        ),
    );
    r.get(
      "/mailboxes/:id",
      {
        schema: {
          tags,
          summary: "One IMAP mailbox, with its last error (admins)",
          params: ZIdParams,
          response: { 200: ZImapMailbox },
        },
      },
      async (req) => mailboxes.getMailbox(actorOf(req), req.params.id),
    );
    r.patch(
      "/mailboxes/:id",
      {
        schema: {
          tags,
          summary: "Change or disable an IMAP mailbox (admins); read with the new settings within a minute",
          params: ZIdParams,
          body: ZUpdateImapMailbox,
          response: { 200: ZImapMailbox },
        },
      },
      async (req) => mailboxes.updateMailbox(actorOf(req), req.params.id, req.body),
    );
    r.delete(
      "/mailboxes/:id",
      {
        schema: {
          tags,
          summary: "Stop reading an IMAP mailbox and forget its settings (admins)",
          params: ZIdParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await mailboxes.deleteMailbox(actorOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
    r.post(
      "/mailboxes/:id/test",
      {
        schema: {
          tags,
          summary:
            "Test the stored settings: log in and open the folders (admins). 422 for a refused login or a missing folder, 502 when the server cannot be reached",
          params: ZIdParams,
          response: { 200: ZImapMailboxTestResult },
        },
      },
      async (req) => mailboxes.testMailbox(actorOf(req), req.params.id),
    );
  };
}
