import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotspotApp } from '../src/app.js';
import { bootApp, hidden, postForm, splashVisitor, waitFor } from './helpers.js';

let booted: Awaited<ReturnType<typeof bootApp>>;
let app: HotspotApp;
let base: string;
const auth = () => ({ authorization: `Bearer ${app.adminToken}` });

beforeAll(async () => {
  booted = await bootApp();
  app = booted.app;
  base = `http://127.0.0.1:${app.port}`;
});
afterAll(async () => {
  await booted?.stop();
});

/** The newest console SMS to `phone` matching `pattern`. */
function consoleSms(phone: string, pattern: RegExp) {
  return waitFor(() => [...app.consoleMessages].reverse().find((m) => m.to === phone && pattern.test(m.text)));
}

describe('demo data', () => {
  it('seeds a demo customer with a voucher in every state, online one first', async () => {
    expect(app.seeded).toBeDefined();
    const customer = await app.kit.customers.findByPhone(booted.config.demo.phone);
    expect(customer?.name).toBe('Demo Customer');
    const vouchers = await app.kit.vouchers.listForCustomer(customer!.id);
    expect(vouchers.map((v) => v.status)).toEqual([
      'online',
      'new',
      expect.stringMatching(/used|expired/),
      expect.stringMatching(/used|expired/),
    ]);
    expect(new Set(vouchers.map((v) => v.status))).toEqual(new Set(['online', 'new', 'used', 'expired']));
    const used = vouchers.find((v) => v.status === 'used');
    expect(used?.endReason).toBe('traffic');
    // History spans the seeded days, so the portal's chart has bars.
    const history = await app.kit.usage.history(customer!.id, {
      from: new Date(Date.now() - 7 * 86_400_000),
      to: new Date(),
    });
    expect(history.filter((d) => d.downloadBytes > 0).length).toBeGreaterThanOrEqual(4);
  });

  it('the simulated NAS moves usage of the online voucher', async () => {
    const id = app.seeded!.vouchers.active.id;
    const before = await app.kit.usage.summary(id);
    await app.nas.tick();
    const after = await app.kit.usage.summary(id);
    expect(after.used.downloadBytes).toBeGreaterThan(before.used.downloadBytes);
    expect(after.status).toBe('online');
  });
});

