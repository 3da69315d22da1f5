import type { NotificationRecord, Voucher } from '@hotspot-kit/core';
import { describe, expect, it } from 'vitest';
import { verifyPortalPrefillToken } from '../../src/notifications/portal-link.js';
import { activeVoucher, addCustomer, createHarness, T0 } from './harness.js';

const PORTAL = 'https://wifi.example.com/portal';
const statusPageLink = (o: Record<string, unknown> = {}) => ({
  statusPageLink: { enabled: true, portalUrl: PORTAL, ...o },
});
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('statusPageLink policy', () => {
  it('`once`: 20 concurrent activations of one customer’s vouchers send exactly one SMS', async () => {
    const h = createHarness(statusPageLink({ frequency: 'once', template: 'Hi {{ .customer.name }}: {{ .link }}' }));
    h.locations.set('loc-1', { id: 'loc-1', name: 'Cafe', timezone: 'UTC', senderId: 'CafeWiFi', createdAt: T0 });
    const customer = addCustomer(h, { locationId: 'loc-1' });
    const vouchers = Array.from({ length: 20 }, () => activeVoucher({ customerId: customer.id, locationId: 'loc-1' }));
    for (const voucher of vouchers) h.emit('voucher.activated', { voucher, customer, at: T0 });
    await h.settled();

    expect(h.sms.calls).toHaveLength(1);
    const [message] = h.sms.calls;
    expect(message).toMatchObject({
      purpose: 'status-page-link',
      to: customer.phone,
      locationId: 'loc-1',
      sender: 'CafeWiFi',
      meta: { notificationKey: `status-page-link:customer:${customer.id}`, customerId: customer.id },
    });
    expect(message?.text).toMatch(/^Hi Alex: https:\/\/wifi\.example\.com\/portal\?t=[\w.-]+$/);
    const token = new URL(message?.text.split(': ')[1] as string).searchParams.get('t');
    expect(await verifyPortalPrefillToken(h.tokens, token)).toEqual({ phone: customer.phone });
    expect(h.events.filter((e) => e.name === 'notification.sent')).toHaveLength(1);
    const [record] = await h.service.list({ customerId: customer.id });
    expect(record).toMatchObject({ status: 'sent', smsId: 'sms-1', attempts: 1, kind: 'status-page-link' });

    // A later activation of another voucher: still nothing (once per customer, ever).
    h.emit('voucher.activated', { voucher: activeVoucher({ customerId: customer.id }), customer, at: later(3600) });
    await h.settled();
    expect(h.sms.calls).toHaveLength(1);
  });

  it('`every-activation`: one SMS per voucher, and replays of an activation send nothing', async () => {
    const h = createHarness(statusPageLink({ frequency: 'every-activation' }));
    const customer = addCustomer(h);
    const vouchers = Array.from({ length: 5 }, () => activeVoucher({ customerId: customer.id }));
    // Each activation delivered four times at once (at-least-once event delivery, retries).
    for (let i = 0; i < 4; i++)
      for (const voucher of vouchers) h.emit('voucher.activated', { voucher, customer, at: T0 });
    await h.settled();
    expect(h.sms.calls).toHaveLength(5);
    expect(new Set(h.sms.calls.map((m) => m.meta?.voucherId))).toEqual(new Set(vouchers.map((v) => v.id)));

    // A replay long afterwards (same voucher, same activation): nothing.
    h.clock.now = later(86_400);
    h.emit('voucher.activated', { voucher: vouchers[0] as Voucher, customer, at: later(86_400) });
    await h.settled();
    expect(h.sms.calls).toHaveLength(5);
  });

  it('sends nothing when disabled, or when the voucher has no customer', async () => {
    const off = createHarness({ statusPageLink: { enabled: false, portalUrl: PORTAL } });
    const customer = addCustomer(off);
    off.emit('voucher.activated', { voucher: activeVoucher({ customerId: customer.id }), customer, at: T0 });
    const on = createHarness(statusPageLink());
    on.emit('voucher.activated', { voucher: activeVoucher(), customer: null, at: T0 });
    await Promise.all([off.settled(), on.settled()]);
    expect(off.sms.calls).toHaveLength(0);
    expect(on.sms.calls).toHaveLength(0);
  });

  it('looks the customer up when the event carries only the voucher’s customerId', async () => {
    const h = createHarness(statusPageLink({ template: '{{ .voucher.code }} for {{ .customer.phone }}' }));
    const customer = addCustomer(h);
    const voucher = activeVoucher({ customerId: customer.id, code: 'K7M4QX9PHD' });
    h.emit('voucher.activated', { voucher, customer: null, at: T0 });
    await h.settled();
    expect(h.sms.calls.map((m) => m.text)).toEqual([`K7M4QX9PHD for ${customer.phone}`]);
  });
});

