import type { TokenService } from '../kit/services.js';
import { toBase64Url, utf8 } from '../platform/crypto.js';

/** The query parameter of the portal URL that carries the pre-fill token: `?t=<token>`. */
export const PORTAL_LINK_TOKEN_PARAM = 't';

/** The `purpose` of a portal pre-fill token's payload. */
export const PORTAL_PREFILL_PURPOSE = 'portal-prefill';

/**
 * What a portal link's token carries (signed with `kit.tokens`, not encrypted):
 * `{ p: '<E.164 phone>', purpose: 'portal-prefill' }`. It only pre-fills the phone field;
 * the portal still asks for an OTP code when portal OTP is on.
 */
export interface PortalPrefillPayload {
  p: string;
  purpose: typeof PORTAL_PREFILL_PURPOSE;
}

/** `portalUrl` with `?t=<token>` set (other query parameters kept). */
export function portalLinkWithToken(portalUrl: string, token: string): string {
  const url = new URL(portalUrl);
  url.searchParams.set(PORTAL_LINK_TOKEN_PARAM, token);
  return url.toString();
}

/**
 * The link a notification SMS carries: the portal URL plus a signed token that expires after
 * `ttlSeconds` and pre-fills `phone` on the portal's login page.
 */
export async function createPortalLink(
  tokens: TokenService,
  portalUrl: string,
  phone: string,
  ttlSeconds: number,
): Promise<string> {
  const payload: PortalPrefillPayload = { p: phone, purpose: PORTAL_PREFILL_PURPOSE };
  return portalLinkWithToken(portalUrl, await tokens.sign({ ...payload }, ttlSeconds));
}

/**
 * Reads a portal link's token (the `t` query parameter): the phone to pre-fill, or `null`
 * when the token is missing, forged, expired, or was made for something else. Portals call
 * this on the login page; a valid token never skips the OTP step.
 *
 * @example
 * ```ts
 * const prefill = await verifyPortalPrefillToken(kit.tokens, url.searchParams.get('t'))
 * const phoneValue = prefill?.phone ?? ''
 * ```
 */
export async function verifyPortalPrefillToken(
  tokens: TokenService,
  token: string | null | undefined,
): Promise<{ phone: string } | null> {
  if (!token) return null;
  const payload = await tokens.verify(token);
  if (!payload || payload.purpose !== PORTAL_PREFILL_PURPOSE || typeof payload.p !== 'string') return null;
  return { phone: payload.p };
}

/**
 * A link of exactly the length the real one would have (same payload and expiry encoding),
 * with a dummy tag that never verifies: previews count segments without signing anything.
 */
export function samplePortalLink(portalUrl: string, phone: string, ttlSeconds: number, now: Date): string {
  const payload: PortalPrefillPayload = { p: phone, purpose: PORTAL_PREFILL_PURPOSE };
  const exp = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const token = `${toBase64Url(utf8(JSON.stringify(payload)))}.${exp.toString(36)}.${'x'.repeat(22)}`;
  return portalLinkWithToken(portalUrl, token);
}
