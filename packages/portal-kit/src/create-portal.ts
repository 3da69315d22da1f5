import { type HotspotKit, HotspotKitError, type Location } from '@hotspot-kit/core';
import { PORTAL_CSS } from './assets/portal-css.js';
import { themeCss } from './assets/theme.js';
import { parseCookies, serializeCookie } from './http/cookies.js';
import { asRequest, makeReply, type PortalReply, type PortalRequest, toResponse } from './http/reply.js';
import { createI18n } from './i18n/i18n.js';
import { isLocationId, MAX_LOCATION_LINK_SECONDS, signLocationLink } from './location/location-link.js';
import { PortalError } from './portal-error.js';
import { type PortalConfig, portalConfigSchema, type ResolvedPortalConfig } from './portal-options.js';
import { apiErrorResponse, handleApi } from './routes/api.js';
import { resolveBranding } from './routes/context.js';
import { errorPageResponse, handlePage } from './routes/pages.js';
import { nowSeconds, type PortalRuntime, type RequestState } from './runtime.js';
import { applySecurityHeaders } from './security/headers.js';
import { createSessionCodec, type PortalSession, signersFromSecrets } from './security/session.js';

/** What an adapter may tell the portal besides the request (the Express adapter fills both). */
export interface PortalRequestContext {
  /** Where the portal is mounted for this request, e.g. `/portal` (`''` at the root). Wins over `basePath`. */
  basePath?: string;
  /** The client's IP address, for the per-client login limits (IPv6 counted per /64). */
  clientIp?: string;
  /**
   * The location this request belongs to, as the host knows it (e.g. from the NAS or the
   * host name the visitor came through). Wins over signed links, visitor choices and the
   * `locationId` option: it picks the SMS gateway, sender id and texts of the login code.
   */
  locationId?: string;
}

/** The customer portal: one Web-standard handler. Made by {@link createPortal}. */
export interface Portal {
  /** Answers one request: pages, the stylesheet, the JSON API under `/api/*`. Never throws. */
  fetch(request: Request, context?: PortalRequestContext): Promise<Response>;
  /**
   * The same answer as `fetch`, as plain parts (status, headers, cookies, body string). For
   * adapters that write to Node's `http` response: sending the string directly skips building
   * the `Response`'s body stream and reading it back. It takes a `Request` or just the parts
   * the portal reads ({@link PortalRequest}), which are cheaper to make. Never throws either.
   */
  reply(request: PortalRequest, context?: PortalRequestContext): Promise<PortalReply>;
  /**
   * A link to the portal that binds the visitor to `locationId` (its SMS gateway, sender id,
   * texts and branding): `portalUrl` with `?location=<token signed by the kit>`. For printed
   * QR codes or per-venue links. Lasts `ttlSeconds` (default and at most 366 days).
   *
   * @example
   * ```ts
   * const link = await portal.locationLink('https://wifi.example.com/portal/', 'harbour-cafe')
   * ```
   */
  locationLink(portalUrl: string, locationId: string, options?: { ttlSeconds?: number }): Promise<string>;
  /** The mount path used when the request context does not give one. */
  readonly basePath: string;
}

const ANONYMOUS_SESSION_SECONDS = 12 * 3600;
const LOCATION_CACHE_MS = 30_000;
const LANG_COOKIE_SECONDS = 365 * 86_400;

/**
 * Creates the customer portal over a kit: phone entry, SMS code (when portal OTP is on),
 * status page with usage, vouchers and devices, and the same operations as a JSON API
 * described by `<base>/api/openapi.json`. No framework inside: mount `portal.fetch` with
 * `expressPortal` from `@hotspot-kit/adapter-express`, or call it from any server that
 * speaks `Request`/`Response`.
 *
 * Refuses to start (a `HotspotKitError` with code `INVALID_CONFIG`) when portal OTP is off
 * only because the kit has no SMS sender: phone-only access must be chosen explicitly with
 * `createHotspotKit({ portal: { otp: false } })`, since anyone who knows a number can then
 * see its vouchers.
 *
 * @example
 * ```ts
 * const portal = createPortal(kit, { branding: { operatorName: 'Cafe Net' } })
 * app.use('/portal', expressPortal(portal))
 * // or: Bun.serve({ fetch: (req) => portal.fetch(req) })
 * ```
 */
