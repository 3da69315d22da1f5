import { HotspotKitError } from '../errors.js';
import type { KitContext } from '../kit/kit-context.js';
import type { TokenService } from '../kit/services.js';
import {
  createHmacSigner,
  fromBase64Url,
  type HmacSigner,
  hmacSha256,
  timingSafeEqual,
  toBase64Url,
  utf8,
} from '../platform/crypto.js';

// Domain separation: the same kit secret also keys OTP HMACs; a token MAC can never be
// replayed as one of those (or the other way round).
const MAC_CONTEXT = 'hotspot-kit:token:v1:';
// 128 bits of HMAC-SHA256 (RFC 2104 allows truncation to half the output): forging still
// takes 2^128 online guesses, and the token stays short enough for an SMS link.
const TAG_BYTES = 16;
const TAG_CHARS = 22;
const MAX_TOKEN_LENGTH = 2048;
const MAX_TTL_SECONDS = 366 * 86_400;
const TOKEN_SHAPE = /^([A-Za-z0-9_-]+)\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;
const decoder = new TextDecoder('utf-8', { fatal: true });
// Signer purposes live in their own namespace (`hotspot-kit/<purpose>`); the token MAC
// context above has a colon, which a purpose cannot, so the two can never meet.
const SIGNER_PURPOSE = /^[a-z0-9][a-z0-9/_.-]{0,63}$/;
const SIGNER_PURPOSE_RULE = 'must be 1 to 64 lower-case letters, digits, / _ . or -, starting with a letter or digit';

type Payload = Record<string, string | number>;

/**
 * `kit.tokens`: compact, signed, expiring tokens, safe in a URL and short enough for an SMS.
 * A token is `base64url(JSON payload) . expiry (unix seconds, base 36) . base64url(tag)`,
 * the tag being HMAC-SHA256 (truncated to 128 bits) under the first kit secret; every
 * secret verifies, so secrets can be rotated without breaking links already sent. The
 * payload is signed, not encrypted: anyone holding the token can read it.
 *
 * @example
 * ```ts
 * const token = await kit.tokens.sign({ p: '+14155552671', purpose: 'portal-prefill' }, 7 * 86_400)
 * await kit.tokens.verify(token) // { p: '+14155552671', purpose: 'portal-prefill' }, or null
 * ```
 */
export function createTokenService(ctx: KitContext): TokenService {
  const secrets = ctx.secrets;
  if (secrets.length === 0) throw new HotspotKitError('INVALID_CONFIG', 'tokens need at least one kit secret');

  const signers = new Map<string, HmacSigner>();

  async function tag(secret: string, signed: string): Promise<Uint8Array> {
    return (await hmacSha256(secret, MAC_CONTEXT + signed)).slice(0, TAG_BYTES);
  }

  return {
    signer(purpose) {
      if (typeof purpose !== 'string' || !SIGNER_PURPOSE.test(purpose)) {
        throw new HotspotKitError('INVALID_INPUT', `Invalid signer purpose: ${SIGNER_PURPOSE_RULE}`, {
          issues: [{ path: 'purpose', message: SIGNER_PURPOSE_RULE }],
        });
      }
      let signer = signers.get(purpose);
      if (!signer) {
        signer = createHmacSigner(secrets, purpose);
        signers.set(purpose, signer);
      }
      return signer;
    },

    async sign(payload, ttlSeconds) {
      checkPayload(payload);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
        throw new HotspotKitError(
          'INVALID_INPUT',
          `Invalid token ttlSeconds: must be an integer from 1 to ${MAX_TTL_SECONDS}`,
          {
            issues: [{ path: 'ttlSeconds', message: `must be an integer from 1 to ${MAX_TTL_SECONDS}` }],
          },
        );
      }
      const exp = Math.floor(ctx.clock().getTime() / 1000) + ttlSeconds;
      const signed = `${toBase64Url(utf8(JSON.stringify(payload)))}.${exp.toString(36)}`;
      return `${signed}.${toBase64Url(await tag(secrets[0] as string, signed))}`;
    },

    async verify(token) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
      const match = TOKEN_SHAPE.exec(token);
      if (!match) return null;
      const [, body, exp36, tagText] = match as unknown as [string, string, string, string];
      const given = fromBase64Url(tagText);
      const signed = `${body}.${exp36}`;
      // Every secret is tried (no early exit) so timing does not tell which one matched.
      let valid = false;
      for (const secret of secrets) {
        if (timingSafeEqual(await tag(secret, signed), given)) valid = true;
      }
      if (!valid || given.length !== TAG_BYTES || tagText.length !== TAG_CHARS) return null;
      const exp = Number.parseInt(exp36, 36);
      if (!Number.isSafeInteger(exp) || ctx.clock().getTime() >= exp * 1000) return null;
      try {
        const payload: unknown = JSON.parse(decoder.decode(fromBase64Url(body)));
        return isPayload(payload) ? payload : null;
      } catch {
        return null;
      }
    },
  };
}

function isPayload(value: unknown): value is Payload {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
}

function checkPayload(payload: unknown): asserts payload is Payload {
  if (!isPayload(payload)) {
    throw new HotspotKitError(
      'INVALID_INPUT',
      'Invalid token payload: must be an object of strings and finite numbers',
      {
        issues: [{ path: 'payload', message: 'must be an object of strings and finite numbers' }],
      },
    );
  }
}
