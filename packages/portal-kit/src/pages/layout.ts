import { escapeHtml, html, raw, type SafeHtml } from '../html/html.js';
import type { I18n, Translator } from '../i18n/i18n.js';
import type { ResolvedBranding } from '../runtime.js';

/** What every page needs besides its own content. */
export interface PageContext {
  tr: Translator;
  i18n: I18n;
  /** Mount path; all links start with it. */
  base: string;
  /** The page's path below the mount, for the language links. */
  path: string;
  branding: ResolvedBranding;
  /** The CSRF token for this session's forms. */
  csrf: string;
  signedIn: boolean;
  cssHref: string;
  themeHref: string | null;
  /** {@link csrfField}'s markup, made at its first use (every form of the page carries it). */
  csrfInput?: SafeHtml;
}

/** The hidden CSRF field every form carries. */
export function csrfField(ctx: PageContext): SafeHtml {
  ctx.csrfInput ??= html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
  return ctx.csrfInput;
}

/** Logo URLs may be absolute http(s) or site-relative; anything else (e.g. `javascript:`) is dropped. */
export function safeImageUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const trimmed = url.trim();
  return /^(?:https?:\/\/|\/(?!\/))/i.test(trimmed) ? trimmed : undefined;
}

export function alert(kind: 'error' | 'ok', message: string | undefined | null): SafeHtml | null {
  if (!message) return null;
  return kind === 'error'
    ? html`<div class="alert alert-error" role="alert">${message}</div>`
    : html`<div class="alert alert-ok" role="status">${message}</div>`;
}

/** Escaped text with every character beyond Latin-1 as a character reference (built from one-byte pieces). */
function latin1Html(text: string): SafeHtml {
  let out = '';
  for (const ch of escapeHtml(text)) {
    const code = ch.codePointAt(0) as number;
    out += code > 0xff ? `&#x${code.toString(16)};` : ch;
  }
  return raw(out);
}

const switchers = new WeakMap<I18n, Map<string, SafeHtml>>();

/**
 * The language links: the same for every visitor of a page in a language, so made once. Names
 * beyond Latin-1 (`Русский`) are written as character references: the browser shows the same
 * text, and a page in a Latin-1 language stays a one-byte string, which is about twice as
 * cheap to assemble and encode as one whose every character takes two bytes.
 */
function languageLinks(ctx: PageContext): SafeHtml {
  let known = switchers.get(ctx.i18n);
  if (!known) {
    known = new Map();
    switchers.set(ctx.i18n, known);
  }
  const key = `${ctx.tr.locale}\n${ctx.base}${ctx.path}`;
  let links = known.get(key);
  if (!links) {
    const items = ctx.i18n.locales.map((locale) => {
      const href = `${ctx.base}${ctx.path}?lang=${encodeURIComponent(locale)}`;
      const name = latin1Html(ctx.i18n.languageName(locale));
      return locale === ctx.tr.locale
        ? html`<li><a href="${href}" lang="${locale}" hreflang="${locale}" aria-current="true">${name}</a></li>`
        : html`<li><a href="${href}" lang="${locale}" hreflang="${locale}">${name}</a></li>`;
    });
    links = html`${items}`;
    if (known.size >= 500) known.clear(); // paths come from a fixed set of routes; bounded anyway
    known.set(key, links);
  }
  return links;
}

/** The page shell: head with the stylesheet(s), brand bar, content, language switcher. */
export function layout(ctx: PageContext, page: { title: string; body: SafeHtml }): SafeHtml {
  const { tr, branding } = ctx;
  const operator = branding.operatorName || branding.locationName;
  const logo = safeImageUrl(branding.logoUrl);
  const title = operator ? `${page.title} · ${operator}` : page.title;
  const langs = languageLinks(ctx);
  return html`<!doctype html>
<html lang="${tr.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="${ctx.cssHref}">
${ctx.themeHref ? html`<link rel="stylesheet" href="${ctx.themeHref}">` : null}
</head>
<body>
<a class="skip" href="#main">${tr.t('app.skip')}</a>
<header class="top">
<div class="top-in">
<div class="brand">${logo ? html`<img src="${logo}" alt="">` : null}<span>${operator || tr.t('app.title')}</span></div>
${
  ctx.signedIn
    ? html`<form method="post" action="${ctx.base}/logout">${csrfField(ctx)}<button class="btn btn-quiet btn-small" type="submit">${tr.t('nav.logout')}</button></form>`
    : null
}
</div>
</header>
<main id="main" class="wrap">
${page.body}
</main>
<footer>
<div class="wrap">
<nav aria-label="${tr.t('nav.language')}"><ul class="langs">${langs}</ul></nav>
</div>
</footer>
</body>
</html>
`;
}