describe('usageThreshold policy', () => {
  const usage = (v: Voucher, downloadBytes: number, onlineSeconds = 0): Voucher => ({
    ...v,
    usage: { downloadBytes, uploadBytes: 0, onlineSeconds },
  });

  it('fires once when interim updates cross 90 %, and not again on later updates', async () => {
    const h = createHarness({
      usageThreshold: {
        enabled: true,
        trafficPercent: 90,
        template:
          '{{ .usage.percent }}% of your {{ .plan.name }} {{ .usage.kind }} used ({{ .usage.used }} of {{ .usage.limit }}, {{ .usage.remaining }} left)',
      },
    });
    const customer = addCustomer(h);
    const base = activeVoucher({
      customerId: customer.id,
      planName: 'Day pass',
      limits: {
        simultaneousDevices: 1,
        trafficLimit: { totalBytes: 2e9 },
        expiry: { kind: 'after-activation', seconds: 86_400 },
      },
    });
    for (const bytes of [0.5e9, 1.7e9, 1.79e9, 1.82e9, 1.9e9, 2e9, 2.1e9]) {
      h.emit('usage.updated', {
        voucher: usage(base, bytes),
        delta: { downloadBytes: 1, uploadBytes: 0, onlineSeconds: 0 },
        at: T0,
      });
      await h.settled();
    }
    expect(h.sms.calls.map((m) => [m.purpose, m.text])).toEqual([
      ['usage-threshold', '90% of your Day pass data used (1.8 GB of 2 GB, 180 MB left)'],
    ]);
    expect(h.sms.calls[0]?.meta?.notificationKey).toBe(`usage-threshold:${base.id}:traffic:90`);
  });

  it('fires once under concurrent updates, and traffic and time thresholds each once', async () => {
    const h = createHarness({ usageThreshold: { enabled: true, trafficPercent: 80, timePercent: 50 } });
    const customer = addCustomer(h);
    const base = activeVoucher({
      customerId: customer.id,
      limits: {
        simultaneousDevices: 1,
        trafficLimit: { downloadBytes: 1000, uploadBytes: 100 },
        onlineTimeSeconds: 3600,
        expiry: { kind: 'after-activation', seconds: 86_400 },
      },
    });
    for (let i = 0; i < 10; i++) {
      // upload 85/100 crosses 80 % of the separate upload cap; 1800 s is half of the hour.
      const voucher = { ...base, usage: { downloadBytes: 10, uploadBytes: 85, onlineSeconds: 1800 + i } };
      h.emit('usage.updated', { voucher, delta: { downloadBytes: 0, uploadBytes: 1, onlineSeconds: 1 }, at: T0 });
    }
    await h.settled();
    expect(h.sms.calls.map((m) => m.meta?.notificationKey).sort()).toEqual([
      `usage-threshold:${base.id}:time:50`,
      `usage-threshold:${base.id}:traffic:80`,
    ]);
  });

  it('ignores thresholds set to 0, limits the voucher does not have, and vouchers without a customer', async () => {
    const h = createHarness({ usageThreshold: { enabled: true, trafficPercent: 0, timePercent: 10 } });
    const customer = addCustomer(h);
    const unlimited = activeVoucher({ customerId: customer.id });
    h.emit('usage.updated', {
      voucher: usage(unlimited, 1e12, 1e6),
      delta: { downloadBytes: 1, uploadBytes: 0, onlineSeconds: 1 },
      at: T0,
    });
    const anonymous = activeVoucher({
      limits: { simultaneousDevices: 1, onlineTimeSeconds: 60, expiry: { kind: 'after-activation', seconds: 60 } },
    });
    h.emit('usage.updated', {
      voucher: usage(anonymous, 0, 59),
      delta: { downloadBytes: 0, uploadBytes: 0, onlineSeconds: 1 },
      at: T0,
    });
    await h.settled();
    expect(h.sms.calls).toHaveLength(0);
  });
});

