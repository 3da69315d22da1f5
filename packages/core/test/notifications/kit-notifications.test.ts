// The notification policies through the real kit: vouchers, usage, the memory store and the
// kit's event bus; only the SMS sender is a capturing stand-in (the real router is exercised
// in packages/sms/test/kit-notifications.test.ts).
import {
  createHotspotKit,
  createMemoryStore,
  type HotspotEvents,
  type HotspotKit,
  type NotificationOptions,
  verifyPortalPrefillToken,
} from '@hotspot-kit/core';
import { describe, expect, it } from 'vitest';
import { createCapturingSmsSender } from '../support/capturing-sms-sender.js';
import { createTestKit, TEST_SECRET } from '../support/test-kit.js';

const PORTAL = 'https://wifi.example.com/portal';
const PHONE = '+37120000001';

function setup(notifications: NotificationOptions) {
  const sms = createCapturingSmsSender();
  const t = createTestKit({ sms, notifications });
  // The test kit subscribes to domain events up front; these are read later, so subscribe now.
  void t.events['notification.sent'];
  void t.events['notification.failed'];
  return { ...t, sms };
}

async function customerWithVouchers(
  kit: HotspotKit,
  count: number,
  plan: Parameters<HotspotKit['plans']['create']>[0],
) {
  const location = await kit.locations.save({
    name: 'Main Street Cafe',
    senderId: 'CafeWiFi',
    timezone: 'Europe/Riga',
  });
  const customer = await kit.customers.create({ phone: PHONE, name: 'Ann', locationId: location.id });
  const { id: planId } = await kit.plans.create(plan);
  const vouchers = await Promise.all(
    Array.from({ length: count }, () =>
      kit.vouchers.create({ planId, customerId: customer.id, locationId: location.id }),
    ),
  );
  return { location, customer, vouchers };
}

const dayPass = {
  name: 'Day pass',
  simultaneousDevices: 2,
  expiry: { kind: 'after-activation' as const, seconds: 86_400 },
};

/** Re-delivers an event the kit already emitted, as a host replaying its event log would. */
function replay<K extends keyof HotspotEvents>(kit: HotspotKit, name: K, payload: HotspotEvents[K]): void {
  (kit.events as unknown as { emit(n: K, p: HotspotEvents[K]): void }).emit(name, payload);
}

describe('statusPageLink through the kit', () => {
  it('`once`: 20 concurrent activations of one customer’s vouchers send exactly one SMS', async () => {
    const { kit, sms, events } = setup({
      statusPageLink: {
        enabled: true,
        frequency: 'once',
        portalUrl: PORTAL,
        template: 'Hi {{ .customer.name }}, your {{ .plan.name }} at {{ .location.name }}: {{ .link }}',
      },
    });
    const { customer, vouchers, location } = await customerWithVouchers(kit, 20, dayPass);
    await Promise.all(vouchers.map((v) => kit.vouchers.activate(v.id, { mac: 'aa:bb:cc:dd:ee:01' })));
    await kit.settled();

    expect(events['voucher.activated']).toHaveLength(20);
    expect(sms.calls).toHaveLength(1);
    const [message] = sms.calls;
    expect(message).toMatchObject({
      purpose: 'status-page-link',
      to: PHONE,
      sender: 'CafeWiFi',
      locationId: location.id,
    });
    expect(message?.text).toMatch(
      /^Hi Ann, your Day pass at Main Street Cafe: https:\/\/wifi\.example\.com\/portal\?t=\S+$/,
    );

    // The link pre-fills the phone, verified with the kit's own tokens.
    const token = new URL(message?.text.split(': ')[1] as string).searchParams.get('t') as string;
    expect(await kit.tokens.verify(token)).toEqual({ p: PHONE, purpose: 'portal-prefill' });
    expect(await verifyPortalPrefillToken(kit.tokens, token)).toEqual({ phone: PHONE });

    const records = await kit.notifications.list({ customerId: customer.id });
    expect(records).toEqual([
      expect.objectContaining({ key: `status-page-link:customer:${customer.id}`, status: 'sent' }),
    ]);
    expect(events['notification.sent']).toHaveLength(1);
  });

  it('`every-activation`: one SMS per voucher; a replayed activation sends nothing', async () => {
    const { kit, sms, events } = setup({
      statusPageLink: { enabled: true, frequency: 'every-activation', portalUrl: PORTAL },
    });
    const { vouchers } = await customerWithVouchers(kit, 20, dayPass);
    // Each voucher activated twice at once: the voucher service emits one event per voucher.
    await Promise.all([...vouchers, ...vouchers].map((v) => kit.vouchers.activate(v.id)));
    await kit.settled();
    expect(sms.calls).toHaveLength(20);
    expect(new Set(sms.calls.map((m) => m.meta?.voucherId)).size).toBe(20);

    for (const payload of [...events['voucher.activated']]) replay(kit, 'voucher.activated', payload);
    await kit.settled();
    expect(sms.calls).toHaveLength(20);
  });

  it('several app instances on one store send one SMS for one activation', async () => {
    const store = createMemoryStore();
    const notifications = {
      statusPageLink: { enabled: true, frequency: 'every-activation' as const, portalUrl: PORTAL },
    };
    const [a, b] = [createCapturingSmsSender(), createCapturingSmsSender()];
    const kitA = createHotspotKit({ store, sms: a, secret: TEST_SECRET, notifications });
    const kitB = createHotspotKit({ store, sms: b, secret: TEST_SECRET, notifications });
    const { vouchers } = await customerWithVouchers(kitA, 1, dayPass);
    const voucherId = vouchers[0]?.id as string;
    await Promise.all([kitA.vouchers.activate(voucherId), kitB.vouchers.activate(voucherId)]);
    await Promise.all([kitA.settled(), kitB.settled()]);
    expect(a.calls.length + b.calls.length).toBe(1);
  });
});