export function createPortal(kit: HotspotKit, options: PortalConfig = {}): Portal {
  if (!kit || typeof kit !== 'object' || !kit.options || !kit.vouchers) {
    throw new HotspotKitError('INVALID_CONFIG', 'createPortal needs a kit made by createHotspotKit');
  }
  const config = parseConfig(options);
  const { portal } = kit.options;
  if (!portal.otp && !portal.otpExplicit) {
    throw new HotspotKitError(
      'INVALID_CONFIG',
      'The portal needs SMS login codes, but portal OTP is off because the kit has no SMS sender. ' +
        "Give createHotspotKit an 'sms' sender, or set portal: { otp: false } to let a phone number alone " +
        'open a read-only status page (anyone who knows a number can then see its vouchers and usage).',
      { issues: [{ path: 'portal.otp', message: 'is off without being set; set it explicitly or configure sms' }] },
    );
  }
  // The portal's own secret if it has one; else keys the kit derives from its secret for the portal.
  const codec = createSessionCodec(
    config.secret
      ? signersFromSecrets(typeof config.secret === 'string' ? [config.secret] : config.secret)
      : { session: kit.tokens.signer('portal/session'), csrf: kit.tokens.signer('portal/csrf') },
  );
  const i18n = createI18n({ locales: config.locales, defaultLocale: config.defaultLocale, messages: config.messages });
  const locations = new Map<string, { at: number; value: Promise<Location | null> }>();
  const rt: PortalRuntime = {
    kit,
    config,
    codec,
    i18n,
    cssVersion: hash(PORTAL_CSS),
    location(id) {
      if (!id) return Promise.resolve(null);
      const now = Date.now();
      const hit = locations.get(id);
      if (hit && now - hit.at < LOCATION_CACHE_MS) return hit.value;
      const value = kit.locations.get(id).catch(() => null);
      if (locations.size > 1000) locations.clear();
      locations.set(id, { at: now, value });
      return value;
    },
    async timeZoneOf(id) {
      return (await rt.location(id))?.timezone;
    },
  };
  const langCookie = `${config.cookieName}_lang`;

  async function handle(request: PortalRequest, context: PortalRequestContext): Promise<PortalReply> {
    const url = new URL(request.url);
    const base = mountPath(url.pathname, context.basePath, config.basePath);
    const path = url.pathname.slice(base.length) || '/';

    if ((request.method === 'GET' || request.method === 'HEAD') && path.startsWith('/assets/')) {
      return headless(request, await asset(rt, path, url));
    }

    const now = kit.now();
    const cookies = parseCookies(request.headers.get('cookie'));
    const secure = config.secureCookies === 'auto' ? url.protocol === 'https:' : config.secureCookies;
    const extraCookies: string[] = [];
    const cookiePath = base || '/';

    const langParam = url.searchParams.get('lang');
    // An explicit choice (the switcher's links) is remembered in a cookie; otherwise Accept-Language decides.
    const chosen = langParam ? i18n.negotiate(langParam, null) : undefined;
    if (chosen) {
      extraCookies.push(serializeCookie(langCookie, chosen, { path: cookiePath, maxAge: LANG_COOKIE_SECONDS, secure }));
    }
    const locale = i18n.negotiate(chosen ?? cookies.get(langCookie), request.headers.get('accept-language'));

    let session = await codec.decode(cookies.get(config.cookieName), nowSeconds(now));
    let sessionDirty = false;
    if (session?.stage === 'signed-in' && nowSeconds(now) - (session.signedInAt ?? 0) > config.sessionMaxAgeSeconds) {
      session = null; // past its absolute lifetime: sign in again
    }
    // The cookie only names the session; the store says whether it still counts (logout,
    // a newer login or "sign out everywhere" on any instance ended it).
    if (session?.stage === 'signed-in' && !(await kit.portalSessions.isActive(session.id, session.phone ?? ''))) {
      session = null;
    }
    if (!session) {
      session = newAnonymousSession(rt, now);
      sessionDirty = true;
    } else if (session.stage === 'signed-in' && session.expiresAt - nowSeconds(now) < config.sessionTtlSeconds / 2) {
      // Sliding expiry: renewed while used (never past the absolute lifetime).
      const renewed = Math.min(
        nowSeconds(now) + config.sessionTtlSeconds,
        (session.signedInAt ?? 0) + config.sessionMaxAgeSeconds,
      );
      if (renewed > session.expiresAt) {
        session = { ...session, expiresAt: renewed };
        sessionDirty = true;
      }
    }

    const state: RequestState = {
      request,
      url,
      base,
      path,
      ip: context.clientIp ?? (config.clientIp ? config.clientIp(asRequest(request)) : undefined) ?? undefined,
      secure,
      locale,
      tr: i18n.translator(locale),
      session,
      sessionDirty,
      cookies: extraCookies,
      now,
      locationId: undefined,
      locationFromHost: isLocationId(context.locationId),
    };
    state.locationId = requestLocation(state, context);

    const isApi = path === '/api' || path.startsWith('/api/');
    let reply: PortalReply;
    try {
      reply = (isApi ? await handleApi(rt, state) : await handlePage(rt, state)) ?? (await notFound(rt, state));
    } catch (error) {
      reply = isApi ? apiErrorResponse(rt, state, error) : await errorPageResponse(rt, state, error);
    }
    const { headers } = reply;
    if (state.sessionDirty) {
      reply.cookies.push(
        serializeCookie(config.cookieName, await codec.encode(state.session), {
          path: cookiePath,
          maxAge: Math.max(0, state.session.expiresAt - nowSeconds(now)),
          httpOnly: true,
          secure,
          sameSite: 'Lax',
        }),
      );
    }
    for (const c of state.cookies) reply.cookies.push(c);
    headers.vary = 'Cookie, Accept-Language';
    applySecurityHeaders(headers);
    return headless(request, reply);
  }

  /** Last line of defence: the browser never sees a stack trace. */
  function failed(error: unknown, request: PortalRequest): PortalReply {
    config.onError?.(error, asRequest(request));
    const headers = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
    applySecurityHeaders(headers);
    return makeReply(500, headers, 'Something went wrong. Please try again in a moment.');
  }

  async function reply(request: PortalRequest, context: PortalRequestContext = {}): Promise<PortalReply> {
    try {
      return await handle(request, context);
    } catch (error) {
      return failed(error, request);
    }
  }

  return {
    basePath: config.basePath,
    reply,
    async locationLink(portalUrl, locationId, options = {}) {
      if (!isLocationId(locationId)) {
        throw new HotspotKitError('INVALID_INPUT', 'Invalid locationId: must be 1 to 100 letters, digits, _ . : or -', {
          issues: [{ path: 'locationId', message: 'must be 1 to 100 letters, digits, _ . : or -' }],
        });
      }
      return signLocationLink(kit.tokens, portalUrl, locationId, options.ttlSeconds ?? MAX_LOCATION_LINK_SECONDS);
    },
    async fetch(request, context) {
      const answer = await reply(request, context);
      try {
        return toResponse(answer);
      } catch (error) {
        return toResponse(failed(error, request)); // e.g. a header value a Response refuses
      }
    },
  };
}

