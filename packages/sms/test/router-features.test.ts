import { createHotspotKit, createMemoryStore, type SmsSenderEvent } from '@hotspot-kit/core';
import { createSmsRouter, isSmsError } from '@hotspot-kit/sms';
import { describe, expect, it, vi } from 'vitest';
import { setupRouterTests } from './helpers/router-setup.js';
import { startStub } from './helpers/stub-server.js';

const TO = '+14155550100';
const SECRET = 'sk_live_VERY_SECRET_42';
const HEADER_SECRET = 'hdr-raw-credential-77';

const setup = setupRouterTests();
const { answers, track, hits: hitsOf } = setup;

const gw = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: `Gateway ${id}`,
  type: 'custom',
  enabled: true,
  url: `${setup.stub.origin}/${id}`,
  method: 'POST',
  contentType: 'json',
  payload: '{"key":"%SECRET:key%","to":"%TO%","text":"%MESSAGE%"}',
  useLuaScript: false,
  verifySsl: true,
  secrets: { key: SECRET },
  customHeaderName: 'X-Auth',
  customHeaderValue: HEADER_SECRET,
  ...overrides,
});

describe('runtime reload', () => {
  it('reorders, disables and enables gateways without a restart; a bad reload keeps the old configs', async () => {
    const router = track(createSmsRouter({ gateways: [gw('a'), gw('b')] }));
    expect((await router.send({ to: TO, text: 'x', purpose: 'test' })).gatewayId).toBe('a');
    await router.reload([gw('b'), gw('a')]);
    expect((await router.send({ to: TO, text: 'x', purpose: 'test' })).gatewayId).toBe('b');
    await router.reload([gw('b', { enabled: false }), gw('a')]);
    expect((await router.send({ to: TO, text: 'x', purpose: 'test' })).gatewayId).toBe('a');
    await expect(router.reload([gw('a', { method: 'GET' })])).rejects.toMatchObject({
      code: 'INVALID_GATEWAY_CONFIG',
      issues: [{ path: '[0].contentType', message: expect.any(String) }],
    });
    expect((await router.getGateways()).map((g) => [g.id, g.enabled])).toEqual([
      ['b', false],
      ['a', true],
    ]);
  });

  it('loads from a GatewayConfigSource, and reloads when it says so', async () => {
    let configs: unknown[] = [gw('a')];
    let notify: () => void = () => {};
    const load = vi.fn(async () => configs);
    const router = track(
      createSmsRouter({
        gateways: {
          load,
          subscribe(onChange) {
            notify = onChange;
            return () => {};
          },
        },
      }),
    );
    expect((await router.send({ to: TO, text: 'x', purpose: 'test' })).gatewayId).toBe('a');
    configs = [gw('b')];
    await router.reload();
    expect((await router.send({ to: TO, text: 'x', purpose: 'test' })).gatewayId).toBe('b');
    configs = [gw('a', { enabled: false }), gw('c')];
    notify();
    await vi.waitFor(async () => expect((await router.getGateways()).map((g) => g.id)).toEqual(['a', 'c']));
    expect((await router.send({ to: TO, text: 'x', purpose: 'test' })).gatewayId).toBe('c');
    expect(load).toHaveBeenCalledTimes(3);
  });
});

describe('circuit breaker', () => {
  it('skips a gateway that failed repeatedly (visible in the log) and tries it again after the cooldown', async () => {
    answers.set('/bad', { status: 500, body: 'boom' });
    let now = Date.parse('2026-03-01T10:00:00Z');
    const store = createMemoryStore();
    const router = track(
      createSmsRouter({
        gateways: [gw('bad'), gw('good')],
        log: store.smsLog,
        clock: () => new Date(now),
        circuitBreaker: { failureThreshold: 2, windowMs: 60_000, cooldownMs: 120_000 },
      }),
    );
    for (let i = 0; i < 2; i++) {
      const e = await router.send({ to: TO, text: 'x', purpose: 'test' });
      expect(e.attempts.map((a) => a.outcome)).toEqual(['rejected', 'sent']);
      now += 1000;
    }
    expect(router.circuitState('bad').state).toBe('open');
    const before = hitsOf('/bad');
    const skipped = await router.send({ to: TO, text: 'x', purpose: 'test' });
    expect(hitsOf('/bad')).toBe(before);
    expect(skipped.attempts.map((a) => [a.gatewayId, a.outcome, a.skipped])).toEqual([
      ['bad', 'error', 'circuit-open'],
      ['good', 'sent', undefined],
    ]);
    expect(skipped.attempts[0]?.error).toMatch(/circuit open/);
    expect((await store.smsLog.get(skipped.id))?.attempts[0]?.skipped).toBe('circuit-open');

    now += 120_001;
    answers.delete('/bad');
    const retried = await router.send({ to: TO, text: 'x', purpose: 'test' });
    expect(hitsOf('/bad')).toBe(before + 1);
    expect(retried.gatewayId).toBe('bad');
    expect(router.circuitState('bad').state).toBe('closed');
  });

  it('still tries the gateways when every one of them is open', async () => {
    answers.set('/only', { status: 503, body: '' });
    const router = track(createSmsRouter({ gateways: [gw('only')], circuitBreaker: { failureThreshold: 1 } }));
    await router.send({ to: TO, text: 'x', purpose: 'test' });
    expect(router.circuitState('only').state).toBe('open');
    const before = hitsOf('/only');
    const e = await router.send({ to: TO, text: 'x', purpose: 'test' });
    expect(hitsOf('/only')).toBe(before + 1);
    expect(e.attempts.map((a) => a.outcome)).toEqual(['rejected']);
  });
});