describe('failed sends and retryFailed', () => {
  async function failedOnce(retry: Record<string, number> = {}) {
    const h = createHarness({ ...statusPageLink(), retry });
    const customer = addCustomer(h);
    h.sms.failNext(1);
    h.emit('voucher.activated', { voucher: activeVoucher({ customerId: customer.id }), customer, at: T0 });
    await h.settled();
    const key = `status-page-link:customer:${customer.id}`;
    return { h, customer, key };
  }

  it('keeps a failed send, retries it with backoff, then sends it once', async () => {
    const { h, key } = await failedOnce();
    const failed = (await h.store.notifications.get(key)) as NotificationRecord;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: later(60) });
    expect(failed.lastError).toContain('test gateway refused');
    expect(h.events).toEqual([
      {
        name: 'notification.failed',
        payload: expect.objectContaining({ key, willRetry: true, kind: 'status-page-link' }),
      },
    ]);

    expect(await h.service.retryFailed()).toEqual({ retried: 0, sent: 0, failed: 0, abandoned: 0 });
    h.clock.now = later(60);
    expect(await h.service.retryFailed()).toEqual({ retried: 1, sent: 1, failed: 0, abandoned: 0 });
    expect(h.sms.calls).toHaveLength(2);
    expect(h.sms.sent).toHaveLength(1);
    expect(h.sms.calls[1]?.text).toBe(h.sms.calls[0]?.text);
    expect(await h.store.notifications.get(key)).toMatchObject({ status: 'sent', attempts: 2, smsId: 'sms-2' });
    expect((await h.store.notifications.get(key))?.nextAttemptAt).toBeUndefined();

    // Sent is final: later runs never send it again.
    h.clock.now = later(86_400);
    expect(await h.service.retryFailed()).toEqual({ retried: 0, sent: 0, failed: 0, abandoned: 0 });
    expect(h.sms.calls).toHaveLength(2);
    await h.settled();
    expect(h.events.map((e) => e.name)).toEqual(['notification.failed', 'notification.sent']);
  });

  it('doubles the wait and abandons the notification after the retry limit', async () => {
    const { h, key } = await failedOnce({ maxAttempts: 3, initialDelaySeconds: 30 });
    h.sms.failAll(true);
    h.clock.now = later(30);
    expect(await h.service.retryFailed()).toEqual({ retried: 1, sent: 0, failed: 1, abandoned: 0 });
    expect(await h.store.notifications.get(key)).toMatchObject({
      status: 'failed',
      attempts: 2,
      nextAttemptAt: later(90),
    });
    h.clock.now = later(89);
    expect((await h.service.retryFailed()).retried).toBe(0);
    h.clock.now = later(90);
    expect(await h.service.retryFailed()).toEqual({ retried: 1, sent: 0, failed: 0, abandoned: 1 });
    expect(await h.store.notifications.get(key)).toMatchObject({ status: 'abandoned', attempts: 3 });
    h.sms.failAll(false);
    h.clock.now = later(86_400);
    expect((await h.service.retryFailed()).retried).toBe(0);
    expect(h.sms.calls).toHaveLength(3);
    await h.settled();
    expect(h.events.map((e) => (e.payload as { willRetry: boolean }).willRetry)).toEqual([true, true, false]);
  });

  it('two instances retrying at once send a failed notification once', async () => {
    const { h, key } = await failedOnce();
    const other = createHarness(statusPageLink(), { shared: h, delayMs: 5 });
    h.clock.now = later(60);
    const [a, b] = await Promise.all([h.service.retryFailed(), other.service.retryFailed()]);
    expect(a.retried + b.retried).toBe(1);
    expect(h.sms.sent.length + other.sms.sent.length).toBe(1);
    expect((await h.store.notifications.get(key))?.status).toBe('sent');
  });

  it('treats a sender that throws as a failed send', async () => {
    const h = createHarness(statusPageLink(), {
      sms: {
        send: async () => {
          throw new Error('socket hang up');
        },
      },
    });
    const customer = addCustomer(h);
    h.emit('voucher.activated', { voucher: activeVoucher({ customerId: customer.id }), customer, at: T0 });
    await h.settled();
    const [record] = await h.service.list({ customerId: customer.id });
    expect(record).toMatchObject({ status: 'failed', lastError: 'SMS sender threw: socket hang up' });
  });
});

