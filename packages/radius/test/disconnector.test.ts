import { spawn } from 'node:child_process';
import { createHotspotKit, createMemoryStore, type HotspotKit } from '@hotspot-kit/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRadiusDisconnector, isRadiusError, type RadiusDisconnector } from '../src/index.js';
import { freeradiusMissing, type RunningFreeradius, startFreeradius } from './support/freeradius.js';
import { startTestNas } from './support/udp-nas.js';

const SECRET = 'coa-shared-secret';
const missing = freeradiusMissing();
const inCi = process.env.CI === 'true';

describe('Disconnect and CoA to a loopback NAS that checks every authenticator', () => {
  let nas: Awaited<ReturnType<typeof startTestNas>>;
  let disconnector: RadiusDisconnector;

  beforeAll(async () => {
    nas = await startTestNas(SECRET);
  });
  afterAll(() => nas.close());
  afterEach(async () => {
    await disconnector?.close();
    nas.seen.length = 0;
    nas.always({ kind: 'ack' });
  });

  const make = (timeoutMs = 200, retries = 2) => {
    disconnector = createRadiusDisconnector({
      nas: [{ id: 'hq-router', address: '127.0.0.1', port: nas.port, secret: SECRET }],
      timeoutMs,
      retries,
    });
    return disconnector;
  };

  it('a Disconnect-Request carries a valid Request Authenticator and Message-Authenticator (first); ACK is ok', async () => {
    const result = await make().disconnect({ nasId: 'hq-router', sessionId: '81a00003', userName: 'CAFE-7KQ3' });
    expect(result).toEqual({ ok: true, result: 'ack', nasId: 'hq-router', attempts: 1 });
    const [request] = nas.seen;
    expect(request).toMatchObject({
      code: 40,
      requestAuthenticatorValid: true,
      messageAuthenticator: 'valid',
      messageAuthenticatorFirst: true,
    });
    expect(request?.attributes.get('44')?.[0]?.toString()).toBe('81a00003');
    expect(request?.attributes.get('1')?.[0]?.toString()).toBe('CAFE-7KQ3');
  });

  it('a NAK is a result with its Error-Cause', async () => {
    nas.script({ kind: 'nak', errorCause: 503 });
    expect(await make().disconnect({ nasId: 'hq-router', sessionId: 'gone' })).toEqual({
      ok: false,
      result: 'nak',
      errorCause: 503,
      nasId: 'hq-router',
      attempts: 1,
    });
    nas.script({ kind: 'nak' });
    expect(await disconnector.disconnect({ nasId: 'hq-router', sessionId: 'gone' })).toMatchObject({ result: 'nak' });
  });

  it('silence is retried with the same identifier and bytes, then a timeout result, never a hang', async () => {
    nas.always({ kind: 'silence' });
    const result = await make(100, 2).disconnect({ nasId: 'hq-router', sessionId: 's1' });
    expect(result).toEqual({ ok: false, result: 'timeout', nasId: 'hq-router', attempts: 3 });
    expect(nas.seen).toHaveLength(3);
    expect(new Set(nas.seen.map((r) => r.bytes.toString('hex'))).size).toBe(1);
  });

  it('an answer to a retry counts, and the retry kept the identifier', async () => {
    nas.script({ kind: 'silence' }, { kind: 'silence' }, { kind: 'ack' });
    expect(await make(100, 3).disconnect({ nasId: 'hq-router', sessionId: 's2' })).toMatchObject({
      result: 'ack',
      attempts: 3,
    });
    expect(new Set(nas.seen.map((r) => r.identifier)).size).toBe(1);
  });

  it('a response whose authenticator does not verify is ignored', async () => {
    nas.script({ kind: 'forged-then-ack' });
    expect(await make().disconnect({ nasId: 'hq-router', sessionId: 's3' })).toMatchObject({ ok: true, result: 'ack' });
    // With only forged answers there is no ACK at all.
    const forger = await startTestNas(`${SECRET}-other`);
    const other = createRadiusDisconnector({
      nas: [{ id: 'x', address: '127.0.0.1', port: forger.port, secret: SECRET }],
      timeoutMs: 100,
      retries: 1,
    });
    expect(await other.disconnect({ nasId: 'x', sessionId: 's4' })).toMatchObject({ ok: false, result: 'timeout' });
    expect(forger.seen.every((r) => !r.requestAuthenticatorValid)).toBe(true);
    await other.close();
    await forger.close();
  });

  it('a CoA-Request carries the attributes to change, vendor ones included', async () => {
    const result = await make().coa({
      nasId: 'hq-router',
      sessionId: 's5',
      mac: 'a4-83-e7-00-00-0a',
      attributes: { 'Session-Timeout': 600, 'Mikrotik-Rate-Limit': '1M/2M' },
    });
    expect(result).toMatchObject({ ok: true, result: 'ack' });
    const [request] = nas.seen;
    expect(request).toMatchObject({ code: 43, requestAuthenticatorValid: true, messageAuthenticator: 'valid' });
    expect(request?.attributes.get('27')?.[0]?.readUInt32BE(0)).toBe(600);
    expect(request?.attributes.get('26:14988:8')?.[0]?.toString()).toBe('1M/2M');
    expect(request?.attributes.get('31')?.[0]?.toString()).toBe('A4:83:E7:00:00:0A');
  });

  it('many concurrent requests to one NAS each get their own answer', async () => {
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => make().disconnect({ nasId: 'hq-router', sessionId: `s-${i}` })),
    );
    expect(results.every((r) => r.result === 'ack')).toBe(true);
  });

  it('bad input and options are typed errors naming the field; after close, requests are refused', async () => {
    const d = make();
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e) => (isRadiusError(e) ? `${e.code} ${e.issues[0]?.path ?? ''}` : String(e)),
      );
    expect(await code(d.disconnect({ nasId: 'nowhere', sessionId: 'x' }))).toBe('UNKNOWN_NAS nasId');
    expect(await code(d.disconnect({ nasId: 'hq-router' }))).toBe('INVALID_INPUT sessionId');
    expect(await code(d.disconnect({ nasId: 'hq-router', mac: 'not-a-mac' }))).toBe('INVALID_INPUT mac');
    expect(
      await code(d.coa({ nasId: 'hq-router', sessionId: 'x', attributes: { 'No-Such-Attribute': 1 } as never })),
    ).toBe('INVALID_INPUT attributes.No-Such-Attribute');
    expect(await code(d.coa({ nasId: 'hq-router', sessionId: 'x', attributes: { 'Session-Timeout': -1 } }))).toBe(
      'INVALID_INPUT attributes.Session-Timeout',
    );
    for (const [options, path] of [
      [{ nas: [{ id: 'a', address: '10.0.0.1' }] }, 'nas.0.secret'],
      [{ nas: [{ id: 'a', address: '10.0.0.1', secret: 's', port: 70000 }] }, 'nas.0.port'],
      [
        {
          nas: [
            { id: 'a', address: '10.0.0.1', secret: 's' },
            { id: 'a', address: '10.0.0.2', secret: 's' },
          ],
        },
        'nas.1.id',
      ],
      [{ nas: [], timeoutMs: 0 }, 'timeoutMs'],
    ] as const) {
      const error = (() => {
        try {
          createRadiusDisconnector(options as never);
        } catch (e) {
          return e;
        }
      })();
      expect(isRadiusError(error) && [error.code, error.issues[0]?.path]).toEqual(['INVALID_CONFIG', path]);
      expect(String((error as Error).message)).not.toContain('"s"');
    }
    nas.always({ kind: 'silence' });
    const pending = createRadiusDisconnector({
      nas: [{ id: 'n', address: '127.0.0.1', port: nas.port, secret: SECRET }],
      timeoutMs: 10_000,
      retries: 5,
    });
    const waiting = pending.disconnect({ nasId: 'n', sessionId: 'x' });
    await new Promise((r) => setTimeout(r, 50));
    await pending.close();
    expect(await waiting).toMatchObject({ ok: false, result: 'timeout' });
    expect(await code(pending.disconnect({ nasId: 'n', sessionId: 'y' }))).toBe('CLOSED ');
  });
});

