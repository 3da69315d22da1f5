import { createHotspotKit, createMemoryStore, type HotspotKitOptions, isHotspotKitError } from '@hotspot-kit/core';
import { describe, expect, it } from 'vitest';
import { TEST_SECRET } from './support/test-kit.js';

function configError(options: unknown): {
  code: string;
  message: string;
  issues: Array<{ path: string; message: string }>;
} {
  try {
    createHotspotKit(options as HotspotKitOptions);
  } catch (error) {
    if (isHotspotKitError(error)) return error as never;
    throw error;
  }
  throw new Error('expected createHotspotKit to throw');
}

describe('createHotspotKit option validation', () => {
  const base = () => ({ store: createMemoryStore(), secret: TEST_SECRET });

  it('accepts the minimal options and applies defaults', () => {
    const kit = createHotspotKit(base());
    expect(kit.options.usage.staleSessionSeconds).toBe(900);
    expect(kit.options.portal.otp).toBe(false);
    expect(kit.options.vouchers.code).toEqual({});
  });

  it.each([
    ['a missing options object', undefined, '', 'INVALID_CONFIG'],
    ['a missing store', { store: undefined }, 'store', 'INVALID_CONFIG'],
    ['an sms sender without send()', { sms: {} }, 'sms', 'INVALID_CONFIG'],
    ['a missing secret', { secret: undefined }, 'secret', 'INVALID_CONFIG'],
    ['a short secret', { secret: 'short' }, 'secret', 'INVALID_CONFIG'],
    ['an empty secret list', { secret: [] }, 'secret', 'INVALID_CONFIG'],
    ['a short rotated secret', { secret: [TEST_SECRET, 'short'] }, 'secret[1]', 'INVALID_CONFIG'],
    ['an unknown option', { vouchrs: {} }, '(root)', 'INVALID_CONFIG'],
    [
      'a too short stale-session timeout',
      { usage: { staleSessionSeconds: 10 } },
      'usage.staleSessionSeconds',
      'INVALID_CONFIG',
    ],
    ['a too short voucher code', { vouchers: { code: { length: 2 } } }, 'vouchers.code.length', 'INVALID_CONFIG'],
    ['a short alphabet', { vouchers: { code: { alphabet: 'ABC' } } }, 'vouchers.code.alphabet', 'INVALID_CONFIG'],
    ['a bad default country', { phone: { defaultCountry: 'USA' } }, 'phone.defaultCountry', 'INVALID_CONFIG'],
    [
      'a bad allowed country',
      { phone: { allowedCountries: ['LV', 'Latvia'] } },
      'phone.allowedCountries[1]',
      'INVALID_CONFIG',
    ],
    ['portal OTP without an SMS sender', { portal: { otp: true } }, 'portal.otp', 'SMS_NOT_CONFIGURED'],
  ])('refuses %s, naming the field', (_what, overrides, path, code) => {
    const options = overrides === undefined ? undefined : { ...base(), ...(overrides as object) };
    const error = configError(options);
    expect(error.code).toBe(code);
    if (path !== '') {
      expect(error.issues.map((i) => i.path)).toContain(path);
      expect(error.message).toContain(path === '(root)' ? 'vouchrs' : path);
    }
  });

  it('says what a missing secret should be, not just "Invalid input"', () => {
    const { secret: _secret, ...withoutSecret } = base();
    expect(configError(withoutSecret).message).toMatch(
      /secret: is required: a random string of at least 16 characters/,
    );
  });

  it('kit-wide voucher code options shape every code', async () => {
    const kit = createHotspotKit({ ...base(), vouchers: { code: { prefix: 'RIX-', length: 5, shortCodeLength: 5 } } });
    const plan = await kit.plans.create({
      name: 'Hour',
      simultaneousDevices: 1,
      expiry: { kind: 'after-activation', seconds: 3600 },
    });
    const v = await kit.vouchers.create({ planId: plan.id });
    expect(v.code).toMatch(/^RIX-[0-9A-Z]{5}$/);
    expect(v.shortCode).toMatch(/^\d{5}$/);
  });

  it('the kit phone rules apply to customers', async () => {
    const kit = createHotspotKit({ ...base(), phone: { defaultCountry: 'LV', allowedCountries: ['LV'] } });
    expect((await kit.customers.create({ phone: '2000 0001' })).phone).toBe('+37120000001');
    await expect(kit.customers.create({ phone: '+4915123456789' })).rejects.toMatchObject({
      code: 'INVALID_PHONE',
      details: { reason: 'country-not-allowed' },
    });
  });
});
