import { randomBytes } from "node:crypto";
import type { TBrand, TMessage, TPublicRequest, TPublicRequestCreated } from "@switchboard/contracts";
import type { TConfig } from "../../config.ts";
import type { TDb } from "../../db/connection.ts";
import { AppError, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import type { TAttachmentsService, TStoredFile } from "../attachments/index.ts";
import type { TBrandsService } from "../brands/index.ts";
import { assertNotClosed, type TTicketsService } from "../tickets/index.ts";
import * as repo from "./public.repository.ts";
import type { TThreadMessage } from "./public.views.ts";

export const EMAIL_LIMIT = { max: 5, windowMs: 10 * 60 * 1000 };
export const MAX_PUBLIC_FILES = 5;

/** What the public pages need from the tickets module. */
export type TPublicTickets = Pick<
  TTicketsService,
  "createTicketFromCustomer" | "findTicketByStatusToken" | "addCustomerReply"
>;

export type TPublicDeps = {
  db: TDb;
  clock: TClock;
  config: Pick<TConfig, "publicUrl" | "maxAttachmentBytes">;
  brands: TBrandsService;
  tickets: TPublicTickets;
  attachments: TAttachmentsService;
};

export type TBrandContext = { workspaceId: string; brand: TBrand };

const fromCustomer = (m: TMessage) => m.author.type === "customer";

export function createPublicService({ db, clock, config, brands, tickets, attachments }: TPublicDeps) {
  const statusPath = (slug: string, token: string) =>
    `/b/${encodeURIComponent(slug)}/requests/${encodeURIComponent(token)}`;
  const statusUrl = (slug: string, token: string) => `${config.publicUrl}${statusPath(slug, token)}`;

  async function findThread(ctx: TBrandContext, token: string) {
    if (!/^[\w-]{8,200}$/.test(token)) return null;
    return tickets.findTicketByStatusToken(ctx.workspaceId, ctx.brand.id, token);
  }

  return {
    statusPath,
    attachments,
    maxMb: Math.floor(config.maxAttachmentBytes / (1024 * 1024)),

    /** The brand behind a public slug; brand_not_found when there is none. */
    async resolveBrand(slug: string): Promise<TBrandContext> {
      const found = /^[a-z0-9-]{1,50}$/i.test(slug) ? await brands.findBrandBySlug(slug) : null;
      if (!found) throw notFound("brand");
      return found;
    },

    listCategories: (ctx: TBrandContext) => repo.listOpenCategories(db, ctx.workspaceId),

    /** 429 once this email address has opened EMAIL_LIMIT.max requests in the window. */
    async assertEmailNotThrottled(ctx: TBrandContext, email: string): Promise<void> {
      const since = new Date(clock.now().getTime() - EMAIL_LIMIT.windowMs);
      const recent = await repo.countRecentTicketsByEmail(db, ctx.workspaceId, ctx.brand.id, email, since);
      if (recent >= EMAIL_LIMIT.max) {
        throw new AppError("rate_limited", "Too many requests from this email address; try again later", 429);
      }
    },

    /** A plausible answer for a bot that filled the honeypot: nothing is created. */
    decoyAnswer(ctx: TBrandContext): TPublicRequestCreated {
      const number = 1000 + (randomBytes(3).readUIntBE(0, 3) % 900_000);
      return {
        ticketNumber: number,
        displayNumber: String(number),
        statusUrl: statusUrl(ctx.brand.slug, randomBytes(24).toString("base64url")),
      };
    },

    async submitRequest(
      ctx: TBrandContext,
      input: TPublicRequest,
      files: TStoredFile[],
    ): Promise<TPublicRequestCreated> {
      const { ticket, statusToken } = await tickets.createTicketFromCustomer({
        workspaceId: ctx.workspaceId,
        brandId: ctx.brand.id,
        name: input.name,
        email: input.email,
        subject: input.subject,
        body: input.message,
        channel: "web",
        ...(input.category ? { category: input.category } : {}),
        ...(input.orderNumber ? { orderNumber: input.orderNumber } : {}),
        ...(input.locale ? { locale: input.locale } : {}),
        attachFiles: (trx, ticketId, messageId) =>
          attachments.attachStoredFiles(trx, ctx.workspaceId, ticketId, messageId, files),
      });
      return {
        ticketNumber: Number(ticket.number),
        displayNumber: ticket.displayNumber,
        statusUrl: statusUrl(ctx.brand.slug, statusToken),
      };
    },

    /** The customer's view of a request: public replies only, never notes or events. */
    async getStatus(ctx: TBrandContext, token: string) {
      const thread = await findThread(ctx, token);
      if (!thread) return null;
      const base = statusPath(ctx.brand.slug, token);
      const messages: TThreadMessage[] = thread.messages
        .filter((m) => m.kind === "reply")
        .map((m) => ({
          id: m.id,
          fromCustomer: fromCustomer(m),
          bodyText: m.bodyText,
          createdAt: new Date(m.createdAt),
          attachments: (m.attachments ?? []).map((a) => ({
            filename: a.filename,
            url: `${base}/attachments/${a.id}`,
          })),
        }));
      const t = thread.ticket;
      return {
        ticketId: t.id,
        view: {
          // displayNumber carries its own "#"; the page's title adds the locale's own sign.
          displayNumber: String(t.number),
          subject: t.subject,
          status: t.status,
          createdAt: new Date(t.createdAt),
          messages,
        },
      };
    },

    async reply(ctx: TBrandContext, token: string, body: string, files: TStoredFile[]): Promise<void> {
      const thread = await findThread(ctx, token);
      if (!thread) throw notFound("request");
      // Refused before the files are recorded, so a closed ticket collects no orphan uploads.
      assertNotClosed(thread.ticket.status);
      const uploaded = await attachments.attachStoredFiles(
        db,
        ctx.workspaceId,
        thread.ticket.id,
        null,
        files,
      );
      await tickets.addCustomerReply(ctx.workspaceId, thread.ticket.id, {
        body,
        ...(uploaded.length ? { attachmentIds: uploaded.map((a) => a.id) } : {}),
      });
    },

    /** A file of a public reply, for whoever holds the status link. */
    async openAttachment(ctx: TBrandContext, token: string, attachmentId: string) {
      const thread = await findThread(ctx, token);
      if (!thread) throw notFound("attachment");
      return attachments.openForPublicThread(ctx.workspaceId, thread.ticket.id, attachmentId);
    },
  };
}
export type TPublicService = ReturnType<typeof createPublicService>;
