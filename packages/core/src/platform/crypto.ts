// The one seam to the platform's crypto: Web Crypto (globalThis.crypto), which Node 20,
// Deno, Bun and browsers share, so domain code stays free of Node-only APIs.

const encoder = new TextEncoder();

function webCrypto(): Crypto {
  const c = globalThis.crypto;
  if (!c?.subtle) throw new Error('Web Crypto (globalThis.crypto.subtle) is not available');
  return c;
}

/** `n` bytes from the platform CSPRNG. */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  webCrypto().getRandomValues(out);
  return out;
}

/** A uniformly random integer in `[0, max)` from the CSPRNG (rejection sampling, no modulo bias). */
export function randomInt(max: number): number {
  if (!Number.isInteger(max) || max <= 0 || max > 2 ** 32) throw new RangeError('max must be in 1..2^32');
  const limit = 2 ** 32 - (2 ** 32 % max);
  const buf = new Uint32Array(1);
  for (;;) {
    webCrypto().getRandomValues(buf);
    const value = buf[0] as number;
    if (value < limit) return value % max;
  }
}

/** A random UUID v4. */
export function randomId(): string {
  return webCrypto().randomUUID();
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = webCrypto().subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keyCache.set(secret, key);
  }
  return key;
}

/** HMAC-SHA256 of `message` under `secret`, as raw bytes. */
export async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  const sig = await webCrypto().subtle.sign('HMAC', await hmacKey(secret), encoder.encode(message));
  return new Uint8Array(sig);
}

/** Compares two byte strings in time that depends only on their lengths. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url; throws on text that is not base64 (see {@link parseBase64Url} for untrusted input). */
export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes untrusted base64url: `null` for anything that is not base64url. */
export function parseBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    return fromBase64Url(text);
  } catch {
    return null;
  }
}

/** `n` random bytes as base64url: an unguessable identifier (18 bytes: 24 characters, 144 bits). */
export function randomToken(bytes = 18): string {
  return toBase64Url(randomBytes(bytes));
}

/** HMAC-SHA256 under keys derived for one purpose: the first key signs, every key verifies. */
export interface HmacSigner {
  /** The tag of `message` under the first key (32 bytes). */
  sign(message: string): Promise<Uint8Array>;
  /** Whether `tag` is the tag of `message` under any key; every key is tried (no early exit). */
  verify(message: string, tag: Uint8Array): Promise<boolean>;
}

/**
 * A signer whose keys are derived from `secrets` for `purpose` (HMAC of
 * `hotspot-kit/<purpose>` under each secret), so tags made for one purpose never verify
 * for another, nor collide with the kit's OTP and token HMACs. Keys are derived once.
 */
export function createHmacSigner(secrets: readonly string[], purpose: string): HmacSigner {
  if (secrets.length === 0) throw new RangeError('an HMAC signer needs at least one secret');
  const subtle = webCrypto().subtle;
  const keys = Promise.all(
    secrets.map(async (secret) => {
      const derived = (await hmacSha256(secret, `hotspot-kit/${purpose}`)) as Uint8Array<ArrayBuffer>;
      return subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    }),
  );
  const tagOf = async (key: CryptoKey, message: string) =>
    new Uint8Array(await subtle.sign('HMAC', key, encoder.encode(message)));
  return {
    async sign(message) {
      return tagOf((await keys)[0] as CryptoKey, message);
    },
    async verify(message, tag) {
      let ok = false;
      for (const key of await keys) ok = timingSafeEqual(await tagOf(key, message), tag) || ok;
      return ok;
    },
  };
}