describe('attach(kit): the kit’s events become disconnects', () => {
  let nas: Awaited<ReturnType<typeof startTestNas>>;
  let kit: HotspotKit;
  let disconnector: RadiusDisconnector;
  const now = new Date('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    nas = await startTestNas(SECRET);
    kit = createHotspotKit({
      store: createMemoryStore(),
      secret: 'a-test-secret-that-is-long-enough',
      clock: () => now,
    });
    disconnector = createRadiusDisconnector({
      nas: [{ id: 'hq-router', address: '127.0.0.1', port: nas.port, secret: SECRET }],
      timeoutMs: 200,
    });
  });
  afterAll(async () => {
    await disconnector.close();
    await kit.close();
    await nas.close();
  });

  async function online(limits: { trafficLimit?: { totalBytes: number } } = {}) {
    const plan = await kit.plans.create({
      name: 'Day',
      simultaneousDevices: 2,
      expiry: { kind: 'after-activation', seconds: 3600 },
      ...limits,
    });
    const v = await kit.vouchers.create({ planId: plan.id });
    await kit.vouchers.activate(v.id, { mac: 'a4:83:e7:00:00:0a' });
    await kit.vouchers.addDevice(v.id, { mac: 'a4:83:e7:00:00:0b' });
    const start = (mac: string, id: string) =>
      kit.usage.record({
        type: 'start',
        sessionId: `hq-router/${id}`,
        nasId: 'hq-router',
        voucherId: v.id,
        mac,
        inputOctets: 0,
        outputOctets: 0,
        sessionTime: 0,
        eventTime: now,
      });
    await start('a4:83:e7:00:00:0a', `${v.id}-a`);
    await start('a4:83:e7:00:00:0b', `${v.id}-b`);
    return v;
  }
  const sessionIds = () => nas.seen.map((r) => r.attributes.get('44')?.[0]?.toString()).sort();

  it('device.removed disconnects that device’s session, by the Acct-Session-Id the NAS knows', async () => {
    const detach = disconnector.attach(kit);
    const v = await online();
    await kit.vouchers.removeDevice(v.id, 'a4:83:e7:00:00:0b');
    await kit.settled();
    expect(sessionIds()).toEqual([`${v.id}-b`]);
    expect(nas.seen.every((r) => r.requestAuthenticatorValid && r.messageAuthenticator === 'valid')).toBe(true);
    detach();
    nas.seen.length = 0;
  });

  it('voucher.exhausted disconnects every open session of the voucher; after detach nothing is sent', async () => {
    const detach = disconnector.attach(kit);
    const v = await online({ trafficLimit: { totalBytes: 100 } });
    await kit.usage.record({
      type: 'interim',
      sessionId: `hq-router/${v.id}-a`,
      nasId: 'hq-router',
      voucherId: v.id,
      inputOctets: 80,
      outputOctets: 80,
      sessionTime: 60,
      eventTime: now,
    });
    await kit.settled();
    expect(sessionIds()).toEqual([`${v.id}-a`, `${v.id}-b`]);
    detach();
    nas.seen.length = 0;
    const w = await online({ trafficLimit: { totalBytes: 100 } });
    await kit.usage.record({
      type: 'interim',
      sessionId: `hq-router/${w.id}-a`,
      nasId: 'hq-router',
      voucherId: w.id,
      inputOctets: 80,
      outputOctets: 80,
      sessionTime: 60,
      eventTime: now,
    });
    await kit.settled();
    expect(nas.seen).toEqual([]);
  });
});

