import { isHotspotKitError } from '@hotspot-kit/core';
import { describe, expect, it } from 'vitest';
import { createTestKit } from './support/test-kit.js';

const PHONE = '+14155552671';
const OTHER = '+14155550100';

describe('kit.portalSessions', () => {
  it('a started session is active for its phone only, until its maximum age', async () => {
    const { kit, clock } = createTestKit();
    const { id, expiresAt } = await kit.portalSessions.start({ phone: PHONE, maxAgeSeconds: 3600 });
    expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(expiresAt).toEqual(new Date(clock.now().getTime() + 3600_000));
    expect(await kit.portalSessions.isActive(id, PHONE)).toBe(true);
    expect(await kit.portalSessions.isActive(id, OTHER)).toBe(false);
    expect(await kit.portalSessions.isActive('no-such-session', PHONE)).toBe(false);
    clock.advance(3600);
    expect(await kit.portalSessions.isActive(id, PHONE)).toBe(false);
  });

  it('a revoked session is never active again (logout holds server-side)', async () => {
    const { kit } = createTestKit();
    const { id } = await kit.portalSessions.start({ phone: PHONE, maxAgeSeconds: 3600 });
    expect(await kit.portalSessions.revoke(id)).toBe(true);
    expect(await kit.portalSessions.isActive(id, PHONE)).toBe(false);
    expect(await kit.portalSessions.revoke(id)).toBe(false);
  });

  it('a login with revokeOthers ends every earlier session of the phone, not those of others', async () => {
    const { kit } = createTestKit();
    const earlier = await kit.portalSessions.start({ phone: PHONE, maxAgeSeconds: 3600 });
    const theirs = await kit.portalSessions.start({ phone: OTHER, maxAgeSeconds: 3600 });
    const unproved = await kit.portalSessions.start({ phone: PHONE, maxAgeSeconds: 3600 });
    expect(await kit.portalSessions.isActive(earlier.id, PHONE)).toBe(true);
    const proved = await kit.portalSessions.start({ phone: PHONE, maxAgeSeconds: 3600, revokeOthers: true });
    expect(await kit.portalSessions.isActive(earlier.id, PHONE)).toBe(false);
    expect(await kit.portalSessions.isActive(unproved.id, PHONE)).toBe(false);
    expect(await kit.portalSessions.isActive(proved.id, PHONE)).toBe(true);
    expect(await kit.portalSessions.isActive(theirs.id, OTHER)).toBe(true);
  });

  it('sign out everywhere: by customer id or by any spelling of the phone', async () => {
    const { kit } = createTestKit();
    const customer = await kit.customers.create({ phone: PHONE });
    const a = await kit.portalSessions.start({ phone: PHONE, maxAgeSeconds: 3600 });
    const b = await kit.portalSessions.start({ phone: PHONE, maxAgeSeconds: 3600 });
    expect(await kit.portalSessions.revokeAll({ customerId: customer.id })).toBe(2);
    expect(await kit.portalSessions.isActive(a.id, PHONE)).toBe(false);
    expect(await kit.portalSessions.isActive(b.id, PHONE)).toBe(false);
    const c = await kit.portalSessions.start({ phone: PHONE, maxAgeSeconds: 3600 });
    expect(await kit.portalSessions.revokeAll({ phone: '+1 415 555 2671' })).toBe(1);
    expect(await kit.portalSessions.isActive(c.id, PHONE)).toBe(false);
  });

  it('refuses bad input with a typed error naming the field', async () => {
    const { kit } = createTestKit();
    const refusal = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        if (isHotspotKitError(error)) return { code: error.code, paths: error.issues.map((i) => i.path) };
        throw error;
      }
      throw new Error('expected a refusal');
    };
    expect(await refusal(() => kit.portalSessions.start({ phone: '0415', maxAgeSeconds: 3600 }))).toEqual({
      code: 'INVALID_INPUT',
      paths: ['phone'],
    });
    expect(await refusal(() => kit.portalSessions.start({ phone: PHONE, maxAgeSeconds: 5 }))).toEqual({
      code: 'INVALID_INPUT',
      paths: ['maxAgeSeconds'],
    });
    expect((await refusal(() => kit.portalSessions.revokeAll({ customerId: 'nobody' }))).code).toBe('NOT_FOUND');
    expect((await refusal(() => kit.portalSessions.revokeAll({ phone: 'not a phone' }))).code).toBe('INVALID_PHONE');
  });
});

describe('kit.rateLimits', () => {
  it('counts IPv6 clients per /64 and IPv4 clients per address, refusing past the limit', async () => {
    const { kit } = createTestKit();
    const rule = { limit: 2, windowSeconds: 900 };
    expect(await kit.rateLimits.consume('signup', '2001:db8:0:1::1', rule)).toEqual({ allowed: true, remaining: 1 });
    expect((await kit.rateLimits.consume('signup', '2001:db8:0:1::2', rule)).allowed).toBe(true);
    const refused = await kit.rateLimits.consume('signup', '2001:db8:0:1:ffff::3', rule);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThan(0);
    expect((await kit.rateLimits.consume('signup', '2001:db8:0:2::1', rule)).allowed).toBe(true);
    expect((await kit.rateLimits.consume('other', '2001:db8:0:1::1', rule)).allowed).toBe(true);
    expect((await kit.rateLimits.consume('signup', '198.51.100.1', rule)).allowed).toBe(true);
    expect((await kit.rateLimits.consume('signup', '198.51.100.1', rule)).allowed).toBe(true);
    expect((await kit.rateLimits.consume('signup', '198.51.100.1', rule)).allowed).toBe(false);
    expect((await kit.rateLimits.consume('signup', '198.51.100.2', rule)).allowed).toBe(true);
  });

  it('names a bad rule or name', async () => {
    const { kit } = createTestKit();
    await expect(kit.rateLimits.consume('a b', '198.51.100.1', { limit: 1, windowSeconds: 60 })).rejects.toThrow(
      /rate limit name/,
    );
    await expect(kit.rateLimits.consume('x', '198.51.100.1', { limit: 0, windowSeconds: 60 })).rejects.toThrow(/limit/);
    await expect(kit.rateLimits.consume('x', '', { limit: 1, windowSeconds: 60 })).rejects.toThrow(/client ip/);
  });
});
