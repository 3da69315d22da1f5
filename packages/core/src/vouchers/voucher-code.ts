import { HotspotKitError } from '../errors.js';
import { randomBytes, randomInt } from '../platform/crypto.js';

/**
 * The default voucher-code alphabet: digits and upper-case letters without look-alikes
 * (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), 25 characters. Ten of them give about 9.5 * 10^13 codes.
 */
export const DEFAULT_VOUCHER_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

/** Characters after the prefix when no length is configured. */
export const DEFAULT_VOUCHER_CODE_LENGTH = 10;

/** How codes are made, after defaults and validation. */
export interface ResolvedCodeOptions {
  length: number;
  alphabet: string;
  prefix: string;
  shortCodeLength?: number;
}

/**
 * Applies defaults to code options and checks them: the alphabet is upper-cased and must
 * hold at least 8 distinct printable characters, the prefix is upper-cased and may not hold
 * white space. Throws `INVALID_INPUT` naming the field (`code.alphabet`, `code.prefix`, ...).
 */
export function resolveCodeOptions(options: {
  length?: number | undefined;
  alphabet?: string | undefined;
  prefix?: string | undefined;
  shortCodeLength?: number | undefined;
}): ResolvedCodeOptions {
  const alphabet = (options.alphabet ?? DEFAULT_VOUCHER_ALPHABET).toUpperCase();
  if (!/^[\x21-\x7e]+$/.test(alphabet)) {
    throw invalid('code.alphabet', 'may only hold printable ASCII characters without white space');
  }
  if (new Set(alphabet).size !== alphabet.length) {
    throw invalid('code.alphabet', 'has a character twice (letters count once whatever their case)');
  }
  if (alphabet.length < 8) throw invalid('code.alphabet', 'needs at least 8 distinct characters');
  const prefix = (options.prefix ?? '').toUpperCase();
  if (prefix !== '' && !/^[\x21-\x7e]+$/.test(prefix)) {
    throw invalid('code.prefix', 'may only hold printable ASCII characters without white space');
  }
  const length = options.length ?? DEFAULT_VOUCHER_CODE_LENGTH;
  if (!Number.isInteger(length) || length < 4 || length > 32) throw invalid('code.length', 'must be an integer 4..32');
  const out: ResolvedCodeOptions = { length, alphabet, prefix };
  if (options.shortCodeLength !== undefined) {
    const n = options.shortCodeLength;
    if (!Number.isInteger(n) || n < 4 || n > 12) throw invalid('code.shortCodeLength', 'must be an integer 4..12');
    out.shortCodeLength = n;
  }
  return out;
}

function invalid(path: string, message: string): HotspotKitError {
  return new HotspotKitError('INVALID_INPUT', `Invalid voucher code options: ${path}: ${message}`, {
    issues: [{ path, message }],
  });
}

// Random bytes come in blocks (one Web Crypto call per 64 KiB) so that a series of 100,000
// codes does not make a million calls; every byte still comes from the platform CSPRNG.
const POOL_SIZE = 65_536;
let pool: Uint8Array = new Uint8Array(0);
let poolAt = 0;

function nextByte(): number {
  if (poolAt >= pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  const byte = pool[poolAt] as number;
  pool[poolAt] = 0;
  poolAt += 1;
  return byte;
}

/** A uniformly random index in `[0, size)`: rejection sampling on bytes, so no modulo bias. */
function randomIndex(size: number): number {
  if (size > 256) return randomInt(size);
  const limit = 256 - (256 % size);
  for (;;) {
    const b = nextByte();
    if (b < limit) return b % size;
  }
}

/** `length` characters drawn uniformly from `alphabet` with the CSPRNG. */
export function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomIndex(alphabet.length)];
  return out;
}

/**
 * One voucher code: the prefix and `length` random characters of the alphabet (CSPRNG).
 *
 * @example
 * ```ts
 * generateVoucherCode({ prefix: 'SUMMER-', length: 8 }) // e.g. 'SUMMER-7KQ3WXAM'
 * ```
 */
export function generateVoucherCode(options: { length?: number; alphabet?: string; prefix?: string } = {}): string {
  const o = resolveCodeOptions(options);
  return o.prefix + randomString(o.alphabet, o.length);
}

/** A numeric short code of `length` digits (leading zeros kept), for typing on a phone. */
export function generateShortCode(length: number): string {
  return randomString('0123456789', length);
}

/** How many distinct codes the options allow (may be `Infinity` for long codes). */
export function codeSpace(options: ResolvedCodeOptions): { codes: number; shortCodes: number | null } {
  return {
    codes: options.alphabet.length ** options.length,
    shortCodes: options.shortCodeLength === undefined ? null : 10 ** options.shortCodeLength,
  };
}

/**
 * Separators people type into codes (space, `-`, `_`, `.`); SQL stores index the code with
 * exactly these removed, so the list must stay in step with their `findByCodeKey`.
 */
export const VOUCHER_CODE_SEPARATORS: readonly string[] = [' ', '-', '_', '.'];

/**
 * A code as it is looked up when typed loosely: trimmed, upper case, separators removed.
 *
 * @example
 * ```ts
 * voucherCodeKey(' summer-7kq3 wxam ') // 'SUMMER7KQ3WXAM'
 * ```
 */
export function voucherCodeKey(code: string): string {
  let out = code.trim().toUpperCase();
  for (const separator of VOUCHER_CODE_SEPARATORS) out = out.replaceAll(separator, '');
  return out;
}
