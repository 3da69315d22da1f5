// The router as a host shuts it down: nothing starts after close(), stop() and close() wait for
// the balance checks in flight, and a failing SMS log never turns a send into a rejection.
import { createMemoryStore, type Logger, type SmsLogRepository, type SmsSenderEvent } from '@hotspot-kit/core';
import { createSmsRouter, type FetchLike } from '@hotspot-kit/sms';
import { afterEach, describe, expect, it } from 'vitest';
import { setupRouterTests } from './helpers/router-setup.js';
import { json } from './helpers/stub-server.js';

const TO = '+14155550100';
/** Holds balance answers back until released (a check in flight). */
let gate: Promise<void> = Promise.resolve();
let releaseGate = () => {};
const setup = setupRouterTests(async (req, res) => {
  if (req.url.startsWith('/balance')) {
    await gate;
    return json(res, 200, { balance: 1 });
  }
  json(res, 200, { ok: true });
});
const { track } = setup;
// Runs before the shared hook closes the routers (after-hooks run in reverse order).
afterEach(() => releaseGate());

const monitored = () => ({
  id: 'a',
  type: 'custom',
  enabled: true,
  url: `${setup.stub.origin}/send`,
  method: 'POST',
  contentType: 'json',
  payload: '{"to":"%TO%","text":"%MESSAGE%"}',
  useLuaScript: false,
  verifySsl: true,
  balance: { url: `${setup.stub.origin}/balance`, jsonPath: 'balance' },
  balanceCheck: { enabled: true, everyMinutes: 60, threshold: 5, dashboard: true },
});
const balanceRequests = () => setup.stub.requests.filter((r) => r.url.startsWith('/balance')).length;
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A fetch that records every URL it is asked for. */
const recordingFetch = (urls: string[]): FetchLike => {
  return (input, init) => {
    urls.push(input);
    return fetch(input, init as RequestInit);
  };
};

function holdBalanceAnswers(): () => void {
  gate = new Promise<void>((resolve) => {
    releaseGate = resolve;
  });
  return releaseGate;
}

describe('router lifecycle', () => {
  for (const how of ['close', 'stop'] as const) {
    it(`${how}() before the gateway source has loaded means the balance monitor never starts (no balance request)`, async () => {
      let finishLoad: (configs: unknown[]) => void = () => {};
      const urls: string[] = [];
      const router = track(
        createSmsRouter({
          gateways: {
            load: () =>
              new Promise<unknown[]>((resolve) => {
                finishLoad = resolve;
              }),
          },
          fetch: recordingFetch(urls),
        }),
      );
      router.startBalanceMonitor();
      await router[how]();
      finishLoad([monitored()]);
      await router.getGateways();
      await tick();
      expect(urls.filter((u) => u.includes('/balance'))).toEqual([]);
    });
  }

  for (const how of ['stop', 'close'] as const) {
    it(`${how}() waits for the balance checks in flight`, async () => {
      const release = holdBalanceAnswers();
      const store = createMemoryStore();
      const router = track(createSmsRouter({ gateways: [monitored()], log: store.smsLog, alerts: store.alerts }));
      const events: SmsSenderEvent[] = [];
      router.subscribe((e) => events.push(e));
      const before = balanceRequests();
      router.startBalanceMonitor();
      await expect.poll(balanceRequests).toBe(before + 1);

      let done = false;
      const stopping = Promise.resolve(router[how]()).then(() => {
        done = true;
      });
      await tick();
      expect(done).toBe(false);
      release();
      await stopping;
      // The check finished before stop/close resolved: its event and alert are there.
      expect(events).toMatchObject([{ type: 'sms.balance.low', gatewayId: 'a', amount: 1 }]);
      expect(await store.alerts.list()).toHaveLength(1);
    });
  }
});

describe('a failing SMS log never makes send reject', () => {
  it('every send resolves when the log cannot be written; the failure goes to the logger', async () => {
    const store = createMemoryStore();
    const broken: SmsLogRepository = {
      ...store.smsLog,
      insert: async () => {
        throw new Error('disk full');
      },
      update: async () => {
        throw new Error('disk full');
      },
    };
    const errors: string[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn() {},
      error(message) {
        errors.push(message);
      },
    };
    const router = track(createSmsRouter({ gateways: [monitored()], log: broken, logger }));
    const before = setup.stub.requests.length;
    const entry = await router.send({ to: TO, text: 'Your code is 123456', purpose: 'otp' });
    expect(entry).toMatchObject({ status: 'sent', gatewayId: 'a' });
    // The message still went out: a host relying on the OTP must get it.
    expect(setup.stub.requests.length).toBe(before + 1);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.join('\n')).not.toContain('123456');
    const test = await router.testSend('a', TO);
    expect(test.outcome).toBe('sent');
  });
});
