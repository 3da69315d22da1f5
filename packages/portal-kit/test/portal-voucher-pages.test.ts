import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalClient } from './support/client.js';
import { type Harness, startPortal } from './support/harness.js';
import { CUSTOMER_PHONE, testClock } from './support/seed.js';

// A customer with many vouchers: the status page and GET /api/status show the current and
// newest ten, and page the rest with a cursor (plain links: no JavaScript needed).

const VOUCHERS = 23;

describe('status page with many vouchers', () => {
  const clock = testClock();
  let h: Harness;
  let order: string[];

  beforeAll(async () => {
    h = await startPortal({ withSms: false, kit: { clock: () => clock.now, portal: { otp: false } } });
    const customer = await h.kit.customers.create({ phone: CUSTOMER_PHONE });
    const plan = await h.kit.plans.create({
      name: 'Day',
      simultaneousDevices: 1,
      expiry: { kind: 'after-activation', seconds: 86_400 },
    });
    for (let i = 0; i < VOUCHERS; i++) {
      const v = await h.kit.vouchers.create({ planId: plan.id, customerId: customer.id });
      clock.set(new Date(clock.now.getTime() + 60_000).toISOString());
      // Every third one in use, the rest new: the page must list the active ones first.
      if (i % 3 === 0) await h.kit.vouchers.activate(v.id);
    }
    order = (await h.kit.vouchers.listForCustomer(customer.id)).map((v) => v.id);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function signedIn() {
    const c = portalClient(h.url);
    const login = await c.request('/api/login', { method: 'POST', json: { phone: CUSTOMER_PHONE } });
    expect(login.status).toBe(200);
    return c;
  }

  const cardIds = (page: string) => [...page.matchAll(/data-voucher-id="([^"]+)"/g)].map((m) => m[1]);
  const olderLink = (page: string) => /<a [^>]*rel="next" href="([^"]+)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');

  it('pages the vouchers with "older vouchers" links, in the kit order, none repeated or left out', async () => {
    const c = await signedIn();
    const seen: string[] = [];
    let path: string | undefined = '/status';
    const sizes: number[] = [];
    while (path) {
      const res = await c.request(path.replace(/^\/portal/, ''));
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain(`(${VOUCHERS} vouchers)`);
      if (seen.length > 0) expect(page).toContain('Current and newest vouchers');
      const ids = cardIds(page);
      sizes.push(ids.length);
      seen.push(...(ids as string[]));
      path = olderLink(page);
      if (path) expect(path).toMatch(/^\/portal\/status\?cursor=[A-Za-z0-9_-]+#vouchers-h$/);
    }
    expect(sizes).toEqual([10, 10, 3]);
    expect(seen).toEqual(order);
  });

  it('pages GET /api/status with nextCursor; a foreign cursor is a 400 naming it, a page link shows the first page', async () => {
    const c = await signedIn();
    const first = await (await c.request('/api/status')).json();
    expect(first.vouchers).toHaveLength(10);
    expect(first.vouchersTotal).toBe(VOUCHERS);
    expect(first.currentVoucherId).toBe(order[0]);
    const second = await (await c.request(`/api/status?cursor=${encodeURIComponent(first.nextCursor)}`)).json();
    expect(second.vouchers.map((v: { id: string }) => v.id)).toEqual(order.slice(10, 20));
    // An older page still names the current voucher for the summary.
    expect(second.currentVoucherId).toBe(order[0]);
    const last = await (await c.request(`/api/status?cursor=${encodeURIComponent(second.nextCursor)}`)).json();
    expect(last.nextCursor).toBeNull();
    expect(last.vouchers).toHaveLength(3);

    const bad = await c.request('/api/status?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'INVALID_INPUT' });
    const html = await c.request('/status?cursor=not-a-cursor');
    expect(html.status).toBe(200);
    expect(cardIds(await html.text())).toEqual(order.slice(0, 10));
  });
});