/** HEAD gets the GET answer without its body. */
function headless(request: PortalRequest, reply: PortalReply): PortalReply {
  if (request.method === 'HEAD') reply.body = null;
  return reply;
}

function parseConfig(options: PortalConfig): ResolvedPortalConfig {
  const result = portalConfigSchema.safeParse(options ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
  throw new HotspotKitError(
    'INVALID_CONFIG',
    `Invalid portal options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { issues, cause: result.error },
  );
}

/** The mount path: the adapter's, else the configured one when the URL is under it, else the root. */
function mountPath(pathname: string, fromContext: string | undefined, configured: string): string {
  if (fromContext !== undefined) {
    const base = fromContext.endsWith('/') ? fromContext.slice(0, -1) : fromContext;
    return pathname === base || pathname.startsWith(`${base}/`) ? base : '';
  }
  return configured && (pathname === configured || pathname.startsWith(`${configured}/`)) ? configured : '';
}

function newAnonymousSession(rt: PortalRuntime, now: Date): PortalSession {
  return { id: rt.codec.newId(), stage: 'anonymous', expiresAt: nowSeconds(now) + ANONYMOUS_SESSION_SECONDS };
}

/**
 * The location of one request, from trusted sources only: the adapter's per-request
 * context, else what a signed link or an allowed visitor choice put in the signed session;
 * `undefined` lets the `locationId` option apply.
 */
function requestLocation(state: RequestState, context: PortalRequestContext): string | undefined {
  if (isLocationId(context.locationId)) return context.locationId;
  return state.session.locationId;
}

async function asset(rt: PortalRuntime, path: string, url: URL): Promise<PortalReply> {
  const headers: Record<string, string> = { 'content-type': 'text/css; charset=utf-8' };
  applySecurityHeaders(headers);
  if (path === '/assets/portal.css') {
    headers['cache-control'] = url.searchParams.get('v')
      ? 'public, max-age=31536000, immutable'
      : 'public, max-age=300';
    return makeReply(200, headers, PORTAL_CSS);
  }
  if (path === '/assets/theme.css') {
    const id = url.searchParams.get('l') || undefined;
    const branding = await resolveBranding(rt, id && id.length <= 100 ? id : undefined);
    headers['cache-control'] = 'public, max-age=300';
    return makeReply(200, headers, themeCss(branding) ?? '');
  }
  headers['content-type'] = 'text/plain; charset=utf-8';
  return makeReply(404, headers, 'Not found');
}

async function notFound(rt: PortalRuntime, state: RequestState): Promise<PortalReply> {
  const known = [
    '/',
    '/login',
    '/code',
    '/code/resend',
    '/status',
    '/logout',
    '/devices/add',
    '/devices/rename',
    '/devices/remove',
  ];
  const error = known.includes(state.path)
    ? new PortalError('METHOD_NOT_ALLOWED', 'method not allowed')
    : new PortalError('PAGE_NOT_FOUND', 'no such page');
  return errorPageResponse(rt, state, error);
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
