import type { TBrand, TLocale } from "@switchboard/contracts";
import {
  directionOf,
  LOCALE_NAMES,
  type TMessageKey,
  type TTranslate,
  type TValues,
} from "../../lib/i18n.ts";
import { DEFAULT_CATEGORIES } from "../workspaces/index.ts";
import { html, raw, type SafeHtml } from "./html.ts";
import { publicCss } from "./public.css.ts";

const DEFAULT_CATEGORY_NAMES = new Map<string, string>(DEFAULT_CATEGORIES);

/** A default category the workspace has not renamed speaks the customer's language; a custom one its own. */
function categoryLabel(t: TTranslate, c: { key: string; name: string }): string {
  return DEFAULT_CATEGORY_NAMES.get(c.key) === c.name ? t(`category.${c.key}` as TMessageKey) : c.name;
}

export type TPage = { locale: TLocale; t: TTranslate; brand: TBrand; nonce: string; path: string };
export type TNotice = { key: TMessageKey; values?: TValues };

const COLOR_RE = /^#[0-9a-fA-F]{6}$/;
const safeColor = (c: string, fallback: string) => (COLOR_RE.test(c) ? c : fallback);

function layout(page: TPage, title: string, body: SafeHtml): SafeHtml {
  const { locale, t, brand } = page;
  const others = brand.supportedLocales.length > 1 ? brand.supportedLocales : [];
  return html`<!doctype html>
<html lang="${locale}" dir="${directionOf(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${title} · ${brand.name}</title>
<style nonce="${page.nonce}">${raw(publicCss(safeColor(brand.primaryColor, "#2563eb"), safeColor(brand.accentColor, "#0f766e")))}</style>
</head>
<body>
<header class="top"><div class="in">
${brand.logoUrl ? html`<img src="${brand.logoUrl}" alt="" referrerpolicy="no-referrer">` : ""}
<span class="name">${brand.name}</span>
${
  others.length
    ? html`<nav aria-label="${t("meta.language")}">${others.map(
        (l) =>
          html`<a href="${page.path}?lang=${l}" lang="${l}" hreflang="${l}"${l === locale ? raw(' aria-current="true"') : ""}>${LOCALE_NAMES[l]}</a>`,
      )}</nav>`
    : ""
}
</div></header>
<main id="main">
${body}
</main>
<footer>${t("meta.poweredBy")}</footer>
</body>
</html>`;
}

export type TContactView = {
  action: string;
  categories: { key: string; name: string }[];
  values: Record<string, string | undefined>;
  errors: Record<string, TMessageKey>;
  alert?: TNotice | undefined;
  maxFiles: number;
  maxMb: number;
};

function field(
  page: TPage,
  view: { errors: Record<string, TMessageKey> },
  name: string,
  label: string,
  control: (attrs: SafeHtml) => SafeHtml,
  opts: { optional?: boolean; hint?: string } = {},
): SafeHtml {
  const id = `f-${name}`;
  const error = view.errors[name];
  const describedBy = [opts.hint ? `${id}-hint` : "", error ? `${id}-err` : ""].filter(Boolean).join(" ");
  const attrs = html`id="${id}" name="${name}"${error ? raw(' aria-invalid="true"') : ""}${
    describedBy ? html` aria-describedby="${describedBy}"` : ""
  }`;
  return html`<div class="field">
<label for="${id}">${label}${opts.optional ? html` <span class="opt">${page.t("field.optional")}</span>` : ""}</label>
${control(attrs)}
${opts.hint ? html`<p class="hint" id="${id}-hint">${opts.hint}</p>` : ""}
${error ? html`<p class="err" id="${id}-err">${page.t(error)}</p>` : ""}
</div>`;
}

const alertBox = (page: TPage, notice: TNotice | undefined, items: SafeHtml[] = []) =>
  notice
    ? html`<div class="alert" role="alert"><strong>${page.t(notice.key, notice.values)}</strong>${
        items.length ? html`<ul>${items}</ul>` : ""
      }</div>`
    : "";

