import { describe, expect, it } from 'vitest';
import { generateOtpCode, normalizeTypedCode, otpCodeHmac, otpCodeMatches } from './otp-code.js';

const binding = { challengeId: 'c-1', purpose: 'splash' as const, phone: '+14155552671' };

describe('generateOtpCode', () => {
  it('makes codes of the asked length, digits only, leading zeros kept', () => {
    for (const length of [4, 6, 10]) expect(generateOtpCode(length)).toMatch(new RegExp(`^\\d{${length}}$`));
  });

  it('draws digits uniformly (chi-square over 60 000 digits)', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++)
      for (const d of generateOtpCode(6)) counts[Number(d)] = (counts[Number(d)] ?? 0) + 1;
    const expected = 6000;
    const chi = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: p = 0.0001 at 33.7; a modulo-biased or constant source lands far above.
    expect(chi).toBeLessThan(33.7);
    expect(new Set(Array.from({ length: 50 }, () => generateOtpCode(6))).size).toBeGreaterThan(45);
  });
});

describe('otpCodeHmac / otpCodeMatches', () => {
  it('matches only the same code, challenge, purpose and phone', async () => {
    const stored = await otpCodeHmac('secret-a-0123456789', binding, '123456');
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(await otpCodeMatches(['secret-a-0123456789'], stored, binding, '123456')).toBe(true);
    expect(await otpCodeMatches(['secret-a-0123456789'], stored, binding, '123457')).toBe(false);
    expect(await otpCodeMatches(['secret-a-0123456789'], stored, { ...binding, purpose: 'portal' }, '123456')).toBe(
      false,
    );
    expect(await otpCodeMatches(['secret-a-0123456789'], stored, { ...binding, challengeId: 'c-2' }, '123456')).toBe(
      false,
    );
    expect(await otpCodeMatches(['secret-a-0123456789'], stored, { ...binding, phone: '+14155552672' }, '123456')).toBe(
      false,
    );
  });

  it('field boundaries cannot be shifted to forge a match', async () => {
    const stored = await otpCodeHmac('s-0123456789abcdef', { ...binding, challengeId: 'c-1' }, '123456');
    expect(await otpCodeMatches(['s-0123456789abcdef'], stored, { ...binding, challengeId: 'c-' }, '1123456')).toBe(
      false,
    );
  });

  it('verifies under any listed secret and under no other', async () => {
    const stored = await otpCodeHmac('old-secret-0123456789', binding, '000123');
    expect(await otpCodeMatches(['new-secret-0123456789', 'old-secret-0123456789'], stored, binding, '000123')).toBe(
      true,
    );
    expect(await otpCodeMatches(['new-secret-0123456789'], stored, binding, '000123')).toBe(false);
  });
});

describe('normalizeTypedCode', () => {
  it('drops spaces and dashes and folds full-width digits', () => {
    expect(normalizeTypedCode(' 123-456 ')).toBe('123456');
    expect(normalizeTypedCode('１２３４５６')).toBe('123456');
  });
});
