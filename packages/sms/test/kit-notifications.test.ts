// Notification policies end to end: the kit (memory store) sends through the real SMS router
// to a loopback HTTP provider, and the SMS log shows every notification with its purpose.
import { createHotspotKit, createMemoryStore, type HotspotKit, type HotspotStore } from '@hotspot-kit/core';
import { createSmsRouter, type SmsRouter } from '@hotspot-kit/sms';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json, type StubServer, startStub } from './helpers/stub-server.js';

const SECRET = 'a-test-secret-that-is-long-enough';
const PORTAL = 'https://wifi.example.com/portal';

let provider: StubServer;
let failuresLeft = 0;
let now = new Date('2026-03-01T10:00:00.000Z');
const clock = () => now;
const advance = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

beforeAll(async () => {
  provider = await startStub((_req, res) => {
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      json(res, 503, { error: 'provider busy' });
    } else json(res, 200, { ok: true });
  });
});
afterAll(() => provider.close());

let store: HotspotStore;
let router: SmsRouter;
let kit: HotspotKit;

beforeEach(() => {
  failuresLeft = 0;
  now = new Date('2026-03-01T10:00:00.000Z');
  store = createMemoryStore();
  router = createSmsRouter({
    gateways: [
      {
        id: 'http',
        name: 'Loopback provider',
        type: 'custom',
        enabled: true,
        url: `${provider.origin}/send`,
        method: 'POST',
        contentType: 'json',
        payload: '{"to":"%TO%","from":"%LOCATION%","text":"%MESSAGE%","ref":"%ID%"}',
        useLuaScript: false,
        verifySsl: true,
        timeoutMs: 2000,
      },
    ],
    log: store.smsLog,
    clock,
    circuitBreaker: false,
  });
  kit = createHotspotKit({
    store,
    sms: router,
    secret: SECRET,
    clock,
    notifications: {
      statusPageLink: {
        enabled: true,
        frequency: 'every-activation',
        portalUrl: PORTAL,
        template: 'Hi {{ .customer.name }}, your WiFi: {{ .link }}',
      },
      usageThreshold: { enabled: true, trafficPercent: 90, template: '{{ .usage.percent }}% of {{ .plan.name }} used' },
    },
  });
});
afterEach(async () => {
  await kit.close();
  await router.close();
});

async function activeVoucher(phone: string) {
  const location = await kit.locations.save({ name: 'Cafe', senderId: 'CafeWiFi', timezone: 'UTC' });
  const customer = await kit.customers.create({ phone, name: 'Ann', locationId: location.id });
  const plan = await kit.plans.create({
    name: 'Day pass',
    trafficLimit: { totalBytes: 1_000_000 },
    simultaneousDevices: 1,
    expiry: { kind: 'after-activation', seconds: 86_400 },
  });
  const voucher = await kit.vouchers.create({ planId: plan.id, customerId: customer.id, locationId: location.id });
  await kit.vouchers.activate(voucher.id);
  await kit.settled();
  return { customer, voucher, location };
}

describe('notifications through the SMS router', () => {
  it('the SMS log shows each notification with its purpose', async () => {
    const { voucher, location } = await activeVoucher('+37120000001');
    const base = { sessionId: 's-1', voucherId: voucher.id, inputOctets: 0, eventTime: now };
    await kit.usage.record({ ...base, type: 'start', outputOctets: 0, sessionTime: 0 });
    await kit.usage.record({ ...base, type: 'interim', outputOctets: 950_000, sessionTime: 60 });
    await kit.usage.record({ ...base, type: 'interim', outputOctets: 990_000, sessionTime: 120 });
    await kit.settled();

    const { items } = await store.smsLog.list({});
    const byPurpose = Object.fromEntries(items.map((e) => [e.purpose, e]));
    expect(items.map((e) => e.purpose).sort()).toEqual(['status-page-link', 'usage-threshold']);
    expect(byPurpose['status-page-link']).toMatchObject({
      status: 'sent',
      to: '+37120000001',
      locationId: location.id,
      sender: 'CafeWiFi',
      meta: { notificationKey: expect.stringMatching(/^status-page-link:voucher:/), voucherId: voucher.id },
    });
    expect(byPurpose['status-page-link']?.text).toMatch(/^Hi Ann, your WiFi: https:\/\/wifi\.example\.com\/portal\?t=/);
    expect(byPurpose['usage-threshold']).toMatchObject({
      status: 'sent',
      text: '90% of Day pass used',
      meta: { notificationKey: `usage-threshold:${voucher.id}:traffic:90` },
    });

    // The provider got what the log says, sender id included.
    const bodies = provider.requests.slice(-2).map((r) => JSON.parse(r.text));
    expect(bodies.map((b) => b.from)).toEqual(['CafeWiFi', 'CafeWiFi']);
    expect(new Set(bodies.map((b) => b.ref))).toEqual(new Set(items.map((e) => e.id)));

    // Each notification record points at its log entry.
    const records = await kit.notifications.list({ voucherId: voucher.id });
    for (const record of records) {
      expect(record.status).toBe('sent');
      expect(items.find((e) => e.id === record.smsId)?.purpose).toBe(record.kind);
    }
  });

  it('a send the provider refused is logged failed, retried, then sent once', async () => {
    failuresLeft = 1;
    const before = provider.requests.length;
    const { customer } = await activeVoucher('+37120000002');
    const [failed] = await kit.notifications.list({ customerId: customer.id });
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed?.lastError).toContain('503');

    advance(60);
    expect(await kit.notifications.retryFailed()).toEqual({ retried: 1, sent: 1, failed: 0, abandoned: 0 });
    advance(3600);
    expect(await kit.notifications.retryFailed()).toEqual({ retried: 0, sent: 0, failed: 0, abandoned: 0 });

    expect(provider.requests.length - before).toBe(2);
    const { items } = await store.smsLog.list({ purpose: 'status-page-link', to: '+37120000002' });
    expect(items.map((e) => e.status)).toEqual(['sent', 'failed']);
    const [sent] = await kit.notifications.list({ customerId: customer.id });
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, smsId: items[0]?.id });
  });

  it('after a crash between send and bookkeeping, the SMS log stops a second copy', async () => {
    await kit.notifications.reload({});
    const { customer, voucher } = await activeVoucher('+37120000003');
    const key = `status-page-link:customer:${customer.id}`;
    // What a process that died right after the provider accepted the message leaves behind.
    await store.notifications.claim({
      key,
      kind: 'status-page-link',
      status: 'claimed',
      to: customer.phone,
      text: 'Your WiFi status page',
      customerId: customer.id,
      voucherId: voucher.id,
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + 600_000),
      createdAt: now,
      updatedAt: now,
      version: 0,
    });
    await router.send({
      to: customer.phone,
      text: 'Your WiFi status page',
      purpose: 'status-page-link',
      meta: { notificationKey: key },
    });
    const sentBefore = provider.requests.length;

    advance(601);
    expect(await kit.notifications.retryFailed()).toEqual({ retried: 0, sent: 1, failed: 0, abandoned: 0 });
    expect(provider.requests.length).toBe(sentBefore);
    expect(await store.notifications.get(key)).toMatchObject({ status: 'sent' });
  });
});
