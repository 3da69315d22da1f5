import type { Customer, HotspotKit, Voucher } from '@hotspot-kit/core';

/** A clock the test moves by hand (the kit reads it through `clock`). */
export interface TestClock {
  now: Date;
  set(iso: string): void;
}

export function testClock(iso = '2026-03-01T09:00:00Z'): TestClock {
  const clock: TestClock = {
    now: new Date(iso),
    set(at) {
      clock.now = new Date(at);
    },
  };
  return clock;
}

export const CUSTOMER_PHONE = '+14155552671';
/** A name an attacker would pick: it must show as text, never run. */
export const HOSTILE_NAME = `<script>window.__xss = 1</script>Ann & "Bob"`;
export const ONLINE_MAC = 'aa:bb:cc:00:00:01';

export interface Seeded {
  customer: Customer;
  online: Voucher;
  active: Voucher;
  fresh: Voucher;
  used: Voucher;
  expired: Voucher;
}

/**
 * One customer with a voucher in every state, made through the kit's public API:
 * online (active with an open session), active, new, used (data exhausted), expired.
 * Leaves the clock at 2026-03-06T10:00:00Z.
 */
export async function seedCustomer(kit: HotspotKit, clock: TestClock): Promise<Seeded> {
  clock.set('2026-03-01T09:00:00Z');
  await kit.locations.save({
    id: 'loc-harbour',
    name: 'Harbour Café',
    timezone: 'Europe/Riga',
    branding: { operatorName: 'Harbour <b>Café</b>', primaryColor: '#0a6e4f', accentColor: '#f2a900' },
  });
  const customer = await kit.customers.create({ phone: CUSTOMER_PHONE, name: HOSTILE_NAME, locationId: 'loc-harbour' });
  const dayPass = await kit.plans.create({
    name: 'Day pass 5 GB',
    trafficLimit: { totalBytes: 5_000_000_000 },
    onlineTimeSeconds: 10 * 3600,
    simultaneousDevices: 2,
    downloadKbps: 10_000,
    uploadKbps: 2_000,
    expiry: { kind: 'after-activation', seconds: 7 * 86_400 },
  });
  const unlimited = await kit.plans.create({
    name: 'Unlimited week',
    simultaneousDevices: 3,
    expiry: { kind: 'after-activation', seconds: 7 * 86_400 },
  });
  const tiny = await kit.plans.create({
    name: 'Tiny 100 MB',
    trafficLimit: { totalBytes: 100_000_000 },
    simultaneousDevices: 1,
    expiry: { kind: 'after-activation', seconds: 86_400 },
  });
  const event = await kit.plans.create({
    name: 'Event pass',
    simultaneousDevices: 1,
    expiry: { kind: 'fixed', validUntil: new Date('2026-03-03T00:00:00Z') },
  });
  const base = { customerId: customer.id, locationId: 'loc-harbour' };

  const expired = await kit.vouchers.create({ planId: event.id, ...base });
  await kit.vouchers.activate(expired.id, { mac: 'aa:bb:cc:00:00:09' });

  const used = await kit.vouchers.create({ planId: tiny.id, ...base });
  await kit.vouchers.activate(used.id, { mac: 'aa:bb:cc:00:00:08' });
  await kit.usage.record(acct('start', 'sess-used', used.id, 0, 0, 0, '2026-03-01T09:00:00Z'));
  await kit.usage.record(acct('stop', 'sess-used', used.id, 30_000_000, 120_000_000, 1800, '2026-03-01T09:30:00Z'));

  clock.set('2026-03-05T08:00:00Z');
  const active = await kit.vouchers.create({ planId: unlimited.id, ...base });
  await kit.vouchers.activate(active.id, { mac: 'aa:bb:cc:00:00:07' });
  await kit.usage.record(acct('start', 'sess-active', active.id, 0, 0, 0, '2026-03-05T08:00:00Z'));
  await kit.usage.record(
    acct('stop', 'sess-active', active.id, 200_000_000, 800_000_000, 7200, '2026-03-05T10:00:00Z'),
  );
  const fresh = await kit.vouchers.create({ planId: dayPass.id, ...base });

  clock.set('2026-03-06T09:00:00Z');
  const online = await kit.vouchers.create({ planId: dayPass.id, ...base });
  await kit.vouchers.activate(online.id, { mac: ONLINE_MAC });
  await kit.usage.record(acct('start', 'sess-online', online.id, 0, 0, 0, '2026-03-06T09:00:00Z'));
  clock.set('2026-03-06T10:00:00Z');
  await kit.usage.record(
    acct('interim', 'sess-online', online.id, 1_000_000_000, 1_500_000_000, 3600, '2026-03-06T10:00:00Z'),
  );
  await kit.vouchers.expireDue();

  const reload = async (v: Voucher) => (await kit.vouchers.get(v.id)) as Voucher;
  return {
    customer,
    online: await reload(online),
    active: await reload(active),
    fresh: await reload(fresh),
    used: await reload(used),
    expired: await reload(expired),
  };
}

function acct(
  type: 'start' | 'interim' | 'stop',
  sessionId: string,
  voucherId: string,
  inputOctets: number,
  outputOctets: number,
  sessionTime: number,
  at: string,
) {
  return {
    type,
    sessionId,
    voucherId,
    mac: undefined,
    inputOctets,
    outputOctets,
    sessionTime,
    eventTime: new Date(at),
  };
}