export function contactPage(page: TPage, view: TContactView): SafeHtml {
  const { t, brand } = page;
  const v = (name: string) => view.values[name] ?? "";
  const labels: Record<string, string> = {
    name: t("field.name"),
    email: t("field.email"),
    category: t("field.category"),
    orderNumber: t("field.orderNumber"),
    subject: t("field.subject"),
    message: t("field.message"),
  };
  const errorItems = Object.entries(view.errors).map(
    ([name, key]) => html`<li><a href="#f-${name}">${labels[name] ?? name}: ${t(key)}</a></li>`,
  );
  const alert = view.alert ?? (errorItems.length ? ({ key: "error.heading" } satisfies TNotice) : undefined);
  const body = html`<div class="card">
<h1>${t("contact.title", { brand: brand.name })}</h1>
<p class="lead">${t("contact.intro")}</p>
${alertBox(page, alert, errorItems)}
<form method="post" action="${view.action}" enctype="multipart/form-data">
<input type="hidden" name="locale" value="${page.locale}">
${field(page, view, "name", labels.name ?? "", (a) => html`<input ${a} type="text" autocomplete="name" required maxlength="200" value="${v("name")}">`)}
${field(page, view, "email", labels.email ?? "", (a) => html`<input ${a} type="email" autocomplete="email" inputmode="email" dir="ltr" required maxlength="320" value="${v("email")}">`, { hint: t("field.emailHint") })}
${
  view.categories.length
    ? field(
        page,
        view,
        "category",
        labels.category ?? "",
        (a) =>
          html`<select ${a}><option value="">${t("field.categoryNone")}</option>${view.categories.map(
            (c) =>
              html`<option value="${c.key}"${c.key === v("category") ? raw(" selected") : ""}>${categoryLabel(t, c)}</option>`,
          )}</select>`,
        { optional: true },
      )
    : ""
}
${field(page, view, "orderNumber", labels.orderNumber ?? "", (a) => html`<input ${a} type="text" autocomplete="off" maxlength="100" value="${v("orderNumber")}">`, { optional: true })}
${field(page, view, "subject", labels.subject ?? "", (a) => html`<input ${a} type="text" required maxlength="300" value="${v("subject")}">`)}
${field(page, view, "message", labels.message ?? "", (a) => html`<textarea ${a} required maxlength="20000" rows="8">${v("message")}</textarea>`)}
${field(page, view, "attachments", t("field.attachments"), (a) => html`<input ${a} type="file" multiple>`, { optional: true, hint: t("field.attachmentsHint", { count: view.maxFiles, maxMb: view.maxMb }) })}
<div class="hp" aria-hidden="true"><label for="f-website">${t("field.website")}</label><input id="f-website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">${t("contact.submit")}</button>
</form>
</div>`;
  return layout(page, t("contact.title", { brand: brand.name }), body);
}

export type TThreadMessage = {
  id: string;
  fromCustomer: boolean;
  bodyText: string;
  createdAt: Date;
  attachments: { filename: string; url: string }[];
};

export type TStatusView = {
  displayNumber: string;
  subject: string;
  status: "new" | "open" | "pending" | "on_hold" | "solved" | "closed";
  createdAt: Date;
  messages: TThreadMessage[];
  replyAction: string;
  contactUrl: string;
  flash?: TNotice | undefined;
  alert?: TNotice | undefined;
  replyError?: TMessageKey | undefined;
  replyValue?: string | undefined;
  maxFiles: number;
  maxMb: number;
};

export function statusPage(page: TPage, view: TStatusView): SafeHtml {
  const { t, brand, locale } = page;
  const when = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: brand.timeZone,
  });
  const title = t("status.title", { number: view.displayNumber });
  const team = t("thread.team", { brand: brand.name });
  const thread = view.messages.map(
    (m) => html`<li class="${m.fromCustomer ? "you" : "team"}">
<div class="who"><bdi><strong>${m.fromCustomer ? t("thread.you") : team}</strong></bdi> · <time datetime="${m.createdAt.toISOString()}">${when.format(m.createdAt)}</time></div>
<div class="body" dir="auto">${m.bodyText}</div>
${
  m.attachments.length
    ? html`<ul class="files" aria-label="${t("thread.attachments")}">${m.attachments.map(
        (a) => html`<li><a href="${a.url}" dir="auto">${a.filename}</a></li>`,
      )}</ul>`
    : ""
}
</li>`,
  );
  const replyForm =
    view.status === "closed"
      ? html`<p>${t("reply.closed")}</p><p><a href="${view.contactUrl}">${t("reply.newRequest")}</a></p>`
      : html`${view.status === "solved" ? html`<p class="hint">${t("reply.reopens")}</p>` : ""}
<form method="post" action="${view.replyAction}" enctype="multipart/form-data">
<input type="hidden" name="locale" value="${locale}">
${field(page, { errors: view.replyError ? { body: view.replyError } : {} }, "body", t("reply.label"), (a) => html`<textarea ${a} required maxlength="20000" rows="6">${view.replyValue ?? ""}</textarea>`)}
${field(page, { errors: {} }, "attachments", t("field.attachments"), (a) => html`<input ${a} type="file" multiple>`, { optional: true, hint: t("field.attachmentsHint", { count: view.maxFiles, maxMb: view.maxMb }) })}
<button type="submit">${t("reply.submit")}</button>
</form>`;
  const body = html`${view.flash ? html`<div class="ok" role="status">${t(view.flash.key, view.flash.values)}</div>` : ""}
${alertBox(page, view.alert)}
<div class="card">
<h1>${title}</h1>
<dl class="meta">
<dt>${t("field.subject")}</dt><dd><bdi>${view.subject}</bdi></dd>
<dt>${t("status.statusLabel")}</dt><dd><span class="badge s-${view.status}">${t(`status.${view.status}`)}</span></dd>
<dt>${t("status.createdLabel")}</dt><dd><time datetime="${view.createdAt.toISOString()}">${when.format(view.createdAt)}</time></dd>
</dl>
<p class="hint">${t("status.keepLink")}</p>
</div>
<div class="card">
<h2>${t("thread.heading")}</h2>
<ol class="thread">${thread}</ol>
</div>
<div class="card" id="reply">
<h2>${t("reply.heading")}</h2>
${replyForm}
</div>`;
  return layout(page, title, body);
}

export function messagePage(page: TPage, title: TMessageKey, text: TNotice): SafeHtml {
  return layout(
    page,
    page.t(title),
    html`<div class="card"><h1>${page.t(title)}</h1><p>${page.t(text.key, text.values)}</p></div>`,
  );
}