describe.skipIf(missing !== null && !inCi)(`FreeRADIUS agrees${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('radclient’s Disconnect-Request passes the test NAS’s checks, and radclient accepts its ACK', async () => {
    const nas = await startTestNas(SECRET);
    const output = await new Promise<string>((resolve) => {
      const child = spawn('radclient', ['-x', '-r', '1', '-t', '3', `127.0.0.1:${nas.port}`, 'disconnect', SECRET]);
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
      });
      child.on('close', () => resolve(out));
      child.stdin.end('Acct-Session-Id = "81a00003"\nMessage-Authenticator = 0x00\n');
    });
    await nas.close();
    expect(nas.seen[0]).toMatchObject({ code: 40, requestAuthenticatorValid: true, messageAuthenticator: 'valid' });
    expect(output).toContain('Received Disconnect-ACK');
  });

  describe('a FreeRADIUS CoA listener as the NAS', () => {
    let radius: RunningFreeradius;
    beforeAll(async () => {
      radius = await startFreeradius({
        secret: SECRET,
        site: ({ auth }) => `server coa {
	listen {
		type = coa
		ipaddr = 127.0.0.1
		port = ${auth}
	}
	recv-coa {
		update reply {
			&Message-Authenticator := 0x00
		}
		if (&Acct-Session-Id == "unknown-session") {
			update reply {
				&Error-Cause := Session-Context-Not-Found
			}
			reject
		}
		ok
	}
	send-coa {
		ok
	}
}
`,
      });
    });
    afterAll(() => radius?.stop());

    it('accepts the disconnector’s requests, and the disconnector verifies its ACK and NAK', async () => {
      const d = createRadiusDisconnector({
        nas: [{ id: 'fr', address: '127.0.0.1', port: radius.auth, secret: SECRET }],
        timeoutMs: 2000,
        retries: 0,
      });
      expect(await d.disconnect({ nasId: 'fr', sessionId: '81a00003' })).toMatchObject({ ok: true, result: 'ack' });
      expect(await d.coa({ nasId: 'fr', sessionId: '81a00003', attributes: { 'Session-Timeout': 60 } })).toMatchObject({
        ok: true,
        result: 'ack',
      });
      expect(await d.disconnect({ nasId: 'fr', sessionId: 'unknown-session' })).toMatchObject({
        result: 'nak',
        errorCause: 503,
      });
      await d.close();
      expect(radius.output()).not.toMatch(/invalid Message-Authenticator|Received packet .* with invalid/i);
    });
  });
});
