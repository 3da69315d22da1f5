import {
  createHmacSigner,
  type HmacSigner,
  parseBase64Url,
  randomToken,
  toBase64Url,
  utf8,
} from '@hotspot-kit/core/internal';

/**
 * Where a visitor is in the login journey, kept in a signed cookie: `anonymous` before
 * login, `code` while an OTP challenge waits for its code, `signed-in` after it. A
 * signed-in session's id is also a record in the store (`kit.portalSessions`), checked on
 * every request, so that logging out ends it everywhere.
 */
export interface PortalSession {
  /** Random; a new one is made at every login (the store's session id), which also rotates the CSRF token. */
  id: string;
  stage: 'anonymous' | 'code' | 'signed-in';
  /** Pre-filled phone (anonymous), the challenge's phone as typed (code), E.164 (signed-in). */
  phone?: string;
  challengeId?: string;
  /** The location of a signed location link, or one the visitor chose from `visitorLocations`. */
  locationId?: string;
  /** Signed in with an SMS code (not by phone alone): needed to manage devices. */
  verified?: boolean;
  /** Epoch seconds. */
  expiresAt: number;
  /** Epoch seconds of the login (signed-in sessions): bounds how long renewal can keep one alive. */
  signedInAt?: number;
}

// The cookie format; a value of any other version is refused. A v2 cookie's location was
// set from a signed link or an allowed choice only, so the portal may trust it.
const VERSION = 'v2';

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

/** The two signers a codec needs: one for cookies, one for CSRF tokens (separate keys). */
export interface SessionSigners {
  session: HmacSigner;
  csrf: HmacSigner;
}

/** Signers under the portal's own `secret` option (first signs, all verify). */
export function signersFromSecrets(secrets: readonly string[]): SessionSigners {
  return { session: createHmacSigner(secrets, 'portal/session'), csrf: createHmacSigner(secrets, 'portal/csrf') };
}

const decoder = new TextDecoder();

/**
 * Makes the codec over two signers (the kit's, from `kit.tokens.signer`, or the portal's own
 * secret's). Web Crypto calls are asynchronous round trips, so values already verified (the
 * exact signed cookie string) and CSRF tokens already made are remembered in small bounded
 * caches: a forged value can never be in them, and expiry is still checked on every use.
 */
export function createSessionCodec(signers: SessionSigners): SessionCodec {
  const verified = boundedCache<PortalSession>();
  const tokens = boundedCache<string>();

  return {
    newId: () => randomToken(18),

    async encode(session) {
      const body = toBase64Url(
        utf8(
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
      return `${VERSION}.${body}.${toBase64Url(await signers.session.sign(`${VERSION}.${body}`))}`;
    },

    async decode(value, nowSeconds) {
      if (!value || value.length > 4096) return null;
      const known = verified.get(value);
      if (known) return known.expiresAt > nowSeconds ? { ...known } : null;
      const [version, body, sig] = value.split('.');
      if (version !== VERSION || !body || !sig) return null;
      const tag = parseBase64Url(sig);
      // Only the canonical encoding: base64url's spare low bits must not make a second valid spelling.
      if (!tag || toBase64Url(tag) !== sig) return null;
      if (!(await signers.session.verify(`${VERSION}.${body}`, tag))) return null;
      try {
        const bytes = parseBase64Url(body);
        if (!bytes) return null;
        const raw = JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
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
      const token = toBase64Url(await signers.csrf.sign(`csrf.${session.id}`));
      tokens.put(session.id, token);
      return token;
    },

    async checkCsrf(session, token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 200) return false;
      const tag = parseBase64Url(token);
      return tag !== null && toBase64Url(tag) === token && signers.csrf.verify(`csrf.${session.id}`, tag);
    },
  };
}