describe('a claim left behind by a crash', () => {
  function crashedClaim(h: ReturnType<typeof createHarness>, key: string, to: string): NotificationRecord {
    return {
      key,
      kind: 'status-page-link',
      status: 'claimed',
      to,
      text: 'Your WiFi status page: https://wifi.example.com/portal?t=abc',
      customerId: 'cus-1',
      attempts: 1,
      nextAttemptAt: new Date(h.clock.now.getTime() + 600_000),
      createdAt: h.clock.now,
      updatedAt: h.clock.now,
      version: 0,
    };
  }

  it('is sent by retryFailed once its lease has run out, when nothing was logged', async () => {
    const h = createHarness(statusPageLink());
    await h.store.notifications.claim(crashedClaim(h, 'status-page-link:customer:cus-1', '+14155550001'));
    h.clock.now = later(599);
    expect((await h.service.retryFailed()).retried).toBe(0);
    h.clock.now = later(600);
    expect(await h.service.retryFailed()).toEqual({ retried: 1, sent: 1, failed: 0, abandoned: 0 });
    expect(h.sms.calls).toHaveLength(1);
    expect(await h.store.notifications.get('status-page-link:customer:cus-1')).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
  });

  it('is marked sent without sending when the SMS log shows it went out', async () => {
    const h = createHarness(statusPageLink());
    const record = crashedClaim(h, 'status-page-link:customer:cus-1', '+14155550001');
    await h.store.notifications.claim(record);
    // The crash came after the send but before the record was updated.
    await h.sms.send({ to: record.to, text: record.text, purpose: record.kind, meta: { notificationKey: record.key } });
    h.clock.now = later(600);
    expect(await h.service.retryFailed()).toEqual({ retried: 0, sent: 1, failed: 0, abandoned: 0 });
    expect(h.sms.calls).toHaveLength(1);
    expect(await h.store.notifications.get(record.key)).toMatchObject({ status: 'sent', smsId: 'sms-1' });
  });

  it('is abandoned, not resent, when the SMS log shows a send that never finished', async () => {
    const h = createHarness(statusPageLink());
    const record = crashedClaim(h, 'status-page-link:customer:cus-1', '+14155550001');
    await h.store.notifications.claim(record);
    await h.smsLog.insert({
      id: 'sms-crashed',
      to: record.to,
      text: record.text,
      purpose: record.kind,
      status: 'sending',
      createdAt: h.clock.now,
      updatedAt: h.clock.now,
      attempts: [],
      meta: { notificationKey: record.key },
    });
    h.clock.now = later(600);
    expect(await h.service.retryFailed()).toEqual({ retried: 0, sent: 0, failed: 0, abandoned: 1 });
    expect(h.sms.calls).toHaveLength(0);
    expect((await h.store.notifications.get(record.key))?.lastError).toMatch(/may have been sent/);
  });
});