describe('usageThreshold through the kit', () => {
  it('fires once when interim updates cross 90 %, and not again on later updates', async () => {
    const { kit, sms } = setup({
      usageThreshold: {
        enabled: true,
        trafficPercent: 90,
        timePercent: 0,
        template: '{{ .usage.percent }}% of your {{ .plan.name }} data is used, {{ .usage.remaining }} left.',
      },
    });
    const { vouchers } = await customerWithVouchers(kit, 1, { ...dayPass, trafficLimit: { totalBytes: 1_000_000 } });
    const voucherId = vouchers[0]?.id as string;
    await kit.vouchers.activate(voucherId);
    const base = { sessionId: 's-1', voucherId, inputOctets: 0, eventTime: kit.now() };
    await kit.usage.record({ ...base, type: 'start', outputOctets: 0, sessionTime: 0 });
    for (const [i, bytes] of [500_000, 850_000, 899_999].entries()) {
      await kit.usage.record({ ...base, type: 'interim', outputOctets: bytes, sessionTime: 60 * (i + 1) });
    }
    await kit.settled();
    expect(sms.calls).toHaveLength(0);

    await kit.usage.record({ ...base, type: 'interim', outputOctets: 920_000, sessionTime: 300 });
    await kit.settled();
    expect(sms.calls.map((m) => [m.purpose, m.text])).toEqual([
      ['usage-threshold', '90% of your Day pass data is used, 80 KB left.'],
    ]);

    // Later updates, a replay of the crossing one, and a new session: nothing more.
    await kit.usage.record({ ...base, type: 'interim', outputOctets: 920_000, sessionTime: 300 });
    await kit.usage.record({ ...base, type: 'interim', outputOctets: 950_000, sessionTime: 360 });
    await kit.usage.record({ ...base, type: 'stop', outputOctets: 960_000, sessionTime: 400 });
    await kit.usage.record({ ...base, sessionId: 's-2', type: 'interim', outputOctets: 30_000, sessionTime: 20 });
    await kit.settled();
    expect(sms.calls).toHaveLength(1);
  });

  it('watches online time with its own threshold', async () => {
    const { kit, sms } = setup({
      usageThreshold: { enabled: true, timePercent: 75, template: '{{ .usage.used }} of {{ .usage.limit }} online' },
    });
    const { vouchers } = await customerWithVouchers(kit, 1, { ...dayPass, onlineTimeSeconds: 3600 });
    const voucherId = vouchers[0]?.id as string;
    await kit.vouchers.activate(voucherId);
    const base = { sessionId: 's-1', voucherId, inputOctets: 0, outputOctets: 0, eventTime: kit.now() };
    for (const sessionTime of [0, 600, 2699, 2700, 3000, 3500]) {
      await kit.usage.record({ ...base, type: sessionTime === 0 ? 'start' : 'interim', sessionTime });
    }
    await kit.settled();
    expect(sms.calls.map((m) => m.text)).toEqual(['45m of 1h online']);
  });
});

