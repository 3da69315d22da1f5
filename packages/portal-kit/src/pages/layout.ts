import { html, type SafeHtml } from '../html/html.js';
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
}

/** The hidden CSRF field every form carries. */
export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
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

/** The page shell: head with the stylesheet(s), brand bar, content, language switcher. */
export function layout(ctx: PageContext, page: { title: string; body: SafeHtml }): SafeHtml {
  const { tr, branding } = ctx;
  const operator = branding.operatorName || branding.locationName;
  const logo = safeImageUrl(branding.logoUrl);
  const title = operator ? `${page.title} · ${operator}` : page.title;
  const langs = ctx.i18n.locales.map((locale) => {
    const href = `${ctx.base}${ctx.path}?lang=${encodeURIComponent(locale)}`;
    const name = ctx.i18n.languageName(locale);
    return locale === tr.locale
      ? html`<li><a href="${href}" lang="${locale}" hreflang="${locale}" aria-current="true">${name}</a></li>`
      : html`<li><a href="${href}" lang="${locale}" hreflang="${locale}">${name}</a></li>`;
  });
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
