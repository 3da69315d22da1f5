import { describe, expect, it } from 'vitest';
import { createTestKit, rejection } from './support/test-kit.js';

const DAY = 86_400;
const MAC = 'a4:83:e7:00:00:0a';

async function setup() {
  const t = createTestKit();
  const plan = await t.kit.plans.create({
    name: 'Day pass',
    simultaneousDevices: 2,
    trafficLimit: { totalBytes: 1000 },
    expiry: { kind: 'after-activation', seconds: DAY },
  });
  return { ...t, plan };
}

describe('getByCode forgives case and separators', () => {
  it('finds a prefixed code typed without the dash, with spaces, or in lower case', async () => {
    const { kit, plan } = await setup();
    const v = await kit.vouchers.create({ planId: plan.id, code: { prefix: 'SUMMER-', length: 8 } });
    const bare = v.code.slice('SUMMER-'.length);
    for (const typed of [
      v.code,
      v.code.toLowerCase(),
      `summer${bare}`,
      `Summer ${bare.slice(0, 4)} ${bare.slice(4)}`,
    ]) {
      expect((await kit.vouchers.getByCode(typed))?.id, typed).toBe(v.id);
    }
    expect(await kit.vouchers.getByCode(`summer${bare.slice(1)}`)).toBeNull();
  });

  it('finds a code and a short code typed with separators', async () => {
    const { kit, plan } = await setup();
    const v = await kit.vouchers.create({ planId: plan.id, code: { length: 8, shortCodeLength: 6 } });
    expect((await kit.vouchers.getByCode(`${v.code.slice(0, 4)}-${v.code.slice(4)}`))?.id).toBe(v.id);
    const short = v.shortCode as string;
    expect((await kit.vouchers.getByCode(`${short.slice(0, 3)} ${short.slice(3)}`))?.id).toBe(v.id);
  });

  it('a loosely typed code that two vouchers share finds neither', async () => {
    const { kit, plan, store } = await setup();
    const a = await kit.vouchers.create({ planId: plan.id, code: { prefix: 'AB-', length: 6 } });
    const twin = { ...(await store.vouchers.get(a.id))!, id: 'twin', code: `A-B${a.code.slice(3)}`, version: 0 };
    expect(await store.vouchers.insert(twin)).toBe(true);
    expect((await kit.vouchers.getByCode(a.code))?.id).toBe(a.id);
    expect(await kit.vouchers.getByCode(a.code.replace('-', ''))).toBeNull();
  });
});

describe('findByMac: the usable voucher a device is bound to', () => {
  it('finds the active voucher of a device, whatever the MAC format', async () => {
    const { kit, plan } = await setup();
    const v = await kit.vouchers.create({ planId: plan.id });
    await kit.vouchers.activate(v.id, { mac: MAC });
    expect((await kit.vouchers.findByMac('A4-83-E7-00-00-0A'))?.id).toBe(v.id);
    expect(await kit.vouchers.findByMac('a4:83:e7:00:00:0b')).toBeNull();
    expect((await rejection(kit.vouchers.findByMac('not a mac'))).code).toBe('INVALID_MAC');
  });

  it('skips a voucher that is used up, and finds it again only with includeEnded', async () => {
    const { kit, plan, clock } = await setup();
    const used = await kit.vouchers.create({ planId: plan.id });
    await kit.vouchers.activate(used.id, { mac: MAC });
    await kit.usage.record({
      type: 'interim',
      sessionId: 's1',
      voucherId: used.id,
      inputOctets: 600,
      outputOctets: 600,
      sessionTime: 60,
      eventTime: clock.now(),
    });
    expect(await kit.vouchers.findByMac(MAC)).toBeNull();
    expect((await kit.vouchers.findByMac(MAC, { includeEnded: true }))?.status).toBe('used');
    const fresh = await kit.vouchers.create({ planId: plan.id });
    await kit.vouchers.addDevice(fresh.id, { mac: MAC });
    expect((await kit.vouchers.findByMac(MAC))?.id).toBe(fresh.id);
  });

  it('a removed device no longer finds the voucher', async () => {
    const { kit, plan } = await setup();
    const v = await kit.vouchers.create({ planId: plan.id });
    await kit.vouchers.activate(v.id, { mac: MAC });
    await kit.vouchers.removeDevice(v.id, MAC);
    expect(await kit.vouchers.findByMac(MAC)).toBeNull();
  });
});

describe('sessions of a voucher and of a NAS', () => {
  it('lists open sessions and closes a restarted NAS’s sessions with one event each', async () => {
    const { kit, plan, events, clock } = await setup();
    const v = await kit.vouchers.create({ planId: plan.id });
    const base = { voucherId: v.id, inputOctets: 1, outputOctets: 1, sessionTime: 10, eventTime: clock.now() };
    await kit.usage.record({ ...base, type: 'start', sessionId: 'a', nasId: 'nas-1' });
    await kit.usage.record({ ...base, type: 'start', sessionId: 'b', nasId: 'nas-2' });
    expect((await kit.usage.openSessions({ voucherId: v.id })).map((s) => s.sessionId).sort()).toEqual(['a', 'b']);
    expect((await kit.usage.openSessions({ nasId: 'nas-1' })).map((s) => s.sessionId)).toEqual(['a']);
    clock.advance(5);
    const closed = await kit.usage.closeNasSessions('nas-1');
    expect(closed.map((s) => [s.sessionId, s.closedReason])).toEqual([['a', 'nas-restart']]);
    await kit.settled();
    expect(events['session.closed'].map((e) => e.reason)).toEqual(['nas-restart']);
    expect((await kit.usage.openSessions({ voucherId: v.id })).map((s) => s.sessionId)).toEqual(['b']);
    expect((await rejection(kit.usage.openSessions({} as never))).code).toBe('INVALID_INPUT');
  });
});
