import { createHotspotKit, createMemoryStore, type HotspotKit } from '@hotspot-kit/core';
import { createPortal } from '@hotspot-kit/portal-kit';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalClient } from './support/client.js';
import { capturingSms, type Harness, startPortal } from './support/harness.js';
import { recordingStore } from './support/recording-store.js';
import { CUSTOMER_PHONE, type Seeded, seedCustomer, testClock } from './support/seed.js';
import { requestCode as code, signIn } from './support/sign-in.js';

describe('createPortal configuration', () => {
  it('refuses to start with portal OTP off unless the host chose it explicitly', () => {
    const implicit = createHotspotKit({ store: createMemoryStore(), secret: 'a-secret-of-sixteen-chars' });
    expect(() => createPortal(implicit)).toThrow(/portal: \{ otp: false \}/);
    try {
      createPortal(implicit);
    } catch (e) {
      expect((e as { code: string }).code).toBe('INVALID_CONFIG');
    }
    const explicit = createHotspotKit({
      store: createMemoryStore(),
      secret: 'a-secret-of-sixteen-chars',
      portal: { otp: false },
    });
    expect(createPortal(explicit).basePath).toBe('/portal');
  });

  it('names the bad option', () => {
    const kit = createHotspotKit({
      store: createMemoryStore(),
      secret: 'a-secret-of-sixteen-chars',
      sms: capturingSms(),
    });
    expect(() => createPortal(kit, { basePath: 'portal/' })).toThrow(/basePath/);
    expect(() => createPortal(kit, { cookieName: 'a b' })).toThrow(/cookieName/);
    expect(() => createPortal(kit, { secret: 'short' })).toThrow(/secret/);
    expect(() => createPortal(kit, { branding: { primaryColor: 'red;}body{display:none' } })).toThrow(
      /branding\.primaryColor/,
    );
    expect(() => createPortal(kit, { nope: true } as never)).toThrow(/nope/);
  });
});

