import { themeCss } from '../assets/theme.js';
import type { SafeHtml } from '../html/html.js';
import { makeReply, type PortalReply } from '../http/reply.js';
import type { PageContext } from '../pages/layout.js';
import type { PortalRuntime, RequestState, ResolvedBranding } from '../runtime.js';

/** Branding for a location id (or the portal's defaults). */
export async function resolveBranding(rt: PortalRuntime, locationId: string | undefined): Promise<ResolvedBranding> {
  const id = locationId ?? rt.config.locationId;
  const location = await rt.location(id);
  const fallback = rt.config.branding ?? {};
  const own = location?.branding ?? {};
  return {
    operatorName: own.operatorName ?? fallback.operatorName,
    logoUrl: own.logoUrl ?? fallback.logoUrl,
    primaryColor: own.primaryColor ?? fallback.primaryColor,
    accentColor: own.accentColor ?? fallback.accentColor,
    locationId: location?.id,
    locationName: location?.name,
    timeZone: location?.timezone ?? 'UTC',
  };
}

const tags = new Map<string, string>();

/** A short, stable tag of a string (cache busting for the theme stylesheet). */
function tag(text: string): string {
  const known = tags.get(text);
  if (known) return known;
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  const out = (h >>> 0).toString(36);
  if (tags.size < 1000) tags.set(text, out);
  return out;
}

export async function pageContext(
  rt: PortalRuntime,
  state: RequestState,
  options: { branding?: ResolvedBranding; path?: string } = {},
): Promise<PageContext> {
  const branding = options.branding ?? (await resolveBranding(rt, state.locationId));
  const css = themeCss(branding);
  return {
    tr: state.tr,
    i18n: rt.i18n,
    base: state.base,
    path: options.path ?? (state.request.method === 'GET' || state.request.method === 'HEAD' ? state.path : '/'),
    branding,
    csrf: await rt.codec.csrfToken(state.session),
    signedIn: state.session.stage === 'signed-in',
    cssHref: `${state.base}/assets/portal.css?v=${rt.cssVersion}`,
    themeHref: css
      ? `${state.base}/assets/theme.css?l=${encodeURIComponent(branding.locationId ?? '')}&v=${tag(css)}`
      : null,
  };
}

export function htmlResponse(page: SafeHtml, status = 200): PortalReply {
  return makeReply(
    status,
    { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    page.toString(),
  );
}

/** 303 See Other: after a POST the browser GETs the target (no resubmission on reload). */
export function redirect(state: RequestState, path: string): PortalReply {
  return makeReply(303, { location: `${state.base}${path}`, 'cache-control': 'no-store' });
}
