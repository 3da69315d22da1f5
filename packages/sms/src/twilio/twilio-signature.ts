import { createHmac, timingSafeEqual } from 'node:crypto';

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
  // Sorted by name, then value; a repeated identical pair counts once (as Twilio's libraries do).
  const pairs = [...new Set([...params].map(([name, value]) => JSON.stringify([name, value])))].map(
    (p) => JSON.parse(p) as [string, string],
  );
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  let data = url;
  for (const [name, value] of pairs) data += name + value;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
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

/** Whether `signature` is Twilio's signature of (`url`, `params`) under one of `authTokens`. */
export function verifyTwilioSignature(
  signature: string,
  authTokens: readonly string[],
  urls: readonly string[],
  params: readonly [string, string][],
): boolean {
  const given = Buffer.from(signature, 'utf8');
  let ok = false;
  for (const token of authTokens) {
    for (const url of urls) {
      const expected = Buffer.from(twilioSignature(token, url, params), 'utf8');
      // Check every candidate (no early exit) so timing does not tell which one matched.
      if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
    }
  }
  return ok;
}