describe('splash page', () => {
  const phone = '+491701234567';

  it('phone → SMS code (console gateway) → voucher activated → portal-link SMS', async () => {
    const visitor = await splashVisitor(base, '?mac=02:11:22:33:44:55');
    expect(visitor.page).toContain('value="02:11:22:33:44:55"');

    const step1 = await visitor.post('/splash/phone', {
      phone: '+49 170 1234567',
      mac: '02:11:22:33:44:55',
      voucherCode: '',
    });
    const codePage = await step1.text();
    expect(step1.status).toBe(200);
    const challengeId = hidden(codePage, 'challengeId');
    const sms = await consoleSms(phone, /code/i);
    const code = /\b(\d{6})\b/.exec(sms.text)?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(booted.lines.some((l) => l.includes('NOT a real SMS gateway'))).toBe(true);

    const wrong = await visitor.post('/splash/verify', {
      challengeId,
      code: code === '000000' ? '111111' : '000000',
      mac: '02:11:22:33:44:55',
      voucherCode: '',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/not right\. 4 tries left/);

    const ok = await visitor.post('/splash/verify', {
      challengeId,
      code,
      mac: '02:11:22:33:44:55',
      voucherCode: '',
    });
    const connected = await ok.text();
    expect(ok.status).toBe(200);
    expect(connected).toContain('You are online');
    const voucherCode = /data-testid="voucher-code">([^<]+)</.exec(connected)?.[1] as string;
    const voucher = await app.kit.vouchers.getByCode(voucherCode);
    expect(voucher?.status).toBe('online');
    expect(voucher?.planName).toBe('Free WiFi, 1 hour');
    expect(voucher?.devices.map((d) => d.mac)).toEqual(['02:11:22:33:44:55']);

    // The statusPageLink policy texts the portal link; the host wrote no code for it.
    const link = await consoleSms(phone, /\/portal\?t=/);
    const url = /(https?:\/\/\S+)/.exec(link.text)?.[1] as string;
    expect(url.startsWith(`${app.url}/portal?t=`)).toBe(true);
    await app.kit.settled();
    const log = await app.store.smsLog.list({ to: phone });
    const purposes = log.items.map((e) => [e.purpose, e.status, e.gatewayId]);
    expect(purposes).toContainEqual(['status-page-link', 'sent', 'dev-console']);
    expect(purposes).toContainEqual(['otp', 'sent', 'dev-console']);
    // The log never keeps the code.
    const otpEntry = log.items.find((e) => e.purpose === 'otp');
    expect(otpEntry?.text).not.toContain(code);

    // The link opens the portal with the phone filled in.
    const portal = await fetch(url.replace(app.url, base));
    expect(portal.status).toBe(200);
    expect(await portal.text()).toMatch(/value="\+49 ?170 ?1234567"|value="\+491701234567"/);
  });

  it('a visitor with a voucher code activates that voucher', async () => {
    const plan = (await app.kit.plans.list()).find((p) => p.name === 'Free WiFi, 1 hour')!;
    const [card] = await app.kit.vouchers.generateSeries({ planId: plan.id, count: 1 });
    const phone = '+37120000001';
    const visitor = await splashVisitor(base);
    const step1 = await visitor.post('/splash/phone', {
      phone,
      mac: '',
      voucherCode: card!.code.toLowerCase(),
    });
    const challengeId = hidden(await step1.text(), 'challengeId');
    const sms = await consoleSms(phone, /code/i);
    const code = /\b(\d{6})\b/.exec(sms.text)?.[1] as string;
    const ok = await visitor.post('/splash/verify', {
      challengeId,
      code,
      mac: '02:aa:bb:cc:dd:ee',
      voucherCode: card!.code,
    });
    expect(await ok.text()).toContain(card!.code);
    const voucher = await app.kit.vouchers.get(card!.id);
    expect(voucher?.status).toBe('online');
    const customer = await app.kit.customers.findByPhone(phone);
    expect(voucher?.customerId).toBe(customer?.id);
  });

  it('a used voucher is refused with a clear message', async () => {
    const used = app.seeded!.vouchers.used;
    const visitor = await splashVisitor(base);
    const step1 = await visitor.post('/splash/phone', {
      phone: booted.config.demo.phone,
      mac: '',
      voucherCode: used.code,
    });
    const challengeId = hidden(await step1.text(), 'challengeId');
    const sms = await consoleSms(booted.config.demo.phone, /code/i);
    const code = /\b(\d{6})\b/.exec(sms.text)?.[1] as string;
    const res = await visitor.post('/splash/verify', {
      challengeId,
      code,
      mac: '02:aa:bb:cc:dd:01',
      voucherCode: used.code,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This voucher is used up or expired.');
  });

  it('a number that cannot receive SMS is refused without sending anything', async () => {
    const sent = app.consoleMessages.length;
    const visitor = await splashVisitor(base);
    const res = await visitor.post('/splash/phone', { phone: '+1 800 555 0199', mac: '', voucherCode: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/toll-free/i);
    expect(app.consoleMessages.length).toBe(sent);
  });

  it('a form posted without the CSRF cookie and field is refused and sends nothing', async () => {
    const sent = app.consoleMessages.length;
    const forged = await postForm(`${base}/splash/phone`, { phone: '+491701234570', mac: '', voucherCode: '' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('This page expired');
    const visitor = await splashVisitor(base);
    const wrongField = await postForm(
      `${base}/splash/phone`,
      { phone: '+491701234570', _csrf: 'x'.repeat(24), mac: '', voucherCode: '' },
      { cookie: visitor.cookie },
    );
    expect(wrongField.status).toBe(403);
    expect(app.consoleMessages.length).toBe(sent);
    expect(visitor.cookie).toMatch(/^splash_csrf=/);
  });

  it('a phone is escaped when shown back', async () => {
    const visitor = await splashVisitor(base);
    const res = await visitor.post('/splash/phone', {
      phone: '<script>alert(1)</script>',
      mac: '',
      voucherCode: '',
    });
    const body = await res.text();
    expect(body).not.toContain('<script>alert(1)</script>');
    expect(body).toContain('&lt;script&gt;');
  });
});

describe('admin API', () => {
  it('refuses requests without the right bearer token', async () => {
    const none = await fetch(`${base}/admin/gateways`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(`${base}/admin/gateways`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    const log = await fetch(`${base}/admin/sms-log`, { headers: { authorization: app.adminToken } });
    expect(log.status).toBe(401);
  });

  it('lists gateways in order with secrets masked', async () => {
    const res = await fetch(`${base}/admin/gateways`, { headers: auth() });
    expect(res.status).toBe(200);
    const { gateways } = (await res.json()) as { gateways: Record<string, unknown>[] };
    expect(gateways.map((g) => [g.position, g.id, g.enabled])).toEqual([
      [1, 'dev-console', true],
      [2, 'example-http', false],
    ]);
    const example = gateways[1]!;
    expect(example.secrets).toEqual({ apiKey: '********' });
    expect(example.customHeaderValue).toBe('********');
    expect(JSON.stringify(gateways)).not.toContain('replace-me');
  });

  it('reorders, disables and enables gateways through router.reload', async () => {
    const put = (order: unknown) =>
      fetch(`${base}/admin/gateways/order`, {
        method: 'PUT',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ order }),
      });
    const reordered = await put(['example-http', 'dev-console']);
    expect(reordered.status).toBe(200);
    expect((await app.sms.getGateways()).map((g) => g.id)).toEqual(['example-http', 'dev-console']);
    expect((await put(['dev-console'])).status).toBe(400);
    expect((await put(['dev-console', 'dev-console'])).status).toBe(400);
    await put(['dev-console', 'example-http']);

    const disabled = await fetch(`${base}/admin/gateways/dev-console/disable`, { method: 'POST', headers: auth() });
    expect(disabled.status).toBe(200);
    const refused = await app.sms.send({ to: '+491701234568', text: 'nobody sends this', purpose: 'test' });
    expect(refused.status).toBe('failed');

    const enabled = await fetch(`${base}/admin/gateways/dev-console/enable`, { method: 'POST', headers: auth() });
    expect(enabled.status).toBe(200);
    const sent = await app.sms.send({ to: '+491701234568', text: 'back on', purpose: 'test' });
    expect(sent.status).toBe('sent');

    const unknown = await fetch(`${base}/admin/gateways/nope/enable`, { method: 'POST', headers: auth() });
    expect(unknown.status).toBe(404);
  });

  it('a change the router refuses keeps the old list and names the field', async () => {
    // Enabling the example gateway is valid; the shipped config only lacks real credentials.
    const res = await fetch(`${base}/admin/gateways/example-http/enable`, { method: 'POST', headers: auth() });
    expect(res.status).toBe(200);
    await fetch(`${base}/admin/gateways/example-http/disable`, { method: 'POST', headers: auth() });
    expect((await app.sms.getGateways()).find((g) => g.id === 'example-http')?.enabled).toBe(false);
  });

  it('test-sends through one gateway and shows the request', async () => {
    const res = await fetch(`${base}/admin/gateways/dev-console/test`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ to: '+491701234569' }),
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { outcome: string; request: { url: string } };
    expect(result.outcome).toBe('sent');
    expect(result.request.url).toContain('/dev/sms-console');
    await consoleSms('+491701234569', /./);
    const missing = await fetch(`${base}/admin/gateways/dev-console/test`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(missing.status).toBe(400);
  });

  it('reads the SMS log with filters, and one entry', async () => {
    const res = await fetch(`${base}/admin/sms-log?purpose=otp&limit=5`, { headers: auth() });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: { id: string; purpose: string; text: string }[] };
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((e) => e.purpose === 'otp')).toBe(true);
    for (const e of page.items) expect(e.text).not.toMatch(/\d{6}/);
    const one = await fetch(`${base}/admin/sms-log/${page.items[0]!.id}`, { headers: auth() });
    expect(((await one.json()) as { id: string }).id).toBe(page.items[0]!.id);
    expect((await fetch(`${base}/admin/sms-log?status=bogus`, { headers: auth() })).status).toBe(400);
    expect((await fetch(`${base}/admin/sms-log/nope`, { headers: auth() })).status).toBe(404);
  });

  it('lists and dismisses balance alerts', async () => {
    await app.store.alerts.insert({
      id: 'alert-1',
      gatewayId: 'example-http',
      amount: 1.5,
      currency: 'EUR',
      threshold: 5,
      createdAt: new Date(),
    });
    const list = async (all = false) =>
      (
        (await (await fetch(`${base}/admin/balance-alerts${all ? '?all=1' : ''}`, { headers: auth() })).json()) as {
          alerts: { id: string }[];
        }
      ).alerts.map((a) => a.id);
    expect(await list()).toEqual(['alert-1']);
    const dismiss = () => fetch(`${base}/admin/balance-alerts/alert-1/dismiss`, { method: 'POST', headers: auth() });
    expect((await dismiss()).status).toBe(200);
    expect((await dismiss()).status).toBe(404);
    expect(await list()).toEqual([]);
    expect(await list(true)).toEqual(['alert-1']);
  });

  it('a balance the gateway cannot report is a typed error', async () => {
    const res = await fetch(`${base}/admin/gateways/dev-console/balance`, { headers: auth() });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: string }).error).toBe('BALANCE_UNAVAILABLE');
  });
});
