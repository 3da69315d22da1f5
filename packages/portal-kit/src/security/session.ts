import {
  deriveHmacKey,
  fromBase64Url,
  hmac,
  randomToken,
  timingSafeEqual,
  toBase64Url,
  utf8Decode,
  utf8Encode,
} from './crypto.js';

/**
 * Where a visitor is in the login journey. Kept in a signed cookie (no server-side session
 * store): `anonymous` before login, `code` while an OTP challenge waits for its code,
 * `signed-in` after it.
 */
export interface PortalSession {
  /** Random; a new one is made at every login, which also rotates the CSRF token. */
  id: string;
  stage: 'anonymous' | 'code' | 'signed-in';
  /** Pre-filled phone (anonymous), the challenge's phone as typed (code), E.164 (signed-in). */
  phone?: string;
  challengeId?: string;
  /** Branding location picked from the link the visitor came with. */
  locationId?: string;
  /** Signed in with an SMS code (not by phone alone): needed to manage devices. */
  verified?: boolean;
  /** Epoch seconds. */
  expiresAt: number;
  /** Epoch seconds of the login (signed-in sessions): bounds how long renewal can keep one alive. */
  signedInAt?: number;
}

const VERSION = 'v1';

/** Signs and checks session cookies and CSRF tokens with HMAC-SHA256 (first secret signs, all verify). */
export interface SessionCodec {
  encode(session: PortalSession): Promise<string>;
  /** The session, or `null` for a forged, malformed or expired value. */
  decode(value: string | undefined, nowSeconds: number): Promise<PortalSession | null>;
  csrfToken(session: PortalSession): Promise<string>;
  checkCsrf(session: PortalSession, token: string | null | undefined): Promise<boolean>;
  newId(): string;
}

const CACHE_SIZE = 2000;

/** A small LRU cache: `get` marks an entry as used, the least recently used goes first when full. */
function boundedCache<V>(): { get(key: string): V | undefined; put(key: string, value: V): void } {
  const map = new Map<string, V>();
  return {
    get(key) {
      const value = map.get(key);
      if (value !== undefined && map.size > CACHE_SIZE / 2) {
        // Only when the cache is filling up: move it to the young end (a Map keeps insertion order).
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    put(key, value) {
      if (map.size >= CACHE_SIZE) map.delete(map.keys().next().value as string);
      map.set(key, value);
    },
  };
}

/**
 * Makes the codec. Keys are derived once. Web Crypto calls are asynchronous round trips,
 * so values already verified (the exact signed cookie string) and CSRF tokens already made
 * are remembered in small bounded caches: a forged value can never be in them, and expiry
 * is still checked on every use.
 */
export function createSessionCodec(secrets: readonly string[]): SessionCodec {
  const sessionKeys = Promise.all(secrets.map((s) => deriveHmacKey(s, 'session')));
  const csrfKeys = Promise.all(secrets.map((s) => deriveHmacKey(s, 'csrf')));
  const verified = boundedCache<PortalSession>();
  const tokens = boundedCache<string>();

  async function matchesAny(keys: Promise<CryptoKey[]>, message: string, tag: Uint8Array): Promise<boolean> {
    let ok = false;
    // Check every key (no early exit) so timing says nothing about which key matched.
    for (const key of await keys) ok = timingSafeEqual(await hmac(key, message), tag) || ok;
    return ok;
  }

  return {
    newId: () => randomToken(18),

    async encode(session) {
      const body = toBase64Url(
        utf8Encode(
          JSON.stringify({
            i: session.id,
            s: session.stage,
            p: session.phone,
            c: session.challengeId,
            l: session.locationId,
            v: session.verified ? 1 : undefined,
            e: session.expiresAt,
            a: session.signedInAt,
          }),
        ),
      );
      const [key] = await sessionKeys;
      return `${VERSION}.${body}.${toBase64Url(await hmac(key as CryptoKey, `${VERSION}.${body}`))}`;
    },

    async decode(value, nowSeconds) {
      if (!value || value.length > 4096) return null;
      const known = verified.get(value);
      if (known) return known.expiresAt > nowSeconds ? { ...known } : null;
      const [version, body, sig] = value.split('.');
      if (version !== VERSION || !body || !sig) return null;
      const tag = fromBase64Url(sig);
      // Only the canonical encoding: base64url's spare low bits must not make a second valid spelling.
      if (!tag || toBase64Url(tag) !== sig) return null;
      if (!(await matchesAny(sessionKeys, `${VERSION}.${body}`, tag))) return null;
      try {
        const bytes = fromBase64Url(body);
        if (!bytes) return null;
        const raw = JSON.parse(utf8Decode(bytes)) as Record<string, unknown>;
        const stage = raw.s;
        if (typeof raw.i !== 'string' || typeof raw.e !== 'number') return null;
        if (stage !== 'anonymous' && stage !== 'code' && stage !== 'signed-in') return null;
        if (raw.e <= nowSeconds) return null;
        const session: PortalSession = { id: raw.i, stage, expiresAt: raw.e };
        if (typeof raw.p === 'string') session.phone = raw.p;
        if (typeof raw.c === 'string') session.challengeId = raw.c;
        if (typeof raw.l === 'string') session.locationId = raw.l;
        if (raw.v === 1) session.verified = true;
        if (typeof raw.a === 'number') session.signedInAt = raw.a;
        verified.put(value, { ...session });
        return session;
      } catch {
        return null;
      }
    },

    async csrfToken(session) {
      const known = tokens.get(session.id);
      if (known) return known;
      const [key] = await csrfKeys;
      const token = toBase64Url(await hmac(key as CryptoKey, `csrf.${session.id}`));
      tokens.put(session.id, token);
      return token;
    },

    async checkCsrf(session, token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 200) return false;
      const tag = fromBase64Url(token);
      return tag !== null && toBase64Url(tag) === token && matchesAny(csrfKeys, `csrf.${session.id}`, tag);
    },
  };
}
