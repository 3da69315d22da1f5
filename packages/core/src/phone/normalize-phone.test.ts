import { describe, expect, it } from 'vitest';
import { checkPhone, normalizePhone } from './normalize-phone.js';

describe('normalizePhone', () => {
  it('writes the same number the same way', () => {
    expect(normalizePhone('+1 (415) 555-2671')).toBe('+14155552671');
    expect(normalizePhone('(415) 555-2671', { defaultCountry: 'US' })).toBe('+14155552671');
  });
  it('refuses toll-free numbers with a typed reason', () => {
    expect(checkPhone('+1 800 555 0199')).toMatchObject({ ok: false, reason: 'toll-free' });
  });
});
