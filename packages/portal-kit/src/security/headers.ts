/**
 * The portal's Content-Security-Policy: no script at all, styles only from the portal's own
 * stylesheet (no inline styles), forms only to itself, never framed. Logos may come from
 * any https origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers every portal response carries (lower-case names). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Status-page links carry a token in the query string: never leak it to other sites.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
});

/** Adds {@link SECURITY_HEADERS} to a reply's headers, replacing any of the same name. */
export function applySecurityHeaders(headers: Record<string, string>): void {
  Object.assign(headers, SECURITY_HEADERS);
}
