import { randomBytes } from "node:crypto";
import { type TBrand, ZPublicReply, ZPublicRequest, ZPublicRequestCreated } from "@switchboard/contracts";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { toAppError } from "../../http/error-handler.ts";
import type { TIdempotency } from "../../http/idempotency.ts";
import { pickLocale, translator } from "../../lib/i18n.ts";
import { sendAttachment } from "../attachments/index.ts";
import type { SafeHtml } from "./html.ts";
import { echoValues, FormInvalid, isFormPost, parseForm, readSubmission } from "./public.forms.ts";
import { MAX_PUBLIC_FILES, type TBrandContext, type TPublicService } from "./public.service.ts";
import { contactPage, messagePage, statusPage, type TNotice, type TPage } from "./public.views.ts";

const ZSlugParams = z.object({ brandSlug: z.string().max(100) });
const ZTokenParams = ZSlugParams.extend({ token: z.string().max(200) });
const ZPageQuery = z.object({
  lang: z.string().max(10).optional(),
  sent: z.string().optional(),
  replied: z.string().optional(),
});

// A brand for the page that answers an unknown slug: it names nothing.
const NO_BRAND: TBrand = {
  id: "00000000-0000-0000-0000-000000000000",
  name: "Switchboard",
  slug: "",
  defaultLocale: "en",
  supportedLocales: ["en"],
  timeZone: "UTC",
  primaryColor: "#334155",
  accentColor: "#0f766e",
  logoUrl: null,
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
};

