import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VOUCHER_ALPHABET,
  generateShortCode,
  generateVoucherCode,
  randomString,
  resolveCodeOptions,
} from './voucher-code.js';

describe('voucher codes', () => {
  it('the default alphabet has no look-alike characters', () => {
    for (const c of '0O1IL2Z5S8B') expect(DEFAULT_VOUCHER_ALPHABET).not.toContain(c);
    expect(new Set(DEFAULT_VOUCHER_ALPHABET).size).toBe(DEFAULT_VOUCHER_ALPHABET.length);
    expect(DEFAULT_VOUCHER_ALPHABET).toMatch(/^[0-9A-Z]+$/);
  });

  it('makes codes of the configured length and prefix from the alphabet', () => {
    const code = generateVoucherCode();
    expect(code).toMatch(new RegExp(`^[${DEFAULT_VOUCHER_ALPHABET}]{10}$`));
    expect(generateVoucherCode({ prefix: 'summer-', length: 6 })).toMatch(
      new RegExp(`^SUMMER-[${DEFAULT_VOUCHER_ALPHABET}]{6}$`),
    );
    expect(generateVoucherCode({ alphabet: 'abcdefgh', length: 20 })).toMatch(/^[A-H]{20}$/);
    expect(generateShortCode(6)).toMatch(/^\d{6}$/);
  });

  it('draws characters uniformly (chi-squared over 250,000 draws)', () => {
    const alphabet = DEFAULT_VOUCHER_ALPHABET;
    const text = randomString(alphabet, 250_000);
    const counts = new Map<string, number>();
    for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
    const expected = text.length / alphabet.length;
    let chi2 = 0;
    for (const c of alphabet) chi2 += ((counts.get(c) ?? 0) - expected) ** 2 / expected;
    // 24 degrees of freedom: p = 0.0001 at about 59.
    expect(chi2).toBeLessThan(59);
  });

  it('refuses bad options naming the field', () => {
    expect(() => resolveCodeOptions({ alphabet: 'ABCDEFGA' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'code.alphabet' })] }),
    );
    expect(() => resolveCodeOptions({ alphabet: 'abcdefgA' })).toThrow(/twice/);
    expect(() => resolveCodeOptions({ alphabet: 'ABC' })).toThrow(/at least 8/);
    expect(() => resolveCodeOptions({ alphabet: 'ABCD EFGH' })).toThrow(/white space/);
    expect(() => resolveCodeOptions({ prefix: 'A B' })).toThrow(/code.prefix/);
    expect(() => resolveCodeOptions({ length: 3 })).toThrow(/code.length/);
    expect(() => resolveCodeOptions({ shortCodeLength: 13 })).toThrow(/code.shortCodeLength/);
  });
});
