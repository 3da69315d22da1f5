import { createHotspotKit, type HotspotKit } from '@hotspot-kit/core';
import { createSqliteStore } from '@hotspot-kit/store-sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreeradiusHandler } from '../src/index.js';
import { freeradiusMissing, type RunningFreeradius, startFreeradius } from './support/freeradius.js';
import { radclient } from './support/radclient.js';
import { serveFetch } from './support/serve-fetch.js';

// Accounting through real FreeRADIUS 3 with the docs' config, radclient as the NAS: every
// Accounting-Response means stored, and kit.usage.summary shows exactly what the NAS counted.

const missing = freeradiusMissing();
const SECRET = 'nas-shared-secret';
const GIGA = 2 ** 32;
const now = new Date('2026-03-01T10:00:00Z');
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe.skipIf(missing !== null && process.env.CI !== 'true')(
  `accounting through FreeRADIUS${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let kit: HotspotKit;
    let radius: RunningFreeradius;
    let http: Awaited<ReturnType<typeof serveFetch>>;

    beforeAll(async () => {
      kit = createHotspotKit({
        store: await createSqliteStore({ filename: ':memory:' }),
        secret: 'a-test-secret-that-is-long-enough',
        clock: () => now,
      });
      http = await serveFetch(createFreeradiusHandler(kit));
      radius = await startFreeradius({ handlerUrl: `${http.url}/radius`, secret: SECRET });
    });

    afterAll(async () => {
      await radius?.stop();
      await http?.close();
      await kit?.close();
    });

    async function activeVoucher(mac = 'a4:83:e7:00:00:0a') {
      const plan = await kit.plans.create({
        name: 'Day',
        simultaneousDevices: 2,
        expiry: { kind: 'after-activation', seconds: 86_400 },
      });
      const v = await kit.vouchers.create({ planId: plan.id });
      await kit.vouchers.activate(v.id, { mac });
      return v;
    }

    const acct = (attributes: Record<string, string | number>, timeoutSeconds?: number) =>
      radclient(
        radius.acct,
        'acct',
        SECRET,
        { 'NAS-Identifier': 'hq-router', 'NAS-IP-Address': '10.0.0.1', ...attributes },
        timeoutSeconds,
      );

    const used = async (voucherId: string) => {
      const { used } = await kit.usage.summary(voucherId);
      return [used.uploadBytes, used.downloadBytes, used.onlineSeconds];
    };

    it('start, interims, a replay, an out-of-order interim and the stop count exactly once', async () => {
      const v = await activeVoucher();
      const session = (type: string, time: number, input: number, output: number, at: string) =>
        acct({
          'Acct-Status-Type': type,
          'User-Name': v.code.toLowerCase(),
          'Acct-Session-Id': '81a00001',
          'Calling-Station-Id': 'A4:83:E7:00:00:0A',
          'Acct-Session-Time': time,
          'Acct-Input-Octets': input,
          'Acct-Output-Octets': output,
          'Event-Timestamp': epoch(at),
        });
      expect((await session('Start', 0, 0, 0, '2026-03-01T10:00:00Z')).code).toBe('Accounting-Response');
      expect((await session('Interim-Update', 300, 1000, 5000, '2026-03-01T10:05:00Z')).code).toBe(
        'Accounting-Response',
      );
      expect((await session('Interim-Update', 600, 3000, 9000, '2026-03-01T10:10:00Z')).code).toBe(
        'Accounting-Response',
      );
      // The NAS repeats the last interim, then a delayed older one arrives: neither counts again.
      await session('Interim-Update', 600, 3000, 9000, '2026-03-01T10:10:00Z');
      await session('Interim-Update', 300, 1000, 5000, '2026-03-01T10:05:00Z');
      expect(await used(v.id)).toEqual([3000, 9000, 600]);
      expect((await kit.usage.openSessions({ voucherId: v.id })).map((s) => [s.sessionId, s.nasId, s.mac])).toEqual([
        ['hq-router/81a00001', 'hq-router', 'a4:83:e7:00:00:0a'],
      ]);
      expect((await session('Stop', 900, 4000, 12000, '2026-03-01T10:15:00Z')).code).toBe('Accounting-Response');
      await session('Stop', 900, 4000, 12000, '2026-03-01T10:15:00Z');
      expect(await used(v.id)).toEqual([4000, 12000, 900]);
      expect(await kit.usage.openSessions({ voucherId: v.id })).toEqual([]);
    });

    it('gigawords add 4 GiB each, and the Event-Timestamp decides the day', async () => {
      const v = await activeVoucher();
      const reply = await acct({
        'Acct-Status-Type': 'Interim-Update',
        'User-Name': v.code,
        'Acct-Session-Id': 'giga-1',
        'Acct-Session-Time': 3600,
        'Acct-Input-Octets': 7,
        'Acct-Input-Gigawords': 1,
        'Acct-Output-Octets': 9,
        'Acct-Output-Gigawords': 3,
        'Event-Timestamp': epoch('2026-02-27T23:30:00Z'),
      });
      expect(reply.code).toBe('Accounting-Response');
      expect(await used(v.id)).toEqual([GIGA + 7, 3 * GIGA + 9, 3600]);
      const [session] = await kit.usage.openSessions({ voucherId: v.id });
      expect(session?.lastEventAt.toISOString()).toBe('2026-02-27T23:30:00.000Z');
    });

    it('sessions of the same Acct-Session-Id on two NAS stay apart', async () => {
      const a = await activeVoucher();
      const b = await activeVoucher('a4:83:e7:00:00:0b');
      const event = { 'Acct-Status-Type': 'Interim-Update', 'Acct-Session-Id': 'same-id', 'Acct-Session-Time': 60 };
      await acct({ ...event, 'User-Name': a.code, 'NAS-Identifier': 'router-a', 'Acct-Input-Octets': 100 });
      await acct({ ...event, 'User-Name': b.code, 'NAS-Identifier': 'router-b', 'Acct-Input-Octets': 200 });
      expect((await used(a.id))[0]).toBe(100);
      expect((await used(b.id))[0]).toBe(200);
    });

    it('Accounting-On closes what the NAS had open, and only that NAS', async () => {
      const v = await activeVoucher();
      const start = (nas: string, id: string) =>
        acct({
          'Acct-Status-Type': 'Start',
          'User-Name': v.code,
          'Acct-Session-Id': id,
          'NAS-Identifier': nas,
          'Event-Timestamp': epoch('2026-03-01T09:00:00Z'),
        });
      await start('rebooting-router', 's-1');
      await start('rebooting-router', 's-2');
      await start('other-router', 's-3');
      const on = await acct({
        'Acct-Status-Type': 'Accounting-On',
        'NAS-Identifier': 'rebooting-router',
        'Event-Timestamp': epoch('2026-03-01T09:30:00Z'),
      });
      expect(on.code).toBe('Accounting-Response');
      expect(await kit.usage.openSessions({ nasId: 'rebooting-router' })).toEqual([]);
      expect((await kit.usage.openSessions({ voucherId: v.id })).map((s) => s.sessionId)).toEqual(['other-router/s-3']);
      const off = await acct({ 'Acct-Status-Type': 'Accounting-Off', 'NAS-Identifier': 'other-router' });
      expect(off.code).toBe('Accounting-Response');
      expect(await kit.usage.openSessions({ voucherId: v.id })).toEqual([]);
    });

    it('a MAC-login session is filed under its voucher by Class, also after the voucher is used up', async () => {
      const plan = await kit.plans.create({
        name: 'Tiny',
        simultaneousDevices: 1,
        trafficLimit: { totalBytes: 1000 },
        expiry: { kind: 'after-activation', seconds: 86_400 },
      });
      const v = await kit.vouchers.create({ planId: plan.id });
      await kit.vouchers.activate(v.id, { mac: 'a4:83:e7:00:00:0e' });
      const event = {
        'User-Name': 'A4:83:E7:00:00:0E',
        'Acct-Session-Id': 'mac-1',
        Class: `0x${Buffer.from(`hotspot-kit:${v.id}`).toString('hex')}`,
      };
      await acct({
        ...event,
        'Acct-Status-Type': 'Interim-Update',
        'Acct-Session-Time': 60,
        'Acct-Input-Octets': 900,
        'Acct-Output-Octets': 300,
      });
      expect((await kit.vouchers.get(v.id))?.status).toBe('used');
      const stop = await acct({
        ...event,
        'Acct-Status-Type': 'Stop',
        'Acct-Session-Time': 90,
        'Acct-Input-Octets': 950,
        'Acct-Output-Octets': 400,
      });
      expect(stop.code).toBe('Accounting-Response');
      expect(await used(v.id)).toEqual([950, 400, 90]);
    });

    it('accounting for a user the kit does not know is not acknowledged', async () => {
      const reply = await acct({ 'Acct-Status-Type': 'Start', 'User-Name': 'NOBODY', 'Acct-Session-Id': 'x-1' }, 1);
      expect(reply.code).toBeNull();
    });
  },
);