describe('reload and validation', () => {
  it('replaces the policies at runtime', async () => {
    const h = createHarness({});
    const customer = addCustomer(h);
    h.emit('voucher.activated', { voucher: activeVoucher({ customerId: customer.id }), customer, at: T0 });
    await h.settled();
    expect(h.sms.calls).toHaveLength(0);

    h.service.reload(JSON.stringify(statusPageLink({ frequency: 'every-activation', template: 'New: {{ .link }}' })));
    expect(h.ctx.options.notifications.statusPageLink).toMatchObject({ enabled: true, frequency: 'every-activation' });
    h.emit('voucher.activated', { voucher: activeVoucher({ customerId: customer.id }), customer, at: T0 });
    await h.settled();
    expect(h.sms.calls.map((m) => m.text.slice(0, 5))).toEqual(['New: ']);

    h.service.reload({});
    h.emit('voucher.activated', { voucher: activeVoucher({ customerId: customer.id }), customer, at: T0 });
    await h.settled();
    expect(h.sms.calls).toHaveLength(1);
  });

  it('refuses a bad template naming the field and variable, and keeps the policies in force', async () => {
    const h = createHarness(statusPageLink({ template: 'Old: {{ .link }}' }));
    expect(() => h.service.reload(statusPageLink({ template: 'Hi {{ .customer.nmae }}' }))).toThrow(
      expect.objectContaining({
        code: 'INVALID_TEMPLATE',
        message: expect.stringMatching(/statusPageLink\.template.*\.customer\.nmae/),
        issues: [expect.objectContaining({ path: 'statusPageLink.template' })],
      }),
    );
    expect(() => h.service.reload({ usageThreshold: { template: '{{ .usage.percent }' } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_TEMPLATE',
        message: expect.stringContaining('usageThreshold.template'),
      }),
    );
    const customer = addCustomer(h);
    h.emit('voucher.activated', { voucher: activeVoucher({ customerId: customer.id }), customer, at: T0 });
    await h.settled();
    expect(h.sms.calls[0]?.text).toMatch(/^Old: /);
  });

  it('refuses bad fields (INVALID_CONFIG), bad JSON, and enabling without an SMS sender', () => {
    const h = createHarness({});
    expect(() => h.service.reload({ usageThreshold: { trafficPercent: 150 } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        message: expect.stringContaining('usageThreshold.trafficPercent'),
      }),
    );
    expect(() => h.service.reload('{ not json')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    const noSms = createHarness({}, { sms: null });
    expect(() => noSms.service.reload(statusPageLink())).toThrow(
      expect.objectContaining({
        code: 'SMS_NOT_CONFIGURED',
        message: expect.stringContaining('statusPageLink.enabled'),
      }),
    );
    expect(() => noSms.service.reload({ statusPageLink: { template: '{{ .link }} here' } })).not.toThrow();
  });

  it('refuses a bad template when the kit loads its options', () => {
    expect(() => createHarness({ usageThreshold: { template: '{{ .voucher.cod }} {{ oops }}' } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_TEMPLATE',
        message: expect.stringMatching(/notifications\.usageThreshold\.template.*\.voucher\.cod.*\{\{ oops \}\}/),
      }),
    );
  });
});

describe('preview', () => {
  it('renders sample data without sending and counts segments', async () => {
    const h = createHarness(statusPageLink());
    const p = h.service.preview(
      { template: 'Hi {{ .customer.name }}, {{ .plan.name }} at {{ .location.name }}: {{ .voucher.code }}' },
      { customer: { name: 'Ann' }, plan: { name: 'Week' } },
    );
    expect(p).toEqual({
      text: 'Hi Ann, Week at Main Street Cafe: K7M4QX9PHD',
      encoding: 'GSM-7',
      segments: 1,
      characters: 44,
    });
    expect(h.service.preview({ template: 'Привет, {{ .customer.name }}!' }, { customer: { name: 'Аня' } })).toEqual({
      text: 'Привет, Аня!',
      encoding: 'UCS-2',
      segments: 1,
      characters: 12,
    });
    expect(h.service.preview({ template: '€'.repeat(81) }).segments).toBe(2);
    expect(h.sms.calls).toHaveLength(0);
  });

  it('shows a link as long as the real one, so the segment count is what the operator will pay', async () => {
    const h = createHarness(statusPageLink());
    const customer = addCustomer(h);
    h.emit('voucher.activated', { voucher: activeVoucher({ customerId: customer.id }), customer, at: T0 });
    await h.settled();
    const real = h.sms.calls[0]?.text as string;
    const preview = h.service.preview(
      { template: 'Your WiFi status page: {{ .link }}' },
      { customer: { phone: customer.phone } },
    );
    expect(preview.text.length).toBe(real.length);
    expect(preview.text.startsWith(`Your WiFi status page: ${PORTAL}?t=`)).toBe(true);
    expect(preview.segments).toBe(1);
  });

  it('takes a whole policy object: kind inferred, its portal URL and thresholds used', () => {
    const h = createHarness({});
    const usagePolicy = {
      enabled: true,
      trafficPercent: 0,
      timePercent: 75,
      template: '{{ .usage.percent }}% {{ .usage.kind }}',
    };
    expect(h.service.preview(usagePolicy).text).toBe('75% online time');
    const linkPolicy = {
      enabled: true,
      frequency: 'once',
      portalUrl: 'https://hotspot.test/p',
      template: '{{ .link }}',
    };
    expect(h.service.preview(linkPolicy).text).toMatch(/^https:\/\/hotspot\.test\/p\?t=[\w-]+\.[0-9a-z]+\.x{22}$/);
    expect(() => h.service.preview({ frequency: 'once', template: '{{ .usage.percent }}' })).toThrow(
      expect.objectContaining({ code: 'INVALID_TEMPLATE' }),
    );
  });

  it('fills usage variables for the usage-threshold policy and refuses unknown ones by name', () => {
    const h = createHarness({ usageThreshold: { trafficPercent: 80 } });
    expect(
      h.service.preview({
        kind: 'usage-threshold',
        template: '{{ .usage.percent }}% {{ .usage.kind }}, {{ .usage.remaining }} left',
      }).text,
    ).toBe('80% data, 400 MB left');
    expect(
      h.service.preview(
        { kind: 'usage-threshold', template: '{{ .usage.percent }}% {{ .usage.kind }} ({{ .usage.limit }})' },
        { usage: { kind: 'time', percent: 50 } },
      ).text,
    ).toBe('50% online time (3h)');
    expect(() => h.service.preview({ kind: 'status-page-link', template: '{{ .usage.percent }}' })).toThrow(
      expect.objectContaining({ code: 'INVALID_TEMPLATE', message: expect.stringContaining('.usage.percent') }),
    );
  });
});