describe('circuit breaker: only gateway-wide failures count', () => {
  const UNROUTABLE = '+14155550199';
  const refusals: [string, { status: number; body: string }][] = [
    ['HTTP 200 without the success marker', { status: 200, body: '{"status":"rejected","reason":"unroutable"}' }],
    ['HTTP 400 with an error body', { status: 400, body: '{"error":"invalid destination"}' }],
    ['HTTP 409 with an error body', { status: 409, body: '{"error":"number blocked"}' }],
    [
      'Twilio error JSON for that message',
      { status: 400, body: '{"code":21612,"message":"not currently reachable","status":400}' },
    ],
  ];

  it.each(refusals)(
    'five OTPs to one unroutable number (%s) do not move other customers to the backup',
    async (_name, refusal) => {
      const primary = await startStub((req, res) => {
        const refused = (JSON.parse(req.text) as { to: string }).to === UNROUTABLE;
        const answer = refused ? refusal : { status: 200, body: '{"status":"accepted"}' };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
      try {
        const router = track(
          createSmsRouter({
            gateways: [
              gw('primary', { url: `${primary.origin}/send`, successResponse: '"status":"accepted"' }),
              gw('backup'),
            ],
          }),
        );
        for (let i = 0; i < 5; i++) {
          const entry = await router.send({ to: UNROUTABLE, text: `Code ${100000 + i}`, purpose: 'otp' });
          // That message fails over...
          expect(entry.attempts.map((a) => [a.gatewayId, a.outcome])).toEqual([
            ['primary', 'rejected'],
            ['backup', 'sent'],
          ]);
        }
        // ...and the primary stays in use for everyone else.
        expect(router.circuitState('primary')).toEqual({ state: 'closed', failures: 0 });
        const other = await router.send({ to: TO, text: 'Code 123456', purpose: 'otp' });
        expect(other.attempts.map((a) => [a.gatewayId, a.outcome])).toEqual([['primary', 'sent']]);
      } finally {
        await primary.close();
      }
    },
  );

  it('credential refusals (401/403) are gateway-wide and open the circuit', async () => {
    answers.set('/locked', { status: 401, body: '{"error":"bad api key"}' });
    const router = track(
      createSmsRouter({ gateways: [gw('locked'), gw('backup')], circuitBreaker: { failureThreshold: 2 } }),
    );
    for (let i = 0; i < 2; i++) await router.send({ to: TO, text: 'x', purpose: 'test' });
    expect(router.circuitState('locked').state).toBe('open');
  });
});

describe('testSend and previewRequest', () => {
  it('testSend uses that one gateway (even disabled), returns the masked request and the response', async () => {
    answers.set('/b', { status: 200, body: `{"id":"m-1","echo":"${SECRET}"}` });
    const store = createMemoryStore();
    const router = track(createSmsRouter({ gateways: [gw('a'), gw('b', { enabled: false })], log: store.smsLog }));
    const before = hitsOf('/a');
    const result = await router.testSend('b', TO);
    expect(hitsOf('/a')).toBe(before);
    expect(result).toMatchObject({ gatewayId: 'b', outcome: 'sent', httpStatus: 200 });
    expect(result.request.method).toBe('POST');
    expect(result.request.url).toBe(`${setup.stub.origin}/b`);
    expect(result.request.headers['X-Auth']).toBe('****');
    expect(JSON.parse(result.request.body!)).toMatchObject({ key: '****', to: TO });
    expect(result.response?.status).toBe(200);
    expect(result.response?.body).toBe('{"id":"m-1","echo":"****"}');
    const all = JSON.stringify(result);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(HEADER_SECRET);
    // What actually went out carried the real credentials.
    const sent = setup.stub.requests.at(-1)!;
    expect(sent.headers['x-auth']).toBe(HEADER_SECRET);
    expect(JSON.parse(sent.text).key).toBe(SECRET);
    expect((await store.smsLog.get(result.entry.id))?.purpose).toBe('test');
    expect(result.attempt).toMatchObject({ gatewayId: 'b', outcome: 'sent' });
    await expect(router.testSend('nope', TO)).rejects.toMatchObject({ code: 'UNKNOWN_GATEWAY' });
  });

  it('previewRequest shows the request with secrets masked and sends nothing', async () => {
    const router = track(
      createSmsRouter({ gateways: [gw('a', { url: `${setup.stub.origin}/a?token=%SECRET:key%` })] }),
    );
    const before = setup.stub.requests.length;
    const preview = await router.previewRequest('a', {
      to: TO,
      text: 'Code 918273',
      logText: 'Code ******',
      sender: 'Cafe',
    });
    expect(setup.stub.requests.length).toBe(before);
    expect(preview.url).toBe(`${setup.stub.origin}/a?token=****`);
    expect(preview.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(preview.body!)).toEqual({ key: '****', to: TO, text: 'Code ******' });
  });
});

describe('secrets and OTP codes never reach the log', () => {
  it('masks secrets, header values and the hidden code in requests, responses and errors', async () => {
    answers.set('/a', { status: 500, body: `bad key ${SECRET} for Code 555777` });
    const store = createMemoryStore();
    const router = track(
      createSmsRouter({
        gateways: [gw('a'), gw('b', { url: `http://127.0.0.1:1/%SECRET:key%` })],
        log: store.smsLog,
      }),
    );
    const entry = await router.send({ to: TO, text: 'Code 555777', logText: 'Code ******', purpose: 'otp' });
    expect(entry.attempts.map((a) => a.outcome)).toEqual(['rejected', 'error']);
    const logged = JSON.stringify(await store.smsLog.get(entry.id));
    for (const s of [SECRET, HEADER_SECRET, '555777']) expect(logged).not.toContain(s);
    expect(entry.text).toBe('Code ******');
  });
});

describe('OTP codes never reach the log', () => {
  it('an OTP sent without logText is logged with its runs of 4 to 10 digits masked', async () => {
    answers.set('/a', { status: 200, body: '{"ok":true,"echo":"Your code is 482913"}' });
    const store = createMemoryStore();
    const router = track(createSmsRouter({ gateways: [gw('a')], log: store.smsLog }));
    const text = 'Your code is 482913 (ref 12345678901, 10 min)';
    const entry = await router.send({ to: TO, text, purpose: 'otp' });
    expect(entry.status).toBe('sent');
    expect(entry.text).toBe('Your code is ****** (ref 12345678901, 10 min)');
    const logged = JSON.stringify(await store.smsLog.get(entry.id));
    expect(logged).not.toContain('482913');
    expect(logged).toContain('ref 12345678901');
    expect(JSON.parse(entry.attempts[0]!.request!.body!).text).toBe(entry.text);
    // The provider got the real code.
    expect(JSON.parse(setup.stub.requests.at(-1)!.text).text).toBe(text);

    const plain = await router.send({ to: TO, text: 'Order 482913 shipped', purpose: 'test' });
    expect(plain.text).toBe('Order 482913 shipped');
    const given = await router.send({ to: TO, text: 'Code 5577', logText: 'Code ####', purpose: 'otp' });
    expect(given.text).toBe('Code ####');
  });
});

describe('balance', () => {
  it('checks a custom balance (first number by default) and says why when it cannot', async () => {
    answers.set('/balance', { status: 200, body: 'Balance: 17.5 credits' });
    answers.set('/broken', { status: 500, body: 'oops' });
    const router = track(
      createSmsRouter({
        gateways: [
          gw('a', { balance: { url: `${setup.stub.origin}/balance?key=%SECRET:key%` } }),
          gw('b'),
          gw('c', { balance: { url: `${setup.stub.origin}/broken` } }),
        ],
      }),
    );
    expect(await router.checkBalance('a')).toMatchObject({
      gatewayId: 'a',
      amount: 17.5,
      raw: 'Balance: 17.5 credits',
    });
    const sent = setup.stub.requests.at(-1)!;
    expect(sent.method).toBe('GET');
    expect(sent.url).toBe(`/balance?key=${SECRET}`);
    expect(sent.headers['x-auth']).toBe(HEADER_SECRET);
    await expect(router.checkBalance('b')).rejects.toMatchObject({ code: 'BALANCE_UNAVAILABLE', gatewayId: 'b' });
    await expect(router.checkBalance('c')).rejects.toMatchObject({ code: 'BALANCE_UNAVAILABLE' });
    await expect(router.checkBalance('zzz')).rejects.toMatchObject({ code: 'UNKNOWN_GATEWAY' });
  });

  it('the monitor emits sms.balance.low through the kit and records a dashboard alert, once per low spell', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    answers.set('/low-balance', { status: 200, body: '{"balance": 3.5}' });
    const store = createMemoryStore();
    const router = track(
      createSmsRouter({
        gateways: [
          gw('a', {
            balance: { url: `${setup.stub.origin}/low-balance`, jsonPath: 'balance', currency: 'EUR' },
            balanceCheck: { enabled: true, everyMinutes: 30, threshold: 10, email: 'ops@example.com', dashboard: true },
          }),
          gw('b', { balance: { url: `${setup.stub.origin}/low-balance` } }),
        ],
        log: store.smsLog,
        alerts: store.alerts,
      }),
    );
    const kit = createHotspotKit({ store, sms: router, secret: 'a-long-random-secret-value-for-tests' });
    const seen: unknown[] = [];
    kit.events.on('sms.balance.low', (payload) => {
      seen.push(payload);
    });
    const direct: SmsSenderEvent[] = [];
    router.subscribe((e) => direct.push(e));

    router.startBalanceMonitor();
    await vi.waitFor(() => expect(direct).toHaveLength(1));
    expect(direct[0]).toMatchObject({
      type: 'sms.balance.low',
      gatewayId: 'a',
      amount: 3.5,
      currency: 'EUR',
      threshold: 10,
      email: 'ops@example.com',
    });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toMatchObject({ gatewayId: 'a', amount: 3.5, threshold: 10 });
    const alerts = await store.alerts.list();
    expect(alerts).toMatchObject([{ gatewayId: 'a', amount: 3.5, threshold: 10, currency: 'EUR' }]);

    // Still low at the next check: no second event or alert.
    const checks = () => setup.stub.requests.filter((r) => r.url === '/low-balance').length;
    const before = checks();
    vi.advanceTimersByTime(30 * 60_000);
    await vi.waitFor(() => expect(checks()).toBe(before + 1));
    await new Promise((r) => setTimeout(r, 50));
    expect(direct).toHaveLength(1);

    // Topped up, then low again: said again.
    answers.set('/low-balance', { status: 200, body: '{"balance": 50}' });
    vi.advanceTimersByTime(30 * 60_000);
    await vi.waitFor(() => expect(checks()).toBe(before + 2));
    answers.set('/low-balance', { status: 200, body: '{"balance": 1}' });
    vi.advanceTimersByTime(30 * 60_000);
    await vi.waitFor(() => expect(direct).toHaveLength(2));
    expect(direct[1]).toMatchObject({ amount: 1 });
    expect(await store.alerts.list()).toHaveLength(2);

    await router.stop();
    const stopped = checks();
    vi.advanceTimersByTime(120 * 60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(checks()).toBe(stopped);
    expect(await store.alerts.dismiss(alerts[0]!.id, new Date())).toBe(true);
    await kit.close();
  });
});

describe('bad input', () => {
  it('refuses a message without a recipient and a router without gateways, with typed errors', async () => {
    const router = track(createSmsRouter({ gateways: [gw('a')] }));
    await expect(router.send({ text: 'x', purpose: 'test' } as never)).rejects.toMatchObject({
      code: 'INVALID_MESSAGE',
      issues: [{ path: 'to', message: expect.any(String) }],
    });
    try {
      createSmsRouter({ gateways: [{ ...gw('a'), type: 'smpp' }] });
      throw new Error('expected an error');
    } catch (error) {
      expect(isSmsError(error)).toBe(true);
      expect((error as { issues: unknown }).issues).toEqual([
        { path: '[0].type', message: expect.stringContaining('smpp') },
      ]);
    }
  });
});