describe('portal over HTTP (Express, loopback)', () => {
  const clock = testClock();
  let h: Harness;
  let seeded: Seeded;
  const errors: unknown[] = [];

  const recorder = recordingStore(createMemoryStore());

  beforeAll(async () => {
    h = await startPortal({
      store: recorder.store,
      kit: { clock: () => clock.now },
      portal: {
        rateLimits: { login: { limit: 3, windowSeconds: 900 }, verify: { limit: 100, windowSeconds: 900 } },
        onError: (e) => errors.push(e),
        branding: { operatorName: 'Default Net' },
        messages: { en: { 'code.title': 'Type the <code> we sent' } },
      },
      // A host app that parses bodies itself before the portal: the adapter re-encodes them.
      before: [express.urlencoded({ extended: false }), express.json()],
    });
    seeded = await seedCustomer(h.kit, clock);
  });
  afterAll(async () => {
    await h?.close();
  });

  let ipCounter = 0;
  /** Each test gets its own client IP (via X-Forwarded-For, trusted from loopback) so per-IP limits do not collide. */
  const newClient = () => portalClient(h.url, { 'x-forwarded-for': `198.51.100.${++ipCounter}` });

  it('answers known and unknown phones the same way: the same reply after the same store work, each with a real SMS challenge', async () => {
    const known = newClient();
    const unknown = newClient();
    const shape = async (c: ReturnType<typeof portalClient>, phone: string) => {
      const token = await c.csrf('/');
      const sent = h.sms.sent.length;
      let res: Response | undefined;
      // The same repository calls in the same order: the work, and so the time, cannot tell
      // the two numbers apart (no wall clock needed, so load on the machine cannot flake it).
      const calls = await recorder.record(async () => {
        res = await c.request('/login', { method: 'POST', form: { _csrf: token, phone } });
      });
      const page = await (await c.request('/code')).text();
      return {
        calls,
        sms: h.sms.sent.length - sent,
        status: res?.status,
        location: res?.headers.get('location'),
        headers: [...(res?.headers.keys() ?? [])].filter((k) => k !== 'date').sort(),
        page: page.replace(/value="[^"]+"/g, 'value=""').replace(phone, 'PHONE'),
      };
    };
    const a = await shape(known, CUSTOMER_PHONE);
    const b = await shape(unknown, '+14155550142');
    expect(a).toEqual(b);
    expect(a.sms).toBe(1);
    expect(a.calls).toContain('otp.insert');
    expect(a.calls.some((call) => call.startsWith('customers.'))).toBe(false);
    expect(h.sms.sent.filter((m) => m.to === '+14155550142')).toHaveLength(1);
  });

  it('limits logins per client IP (trust proxy respected) and says when to retry', async () => {
    const c = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const token = await c.csrf('/?change=1');
      const res = await c.request('/login', { method: 'POST', form: { _csrf: token, phone: '+14155550177' } });
      statuses.push(res.status);
      if (res.status === 429) expect(await res.text()).toMatch(/Too many attempts. Try again in \d+ min/);
    }
    expect(statuses).toEqual([303, 303, 303, 429]);
    const other = newClient();
    const token = await other.csrf('/');
    expect(
      (await other.request('/login', { method: 'POST', form: { _csrf: token, phone: '+14155550177' } })).status,
    ).toBe(303);
  });

  it('per-IP portal limits count IPv6 clients per /64: rotating addresses inside one /64 does not escape them', async () => {
    const attempt = async (ip: string, phone: string) => {
      const c = portalClient(h.url, { 'x-forwarded-for': ip });
      const token = await c.csrf('/');
      return (await c.request('/login', { method: 'POST', form: { _csrf: token, phone } })).status;
    };
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) statuses.push(await attempt(`2001:db8:77:1::${i.toString(16)}a`, `+1415555018${i}`));
    expect(statuses).toEqual([303, 303, 303, 429]);
    expect(await attempt('2001:db8:77:1:ffff:ffff:ffff:fffe', '+14155550185')).toBe(429);
    expect(await attempt('2001:db8:77:2::1', '+14155550186')).toBe(303);
  });

  it('sets a signed HttpOnly SameSite=Lax cookie scoped to the mount, Secure behind HTTPS, rotated at login', async () => {
    const c = newClient();
    await c.request('/');
    const [cookie] = c.lastSetCookies.filter((s) => s.startsWith('hotspot_portal='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/portal;/);
    expect(cookie).toMatch(/Max-Age=\d+/);
    expect(cookie).not.toMatch(/Secure/);

    const https = portalClient(h.url, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
    await https.request('/');
    expect(https.lastSetCookies.find((s) => s.startsWith('hotspot_portal='))).toMatch(/; Secure/);

    const before = c.cookies.get('hotspot_portal');
    const tokenBefore = await c.csrf('/');
    await signIn(h, c);
    expect(c.cookies.get('hotspot_portal')).not.toBe(before);
    // The pre-login CSRF token is worthless now.
    const replay = await c.request('/logout', { method: 'POST', form: { _csrf: tokenBefore } });
    expect(replay.status).toBe(403);
    // A tampered cookie is no session at all.
    const value = c.cookies.get('hotspot_portal') as string;
    const [v, body, sig] = value.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, p: '+14155550100' })).toString('base64url');
    for (const tampered of [
      `${v}.${forged}.${sig}`,
      `${v}.${body}.${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`,
      `${v}.${body}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`,
    ]) {
      c.cookies.set('hotspot_portal', tampered);
      const status = await c.request('/status');
      expect(status.status).toBe(303);
      expect(status.headers.get('location')).toBe('/portal/');
    }
  });

  it('sends strict security headers and no inline script or style', async () => {
    const c = newClient();
    await signIn(h, c);
    const res = await c.request('/status');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    expect(page).not.toMatch(/<script|style="|\son[a-z]+=/i);
    const css = await c.request('/assets/portal.css?v=1');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('.btn');
  });

  it('escapes operator text: overridden messages, names and branding', async () => {
    const c = newClient();
    await code(h, c, '+14155550155');
    const page = await (await c.request('/code')).text();
    expect(page).toContain('Type the &lt;code&gt; we sent');
    // Straight into the store, as a row an admin UI wrote without the kit's validation.
    await h.kit.store.locations.upsert({
      id: 'loc-evil',
      name: 'Evil',
      timezone: 'UTC',
      createdAt: new Date(),
      branding: {
        operatorName: '"><script>alert(1)</script>',
        logoUrl: 'javascript:alert(1)',
        primaryColor: 'red;}body{display:none',
      },
    });
    const evilLink = new URL(await h.portal.locationLink(`${h.url}/`, 'loc-evil'));
    const evil = await (await newClient().request(`/${evilLink.search}`)).text();
    expect(evil).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(evil).not.toContain('<script>');
    expect(evil).not.toContain('javascript:');
    expect(evil).not.toContain('theme.css');

    await h.kit.locations.save({
      id: 'loc-brand',
      name: 'Brand',
      timezone: 'UTC',
      branding: { operatorName: 'Brand Net', logoUrl: 'https://cdn.example.com/logo.png', primaryColor: '#ffd400' },
    });
    const brandLink = new URL(await h.portal.locationLink(`${h.url}/`, 'loc-brand'));
    const brand = await (await newClient().request(`/${brandLink.search}`)).text();
    expect(brand).toContain('<img src="https://cdn.example.com/logo.png" alt="">');
    const themeHref = /href="([^"]*theme\.css[^"]*)"/.exec(brand)?.[1] as string;
    const theme = await (await fetch(`${h.origin}${themeHref.replace(/&amp;/g, '&')}`)).text();
    // A light brand colour gets dark text on buttons and keeps the default link colour.
    expect(theme).toContain('--hk-primary:#ffd400');
    expect(theme).toContain('--hk-on-primary:#000');
    expect(theme).toContain('--hk-link:#0b5cad');
  });

  it('pre-fills the phone from a signed link token, never from a forged or expired one', async () => {
    const good = await h.kit.tokens.sign({ p: CUSTOMER_PHONE, purpose: 'portal-prefill' }, 60);
    const page = await (await newClient().request(`/?t=${encodeURIComponent(good)}`)).text();
    expect(page).toContain(`value="${CUSTOMER_PHONE}"`);
    const other = await h.kit.tokens.sign({ p: CUSTOMER_PHONE, purpose: 'something-else' }, 60);
    expect(await (await newClient().request(`/?t=${encodeURIComponent(other)}`)).text()).not.toContain(CUSTOMER_PHONE);
    const expired = await h.kit.tokens.sign({ p: CUSTOMER_PHONE, purpose: 'portal-prefill' }, 1);
    clock.set('2026-03-06T10:00:05Z');
    expect(await (await newClient().request(`/?t=${encodeURIComponent(expired)}`)).text()).not.toContain(
      CUSTOMER_PHONE,
    );
    clock.set('2026-03-06T10:00:00Z');
  });

  it('picks the language from Accept-Language, ?lang= and its cookie', async () => {
    const c = newClient();
    const ru = await (await c.request('/', { headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' } })).text();
    expect(ru).toContain('<html lang="ru">');
    expect(ru).toContain('Получить код');
    await c.request('/?lang=de');
    const de = await (await c.request('/', { headers: { 'accept-language': 'ru' } })).text();
    expect(de).toContain('<html lang="de">');
  });

  it('turns errors into friendly pages with the right status, never a stack trace', async () => {
    const c = newClient();
    const missing = await c.request('/nope');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('This page does not exist.');
    expect((await c.request('/login')).status).toBe(405);
    const big = await c.request('/login', { method: 'POST', form: { _csrf: 'x', phone: 'x'.repeat(20_000) } });
    expect(big.status).toBe(413);
    const head = await c.request('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('hides internal failures behind a generic 500 and reports them to onError', async () => {
    const c = newClient();
    await signIn(h, c);
    const original = h.kit.store.vouchers.listByCustomer;
    (h.kit.store.vouchers as { listByCustomer: unknown }).listByCustomer = async () => {
      throw new Error('database exploded at /srv/secret/path.ts:42');
    };
    try {
      const page = await c.request('/status');
      expect(page.status).toBe(500);
      const text = await page.text();
      expect(text).toContain('Something went wrong on our side');
      expect(text).not.toMatch(/exploded|secret|\.ts:\d+|at async/);
      const api = await c.request('/api/status');
      expect(api.status).toBe(500);
      expect(await api.json()).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
      expect(errors.map((e) => (e as Error).message)).toContain('database exploded at /srv/secret/path.ts:42');
    } finally {
      (h.kit.store.vouchers as { listByCustomer: unknown }).listByCustomer = original;
    }
  });

  describe('JSON API', () => {
    let ajv: Ajv2020;
    let doc: Record<string, unknown>;
    const check = (schema: string, value: unknown) => {
      const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`);
      if (!validate) throw new Error(`no schema ${schema}`);
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    };

    beforeAll(async () => {
      const res = await fetch(`${h.url}/api/openapi.json`);
      expect(res.status).toBe(200);
      doc = (await res.json()) as Record<string, unknown>;
      ajv = new Ajv2020({ strict: false });
      (addFormats as unknown as (a: Ajv2020) => void)(ajv);
      ajv.addSchema({ $id: 'openapi.json', ...doc });
    });

    it('serves an OpenAPI 3.1 document for where it is mounted', () => {
      expect(doc.openapi).toBe('3.1.0');
      expect((doc.servers as { url: string }[])[0]?.url).toBe(h.url);
      expect(Object.keys(doc.paths as object)).toEqual(
        expect.arrayContaining([
          '/api/login',
          '/api/login/verify',
          '/api/status',
          '/api/vouchers/{voucherId}/devices',
          '/api/vouchers/{voucherId}/devices/{mac}',
        ]),
      );
    });

    it('runs the whole journey: login, code, status, devices, logout', async () => {
      const c = newClient();
      const session = await (await c.request('/api/session')).json();
      check('Session', session);
      expect(session).toMatchObject({ stage: 'anonymous', otp: true, devices: true });

      const login = await c.request('/api/login', { method: 'POST', json: { phone: CUSTOMER_PHONE } });
      expect(login.status).toBe(200);
      const step = await login.json();
      check('LoginStep', step);
      expect(step).toMatchObject({ next: 'code', phone: CUSTOMER_PHONE, codeLength: 6 });

      const wrong = await c.request('/api/login/verify', { method: 'POST', json: { code: '000000' } });
      const real = h.sms.lastCode(CUSTOMER_PHONE);
      if (real !== '000000') {
        expect(wrong.status).toBe(400);
        expect(await wrong.json()).toMatchObject({ error: { code: 'WRONG_CODE', attemptsLeft: 4, restart: false } });
      }
      const ok = await c.request('/api/login/verify', { method: 'POST', json: { code: real } });
      expect(await ok.json()).toEqual({ next: 'status', phone: CUSTOMER_PHONE });

      const status = await (await c.request('/api/status')).json();
      check('Status', status);
      expect(status.vouchers.map((v: { status: string }) => v.status).slice(0, 3)).toEqual(['online', 'active', 'new']);
      expect(status.currentVoucherId).toBe(seeded.online.id);
      const online = status.vouchers[0];
      expect(online.usage).toEqual({ downloadBytes: 1.5e9, uploadBytes: 1e9, totalBytes: 2.5e9, onlineSeconds: 3600 });
      expect(online.percent).toEqual({ traffic: 50, onlineTime: 10 });
      expect(status.history).toHaveLength(14);

      const id = encodeURIComponent(seeded.fresh.id);
      const added = await c.request(`/api/vouchers/${id}/devices`, {
        method: 'POST',
        json: { mac: 'AA:BB:CC:00:00:31', label: 'Phone' },
      });
      expect(added.status).toBe(201);
      const addedBody = await added.json();
      check('Voucher', addedBody.voucher);
      expect(addedBody.voucher.devices).toEqual([
        expect.objectContaining({ mac: 'aa:bb:cc:00:00:31', label: 'Phone', addedBy: 'customer' }),
      ]);

      const mac = encodeURIComponent('aa:bb:cc:00:00:31');
      const renamed = await c.request(`/api/vouchers/${id}/devices/${mac}`, {
        method: 'PATCH',
        json: { label: 'Laptop' },
      });
      expect((await renamed.json()).voucher.devices[0].label).toBe('Laptop');

      await c.request(`/api/vouchers/${id}/devices`, { method: 'POST', json: { mac: 'aa:bb:cc:00:00:32' } });
      const full = await c.request(`/api/vouchers/${id}/devices`, {
        method: 'POST',
        json: { mac: 'aa:bb:cc:00:00:33' },
      });
      expect(full.status).toBe(409);
      expect(await full.json()).toMatchObject({ error: { code: 'DEVICE_LIMIT_REACHED', limit: 2 } });
      const bad = await c.request(`/api/vouchers/${id}/devices`, { method: 'POST', json: { mac: 'zz:zz' } });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.code).toBe('INVALID_MAC');

      const removed: string[] = [];
      const off = h.kit.events.on('device.removed', (e) => {
        removed.push(e.device.mac);
      });
      const del = await c.request(`/api/vouchers/${id}/devices/${mac}`, { method: 'DELETE' });
      expect(del.status).toBe(200);
      expect(removed).toEqual(['aa:bb:cc:00:00:31']);
      off?.();

      // Another customer's voucher is indistinguishable from none.
      const stranger = await h.kit.vouchers.create({ planId: seeded.fresh.planId });
      const foreign = await c.request(`/api/vouchers/${stranger.id}/devices`, {
        method: 'POST',
        json: { mac: 'aa:bb:cc:00:00:40' },
      });
      expect(foreign.status).toBe(404);
      expect((await foreign.json()).error.code).toBe('NOT_FOUND');

      expect((await c.request('/api/logout', { method: 'POST', json: {} })).status).toBe(200);
      const after = await c.request('/api/status');
      expect(after.status).toBe(401);
      expect((await after.json()).error.code).toBe('UNAUTHENTICATED');
    });

    it('refuses cross-site and non-JSON writes', async () => {
      const c = newClient();
      const evil = await c.request('/api/login', {
        method: 'POST',
        json: { phone: CUSTOMER_PHONE },
        headers: { origin: 'http://evil.example' },
      });
      expect(evil.status).toBe(403);
      expect((await evil.json()).error.code).toBe('CSRF');
      const fetchSite = await c.request('/api/login', {
        method: 'POST',
        json: { phone: CUSTOMER_PHONE },
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expect(fetchSite.status).toBe(403);
      const form = await c.request('/api/login', { method: 'POST', form: { phone: CUSTOMER_PHONE } });
      expect(form.status).toBe(415);
      const same = await c.request('/api/login', {
        method: 'POST',
        json: { phone: 'not a phone' },
        headers: { origin: h.origin },
      });
      expect(same.status).toBe(400);
      expect((await same.json()).error.code).toBe('INVALID_PHONE');
    });
  });
});

describe('portal mounting', () => {
  async function serve(kit: HotspotKit, mount: (app: express.Express) => void) {
    const app = express();
    mount(app);
    const server = await new Promise<import('node:http').Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const port = (server.address() as import('node:net').AddressInfo).port;
    return {
      origin: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((r) => server.close(() => r())),
      kit,
    };
  }

  it('works at the root and under nested routers, links following the mount', async () => {
    const { expressPortal } = await import('@hotspot-kit/adapter-express');
    const kit = createHotspotKit({
      store: createMemoryStore(),
      secret: 'a-secret-of-sixteen-chars',
      sms: capturingSms(),
    });
    const portal = createPortal(kit);
    const s = await serve(kit, (app) => {
      const outer = express.Router();
      const inner = express.Router();
      inner.use('/account', expressPortal(portal));
      outer.use('/wifi', inner);
      app.use('/de', outer);
      app.use(expressPortal(portal));
    });
    try {
      const nested = await (await fetch(`${s.origin}/de/wifi/account`)).text();
      expect(nested).toContain('action="/de/wifi/account/login"');
      expect(nested).toContain('href="/de/wifi/account/assets/portal.css');
      const root = await (await fetch(`${s.origin}/`)).text();
      expect(root).toContain('action="/login"');
      // Without an adapter, the configured basePath (default /portal) applies.
      const direct = await portal.fetch(new Request('http://localhost/portal/'));
      expect(await direct.text()).toContain('action="/portal/login"');
    } finally {
      await s.close();
    }
  });
});

describe('session lifetime', () => {
  it('renews a used session but ends it at the absolute maximum age', async () => {
    const clock = testClock('2026-03-06T10:00:00Z');
    const h = await startPortal({
      kit: { clock: () => clock.now },
      portal: { sessionTtlSeconds: 600, sessionMaxAgeSeconds: 1800 },
    });
    try {
      const c = portalClient(h.url);
      await signIn(h, c);
      const at = (iso: string) => clock.set(iso);
      at('2026-03-06T10:08:00Z'); // 2 min left of 10: renewed
      expect((await c.request('/status')).status).toBe(200);
      expect(c.lastSetCookies.some((s) => s.startsWith('hotspot_portal=') && /Max-Age=600/.test(s))).toBe(true);
      at('2026-03-06T10:16:00Z');
      expect((await c.request('/status')).status).toBe(200);
      at('2026-03-06T10:24:00Z');
      expect((await c.request('/status')).status).toBe(200);
      at('2026-03-06T10:31:00Z'); // past 30 min since login: over, however active
      const over = await c.request('/status');
      expect(over.status).toBe(303);
      // Idle longer than the TTL also ends it.
      await signIn(h, c);
      at('2026-03-06T10:45:00Z');
      expect((await c.request('/status')).status).toBe(303);
    } finally {
      await h.close();
    }
  });
});

describe('portal OTP off over the API', () => {
  it('signs in by phone alone, read-only: no devices, device writes refused', async () => {
    const clock = testClock();
    const h = await startPortal({ withSms: false, kit: { clock: () => clock.now, portal: { otp: false } } });
    try {
      const seeded = await seedCustomer(h.kit, clock);
      const c = portalClient(h.url);
      expect(await (await c.request('/api/session')).json()).toMatchObject({ otp: false, devices: false });
      const login = await c.request('/api/login', {
        method: 'POST',
        json: { phone: '(415) 555-2671'.replace('(', '+1 (') },
      });
      expect(await login.json()).toEqual({ next: 'status', phone: CUSTOMER_PHONE });
      const status = await (await c.request('/api/status')).json();
      expect(status).toMatchObject({ verified: false, devicesEnabled: false });
      expect(status.vouchers).toHaveLength(5);
      expect(status.vouchers.every((v: { devices: unknown }) => v.devices === null)).toBe(true);
      const add = await c.request(`/api/vouchers/${seeded.fresh.id}/devices`, {
        method: 'POST',
        json: { mac: 'aa:bb:cc:00:00:61' },
      });
      expect(add.status).toBe(403);
      expect((await add.json()).error.code).toBe('FORBIDDEN');
    } finally {
      await h.close();
    }
  });
});