describe('retries and validation through the kit', () => {
  it('a failed send is kept, retried by kit.notifications.retryFailed(), then sent once', async () => {
    const { kit, sms, clock, events } = setup({ statusPageLink: { enabled: true, portalUrl: PORTAL } });
    const { customer, vouchers } = await customerWithVouchers(kit, 1, dayPass);
    sms.failNext(2);
    await kit.vouchers.activate(vouchers[0]?.id as string);
    await kit.settled();
    expect(sms.calls).toHaveLength(1);
    expect((await kit.notifications.list({ customerId: customer.id }))[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
    });

    clock.advance(60);
    expect(await kit.notifications.retryFailed()).toEqual({ retried: 1, sent: 0, failed: 1, abandoned: 0 });
    clock.advance(60);
    expect(await kit.notifications.retryFailed()).toEqual({ retried: 0, sent: 0, failed: 0, abandoned: 0 });
    clock.advance(60);
    expect(await kit.notifications.retryFailed()).toEqual({ retried: 1, sent: 1, failed: 0, abandoned: 0 });
    clock.advance(86_400);
    expect(await kit.notifications.retryFailed()).toEqual({ retried: 0, sent: 0, failed: 0, abandoned: 0 });
    await kit.settled();

    expect(sms.calls).toHaveLength(3);
    expect(sms.sent).toHaveLength(1);
    expect(new Set(sms.calls.map((m) => m.text)).size).toBe(1);
    expect((await kit.notifications.list({ customerId: customer.id }))[0]).toMatchObject({
      status: 'sent',
      attempts: 3,
    });
    expect(events['notification.failed'].map((e) => e.willRetry)).toEqual([true, true]);
    expect(events['notification.sent']).toHaveLength(1);
  });

  it('names template errors when the kit is created and when policies are reloaded', () => {
    const sms = createCapturingSmsSender();
    const make = (notifications: NotificationOptions) =>
      createHotspotKit({ store: createMemoryStore(), sms, secret: TEST_SECRET, notifications });
    expect(() =>
      make({ statusPageLink: { portalUrl: PORTAL, template: 'Hi {{ .customer.firstName }}: {{ .link }}' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_TEMPLATE',
        message: expect.stringMatching(
          /notifications\.statusPageLink\.template.*unknown variable \.customer\.firstName/,
        ),
      }),
    );
    expect(() => make({ usageThreshold: { template: '{{ .usage.percent }% used' } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_TEMPLATE',
        message: expect.stringContaining('unclosed tag {{ .usage.percent }% used'),
      }),
    );
    expect(() => make({ statusPageLink: { enabled: true } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        message: expect.stringContaining('notifications.statusPageLink.portalUrl'),
      }),
    );

    const kit = make({});
    expect(() => kit.notifications.reload({ statusPageLink: { template: '{{ .link }} {{ .voucher.pin }}' } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_TEMPLATE',
        issues: [
          expect.objectContaining({
            path: 'statusPageLink.template',
            message: expect.stringContaining('.voucher.pin'),
          }),
        ],
      }),
    );
    kit.notifications.reload({ statusPageLink: { enabled: true, portalUrl: PORTAL } });
    expect(kit.options.notifications.statusPageLink.enabled).toBe(true);
  });

  it('previews a policy with segment counts, without sending', () => {
    const { kit, sms } = setup({ statusPageLink: { portalUrl: PORTAL } });
    const preview = kit.notifications.preview(
      { template: 'Sveiki, {{ .customer.name }}! Jūsu WiFi: {{ .link }}', kind: 'status-page-link' },
      { customer: { name: 'Anna' } },
    );
    expect(preview.encoding).toBe('UCS-2');
    expect(preview.text.startsWith(`Sveiki, Anna! Jūsu WiFi: ${PORTAL}?t=`)).toBe(true);
    expect(preview.segments).toBe(3); // one "ū" makes it UCS-2: 67 characters per part
    expect(preview.characters).toBe([...preview.text].length);
    expect(sms.calls).toHaveLength(0);
  });
});
