import { describe, expect, it } from 'vitest';
import { createTestKit, rejection, T0 } from './support/test-kit.js';

describe('kit.customers', () => {
  it('normalizes the phone before storing and looking up; one phone is one customer', async () => {
    const { kit } = createTestKit({ phone: { defaultCountry: 'US' } });
    const c = await kit.customers.create({ phone: '(415) 555-2671', name: '  Ann  ', email: 'ann@example.com' });
    expect(c).toMatchObject({ phone: '+14155552671', name: 'Ann', email: 'ann@example.com', createdAt: T0 });
    expect((await kit.customers.findByPhone('+1 415-555-2671'))?.id).toBe(c.id);
    expect(await kit.customers.get(c.id)).toEqual(c);
    expect(await rejection(kit.customers.create({ phone: '+14155552671' }))).toMatchObject({
      code: 'CONFLICT',
      issues: [{ path: 'phone' }],
    });
  });

  it('ensure is race-safe: 20 parallel calls with the phone written differently give one customer', async () => {
    const { kit } = createTestKit();
    const forms = ['+37120000001', '+371 2000 0001', '+371 20-00-00-01', '0037120000001'];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => kit.customers.ensure({ phone: forms[i % 4] as string })),
    );
    expect(new Set(results.map((c) => c.id)).size).toBe(1);
    expect(results[0]?.phone).toBe('+37120000001');
  });

  it('refuses bad input naming the field', async () => {
    const { kit } = createTestKit();
    expect(await rejection(kit.customers.create({ phone: '+1 800 555 0199' }))).toMatchObject({
      code: 'INVALID_PHONE',
      details: { reason: 'toll-free' },
      issues: [{ path: 'phone' }],
    });
    expect(await rejection(kit.customers.create({ phone: '+37120000001', email: 'not-an-email' }))).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'email' }],
    });
    expect(await rejection(kit.customers.create({ phone: '+37120000001', locationId: 'nowhere' }))).toMatchObject({
      code: 'NOT_FOUND',
      issues: [{ path: 'locationId' }],
    });
    expect(await rejection(kit.customers.create({ phone: 37120000001 as never }))).toMatchObject({
      issues: [{ path: 'phone' }],
    });
    expect(await rejection(kit.customers.findByPhone('hello'))).toMatchObject({ code: 'INVALID_PHONE' });
  });

  it('update changes name, email and location, never the phone', async () => {
    const { kit } = createTestKit();
    const loc = await kit.locations.save({ name: 'Harbour' });
    const c = await kit.customers.create({ phone: '+37120000002' });
    const updated = await kit.customers.update(c.id, { name: 'Bob', email: 'bob@example.com', locationId: loc.id });
    expect(updated).toMatchObject({
      id: c.id,
      phone: c.phone,
      name: 'Bob',
      email: 'bob@example.com',
      locationId: loc.id,
    });
    expect(await kit.customers.get(c.id)).toEqual(updated);
    expect(await rejection(kit.customers.update(c.id, { phone: '+37120000003' } as never))).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await rejection(kit.customers.update('nobody', { name: 'x' }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('kit.locations', () => {
  it('saves with UTC by default, replaces by id keeping createdAt, lists by name', async () => {
    const { kit, clock } = createTestKit();
    const a = await kit.locations.save({ name: 'Zoo' });
    expect(a).toMatchObject({ name: 'Zoo', timezone: 'UTC', createdAt: T0 });
    clock.advance(60);
    const replaced = await kit.locations.save({
      id: a.id,
      name: 'Zoo cafe',
      timezone: 'Europe/Riga',
      senderId: 'ZooWiFi',
      branding: { operatorName: 'Zoo & Co', primaryColor: '#0a7d5a', logoUrl: 'https://example.com/logo.svg' },
    });
    expect(replaced).toMatchObject({ id: a.id, createdAt: T0, timezone: 'Europe/Riga', senderId: 'ZooWiFi' });
    await kit.locations.save({ id: 'airport', name: 'Airport' });
    expect((await kit.locations.list()).map((l) => l.name)).toEqual(['Airport', 'Zoo cafe']);
    expect(await kit.locations.get('airport')).toMatchObject({ id: 'airport' });
  });

  it('refuses bad input naming the field', async () => {
    const { kit } = createTestKit();
    const cases: Array<[object, string]> = [
      [{ name: '' }, 'name'],
      [{ name: 'X', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ name: 'X', senderId: 'A sender name that is too long' }, 'senderId'],
      [{ name: 'X', branding: { primaryColor: 'red;background:url(x)' } }, 'branding.primaryColor'],
      [{ name: 'X', branding: { logoUrl: 'javascript:alert(1)' } }, 'branding.logoUrl'],
      [{ name: 'X', colour: 'red' }, '(root)'],
    ];
    for (const [input, path] of cases) {
      expect(await rejection(kit.locations.save(input as never))).toMatchObject({
        code: 'INVALID_INPUT',
        issues: [{ path }],
      });
    }
  });
});

describe('kit.plans', () => {
  it('creates plans with every limit shape; lists them oldest first', async () => {
    const { kit, clock } = createTestKit();
    const total = await kit.plans.create({
      name: '10 GB week',
      downloadKbps: 20_000,
      uploadKbps: 5_000,
      trafficLimit: { totalBytes: 10 * 2 ** 30 },
      onlineTimeSeconds: 36_000,
      simultaneousDevices: 3,
      expiry: { kind: 'after-activation', seconds: 7 * 86_400 },
    });
    clock.advance(1);
    const split = await kit.plans.create({
      name: 'Split',
      trafficLimit: { downloadBytes: 5e9, uploadBytes: 1e9 },
      simultaneousDevices: 1,
      expiry: { kind: 'fixed', validUntil: '2026-12-31T23:59:59Z' as never },
    });
    expect(split.expiry).toEqual({ kind: 'fixed', validUntil: new Date('2026-12-31T23:59:59Z') });
    expect(split).not.toHaveProperty('downloadKbps');
    expect(await kit.plans.get(total.id)).toEqual(total);
    expect((await kit.plans.list()).map((p) => p.name)).toEqual(['10 GB week', 'Split']);
  });

  it('refuses bad input naming the field', async () => {
    const { kit } = createTestKit();
    const ok = { name: 'P', simultaneousDevices: 1, expiry: { kind: 'after-creation', seconds: 60 } };
    const cases: Array<[object, string]> = [
      [{ ...ok, name: ' ' }, 'name'],
      [{ ...ok, simultaneousDevices: 0 }, 'simultaneousDevices'],
      [{ ...ok, simultaneousDevices: 2.5 }, 'simultaneousDevices'],
      [{ ...ok, downloadKbps: -1 }, 'downloadKbps'],
      [{ ...ok, onlineTimeSeconds: 0 }, 'onlineTimeSeconds'],
      [{ ...ok, trafficLimit: { totalBytes: -5 } }, 'trafficLimit'],
      [{ ...ok, trafficLimit: { downloadBytes: 5 } }, 'trafficLimit'],
      [{ ...ok, expiry: { kind: 'forever' } }, 'expiry.kind'],
      [{ ...ok, expiry: { kind: 'after-activation', seconds: 0 } }, 'expiry.seconds'],
      [{ ...ok, expiry: { kind: 'fixed', validUntil: 'next year' } }, 'expiry.validUntil'],
      [{ name: 'P', expiry: ok.expiry }, 'simultaneousDevices'],
    ];
    for (const [input, path] of cases) {
      const error = await rejection(kit.plans.create(input as never));
      expect(error).toMatchObject({ code: 'INVALID_INPUT' });
      const paths = (error.issues as Array<{ path: string }>).map((i) => i.path);
      expect(
        paths.some((p) => p === path || p.startsWith(`${path}.`)),
        `${paths} names ${path}`,
      ).toBe(true);
      expect(error.message).toContain(path);
    }
  });
});
