import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The parameter part of what Twilio signs: every POST parameter name followed by its value,
 * sorted by name, then value; a repeated identical pair counts once (as Twilio's libraries do).
 * It does not depend on the token or the URL, so a check computes it once.
 */
export function canonicalTwilioParams(params: Iterable<[string, string]>): string {
  const pairs = [...new Set([...params].map(([name, value]) => JSON.stringify([name, value])))].map(
    (p) => JSON.parse(p) as [string, string],
  );
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  let data = '';
  for (const [name, value] of pairs) data += name + value;
  return data;
}

function sign(authToken: string, url: string, canonical: string): string {
  return createHmac('sha1', authToken).update(url, 'utf8').update(canonical, 'utf8').digest('base64');
}

/**
 * Twilio's request signature: base64 HMAC-SHA1, keyed with the account's auth token, of the full
 * URL Twilio requested followed by every POST parameter name and value, sorted by name.
 *
 * @example
 * ```ts
 * twilioSignature(authToken, 'https://hotspot.example/sms/status', { MessageSid: 'SM..', MessageStatus: 'delivered' })
 * ```
 */
export function twilioSignature(authToken: string, url: string, params: Iterable<[string, string]>): string {
  return sign(authToken, url, canonicalTwilioParams(params));
}

/** A base64 HMAC-SHA1 is 28 characters; anything else is refused before any hashing. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{27}=$/;

/** Whether `signature` could be a Twilio signature at all (checked before the body is read). */
export function isTwilioSignatureShape(signature: string): boolean {
  return SIGNATURE_SHAPE.test(signature);
}

/**
 * Whether `signature` is Twilio's signature of (`url`, parameters) under one of `authTokens`,
 * for one of `urls`. `canonical` is {@link canonicalTwilioParams} of the parameters, computed
 * once by the caller: each candidate then costs one HMAC over the body's size.
 */
export function verifyTwilioSignature(
  signature: string,
  authTokens: readonly string[],
  urls: readonly string[],
  canonical: string,
): boolean {
  if (!isTwilioSignatureShape(signature)) return false;
  const given = Buffer.from(signature, 'utf8');
  let ok = false;
  for (const token of authTokens) {
    for (const url of urls) {
      const expected = Buffer.from(sign(token, url, canonical), 'utf8');
      // Check every candidate (no early exit) so timing does not tell which one matched.
      if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
    }
  }
  return ok;
}

/**
 * The URLs Twilio may have signed for a request that arrived at `url`: as is, and with the
 * default port written out (Twilio's own libraries check both).
 */
export function signatureUrlVariants(url: string): string[] {
  const out = new Set<string>([url]);
  try {
    const parsed = new URL(url);
    // URL drops a default port, so a signed "https://host:443/..." arrives as "https://host/...".
    const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '';
    if (parsed.port === '' && defaultPort !== '') {
      out.add(`${parsed.protocol}//${parsed.host}:${defaultPort}${parsed.pathname}${parsed.search}`);
    }
  } catch {
    // not a URL: only the literal form can match
  }
  return [...out];
}