/** Every public page: strict CSP (styles by nonce, no script at all), no indexing, no caching. */
function sendPage(reply: FastifyReply, status: number, page: TPage, body: SafeHtml) {
  return reply
    .status(status)
    .header(
      "content-security-policy",
      `default-src 'none'; style-src 'nonce-${page.nonce}'; img-src 'self' https: http: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    )
    .header("referrer-policy", "no-referrer")
    .header("x-robots-tag", "noindex, nofollow")
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(body.value);
}

export function publicRoutes(svc: TPublicService, idempotency: TIdempotency) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["public"];

    const pageFor = (req: FastifyRequest, brand: TBrand, path: string, lang?: unknown): TPage => {
      const query = (req.query as { lang?: unknown } | undefined)?.lang;
      const locale = pickLocale({
        query: lang ?? query,
        acceptLanguage: req.headers["accept-language"],
        supported: brand.supportedLocales,
        fallback: brand.defaultLocale,
      });
      return { locale, t: translator(locale), brand, nonce: randomBytes(16).toString("base64"), path };
    };
    const contactPath = (slug: string) => `/b/${encodeURIComponent(slug)}/contact`;
    const requestsAction = (slug: string) => `/api/v1/public/brands/${encodeURIComponent(slug)}/requests`;

    const notFoundPage = (req: FastifyRequest, reply: FastifyReply, ctx: TBrandContext | null) => {
      const page = pageFor(
        req,
        ctx?.brand ?? NO_BRAND,
        ctx ? contactPath(ctx.brand.slug) : (req.url.split("?")[0] ?? "/"),
      );
      return sendPage(reply, 404, page, messagePage(page, "notFound.title", { key: "notFound.body" }));
    };
    const brandOrNull = (slug: string) => svc.resolveBrand(slug).catch(() => null);

    const noticeFor = (status: number): TNotice =>
      status === 429
        ? { key: "error.tooMany" }
        : status === 413
          ? { key: "error.tooLarge", values: { maxMb: svc.maxMb } }
          : status === 404
            ? { key: "notFound.body" }
            : { key: "error.generic" };

    /** Form posts get the form back with the problem marked; API calls get the JSON error. */
    async function renderContact(
      req: FastifyRequest,
      reply: FastifyReply,
      ctx: TBrandContext,
      status: number,
      extra: { fields?: unknown; error?: unknown } = {},
    ) {
      const fields = echoValues(extra.fields);
      const page = pageFor(req, ctx.brand, contactPath(ctx.brand.slug), fields.locale);
      const invalid = extra.error instanceof FormInvalid ? extra.error : null;
      const body = contactPage(page, {
        action: requestsAction(ctx.brand.slug),
        categories: await svc.listCategories(ctx),
        values: fields,
        errors: invalid?.fieldKeys ?? {},
        alert: extra.error && !invalid ? noticeFor(status) : undefined,
        maxFiles: MAX_PUBLIC_FILES,
        maxMb: svc.maxMb,
      });
      return sendPage(reply, status, page, body);
    }

    const submitted = new WeakMap<FastifyRequest, { ctx: TBrandContext; fields?: unknown }>();

    r.post(
      "/api/v1/public/brands/:brandSlug/requests",
      {
        config: { public: true, rateLimit: { max: 10, timeWindow: "10 minutes" } },
        schema: {
          tags,
          security: [],
          summary: "Open a request from the public contact form",
          description:
            "JSON, application/x-www-form-urlencoded, or multipart/form-data with files in `attachments`. Fields: name, email, subject, message, optional category (key), orderNumber, locale. A form post (no JSON Accept) is answered with 303 to the status page.",
          consumes: ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
          params: ZSlugParams,
          response: { 201: ZPublicRequestCreated },
        },
        errorHandler: async (err: FastifyError, req, reply) => {
          const state = submitted.get(req);
          if (!isFormPost(req) || !state) throw err;
          const appError = toAppError(err);
          return renderContact(req, reply, state.ctx, appError.status, {
            fields: state.fields,
            error: appError,
          });
        },
      },
      async (req, reply) => {
        const ctx = await svc.resolveBrand(req.params.brandSlug);
        const state: { ctx: TBrandContext; fields?: unknown } = { ctx };
        submitted.set(req, state);
        let honeypot = false;
        const check = async (fields: unknown) => {
          state.fields = fields;
          const input = parseForm(ZPublicRequest, fields);
          honeypot = Boolean(input.website?.trim());
          if (!honeypot) await svc.assertEmailNotThrottled(ctx, input.email);
          return input;
        };
        const { fields, files } = await readSubmission(req, svc.attachments, {
          maxFiles: MAX_PUBLIC_FILES,
          beforeFiles: async (f) => ((await check(f)) && honeypot ? "drop" : "keep"),
        });
        const input = await check(fields);
        // The idempotency hash covers the fields of a multipart request too.
        if (req.isMultipart()) req.body = fields;
        const created = honeypot
          ? svc.decoyAnswer(ctx)
          : await idempotency.run(req, reply, 201, () => svc.submitRequest(ctx, input, files), {
              workspaceId: ctx.workspaceId,
              caller: req.ip,
            });
        if (honeypot) reply.status(201);
        if (isFormPost(req)) return reply.redirect(`${created.statusUrl}?sent=1`, 303);
        return created;
      },
    );

    r.get(
      "/b/:brandSlug/contact",
      { config: { public: true }, schema: { hide: true, params: ZSlugParams, querystring: ZPageQuery } },
      async (req, reply) => {
        const ctx = await brandOrNull(req.params.brandSlug);
        if (!ctx) return notFoundPage(req, reply, null);
        return renderContact(req, reply, ctx, 200);
      },
    );

    async function renderStatus(
      req: FastifyRequest,
      reply: FastifyReply,
      ctx: TBrandContext,
      token: string,
      extra: {
        status?: number;
        flash?: TNotice;
        alert?: TNotice;
        replyError?: FormInvalid;
        replyValue?: string;
        lang?: unknown;
      } = {},
    ) {
      const found = await svc.getStatus(ctx, token);
      if (!found) return notFoundPage(req, reply, ctx);
      const path = svc.statusPath(ctx.brand.slug, token);
      const page = pageFor(req, ctx.brand, path, extra.lang);
      const body = statusPage(page, {
        ...found.view,
        replyAction: `${path}/replies`,
        contactUrl: contactPath(ctx.brand.slug),
        flash: extra.flash,
        alert: extra.alert,
        replyError: extra.replyError?.fieldKeys.body,
        replyValue: extra.replyValue,
        maxFiles: MAX_PUBLIC_FILES,
        maxMb: svc.maxMb,
      });
      return sendPage(reply, extra.status ?? 200, page, body);
    }

    r.get(
      "/b/:brandSlug/requests/:token",
      { config: { public: true }, schema: { hide: true, params: ZTokenParams, querystring: ZPageQuery } },
      async (req, reply) => {
        const ctx = await brandOrNull(req.params.brandSlug);
        if (!ctx) return notFoundPage(req, reply, null);
        const flash: TNotice | undefined =
          req.query.sent !== undefined
            ? { key: "contact.sent" }
            : req.query.replied !== undefined
              ? { key: "status.replied" }
              : undefined;
        return renderStatus(req, reply, ctx, req.params.token, flash ? { flash } : {});
      },
    );

    const replyState = new WeakMap<FastifyRequest, { ctx: TBrandContext; fields?: unknown }>();
    r.post(
      "/b/:brandSlug/requests/:token/replies",
      {
        config: { public: true, rateLimit: { max: 20, timeWindow: "10 minutes" } },
        schema: { hide: true, params: ZTokenParams },
        errorHandler: async (err: FastifyError, req, reply) => {
          const state = replyState.get(req);
          const { token } = req.params as { token: string };
          if (!state) throw err;
          const appError = toAppError(err);
          const fields = echoValues(state.fields);
          return renderStatus(req, reply, state.ctx, token, {
            status: appError.status,
            lang: fields.locale,
            replyValue: fields.body,
            ...(err instanceof FormInvalid ? { replyError: err } : { alert: noticeFor(appError.status) }),
          });
        },
      },
      async (req, reply) => {
        const ctx = await brandOrNull(req.params.brandSlug);
        if (!ctx) return notFoundPage(req, reply, null);
        const state: { ctx: TBrandContext; fields?: unknown } = { ctx };
        replyState.set(req, state);
        const check = (fields: unknown) => {
          state.fields = fields;
          return parseForm(ZPublicReply, fields);
        };
        const { fields, files } = await readSubmission(req, svc.attachments, {
          maxFiles: MAX_PUBLIC_FILES,
          beforeFiles: async (f) => (check(f) ? "keep" : "drop"),
        });
        const input = check(fields);
        await svc.reply(ctx, req.params.token, input.body, files);
        const lang = input.locale ? `&lang=${input.locale}` : "";
        return reply.redirect(`${svc.statusPath(ctx.brand.slug, req.params.token)}?replied=1${lang}`, 303);
      },
    );

    r.get(
      "/b/:brandSlug/requests/:token/attachments/:id",
      {
        config: { public: true },
        schema: { hide: true, params: ZTokenParams.extend({ id: z.string().max(100) }) },
      },
      async (req, reply) => {
        const ctx = await brandOrNull(req.params.brandSlug);
        if (!ctx) return notFoundPage(req, reply, null);
        try {
          const file = await svc.openAttachment(ctx, req.params.token, req.params.id);
          return sendAttachment(reply.header("referrer-policy", "no-referrer"), file);
        } catch {
          return notFoundPage(req, reply, ctx);
        }
      },
    );
  };
}
