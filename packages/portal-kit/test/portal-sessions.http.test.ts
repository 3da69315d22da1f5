import { createMemoryStore } from '@hotspot-kit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type PortalClient, portalClient } from './support/client.js';
import { type Harness, startPortal } from './support/harness.js';
import { CUSTOMER_PHONE } from './support/seed.js';
import { sessionCookie, signIn } from './support/sign-in.js';

// Signed-in sessions are records in the store: the signed cookie only names one, so a copy
// of the cookie is worthless once the session was ended, on every app instance.

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function portal(options: Parameters<typeof startPortal>[0] = {}): Promise<Harness> {
  const h = await startPortal(options);
  harnesses.push(h);
  return h;
}

let ip = 0;
/** A client of its own address (trusted X-Forwarded-For), so per-client login limits never collide. */
const client = (h: Harness) => portalClient(h.url, { 'x-forwarded-for': `198.51.100.${++ip}` });

/** A second browser holding a copy of `cookie` (what a thief or a shared computer has). */
function replay(h: Harness, cookie: string): PortalClient {
  const c = client(h);
  c.cookies.set('hotspot_portal', cookie);
  return c;
}

async function opensStatus(c: PortalClient): Promise<boolean> {
  const page = await c.request('/status');
  if (page.status === 200) return true;
  expect(page.status).toBe(303);
  expect(page.headers.get('location')).toBe('/portal/');
  return false;
}

async function logout(c: PortalClient): Promise<void> {
  const token = await c.csrf('/status');
  expect((await c.request('/logout', { method: 'POST', form: { _csrf: token } })).status).toBe(303);
}

describe('portal session revocation', () => {
  it('logout ends the session server-side: a cookie copied before logout no longer opens the status page or the API', async () => {
    const h = await portal();
    const c = client(h);
    await signIn(h, c);
    const copied = sessionCookie(c);
    expect(await opensStatus(replay(h, copied))).toBe(true);

    await logout(c);
    expect(await opensStatus(c)).toBe(false);
    expect(await opensStatus(replay(h, copied))).toBe(false);
    const api = await replay(h, copied).request('/api/status');
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe('UNAUTHENTICATED');
  });

  it('the API logout ends the session server-side too', async () => {
    const h = await portal();
    const c = client(h);
    await signIn(h, c);
    const copied = sessionCookie(c);
    expect((await c.request('/api/logout', { method: 'POST', json: {} })).status).toBe(200);
    expect((await replay(h, copied).request('/api/status')).status).toBe(401);
  });

  it('a new login ends the session it replaces in that browser', async () => {
    const h = await portal({ portal: { signOutOthersAtLogin: false } });
    const c = client(h);
    await signIn(h, c);
    const before = sessionCookie(c);
    const again = await c.request('/api/login', { method: 'POST', json: { phone: '+14155550123' } });
    expect((await again.json()).next).toBe('code');
    expect(await opensStatus(replay(h, before))).toBe(false);
  });

  it("a login proved by an SMS code ends the phone's sessions on other devices", async () => {
    const h = await portal();
    const laptop = client(h);
    await signIn(h, laptop);
    const phone = client(h);
    await signIn(h, phone);
    expect(await opensStatus(laptop)).toBe(false);
    expect(await opensStatus(phone)).toBe(true);
  });

  it('with signOutOthersAtLogin: false a customer stays signed in on several devices', async () => {
    const h = await portal({ portal: { signOutOthersAtLogin: false } });
    const laptop = client(h);
    await signIn(h, laptop);
    const phone = client(h);
    await signIn(h, phone);
    expect(await opensStatus(laptop)).toBe(true);
    expect(await opensStatus(phone)).toBe(true);
  });

  it('a phone-only login (portal OTP off) never signs the owner out elsewhere', async () => {
    const h = await portal({ withSms: false, kit: { portal: { otp: false } } });
    const owner = client(h);
    const stranger = client(h);
    for (const c of [owner, stranger]) {
      const res = await c.request('/api/login', { method: 'POST', json: { phone: CUSTOMER_PHONE } });
      expect(await res.json()).toEqual({ next: 'status', phone: CUSTOMER_PHONE });
    }
    expect(await opensStatus(owner)).toBe(true);
    expect(await opensStatus(stranger)).toBe(true);
  });

  it('sign out everywhere: kit.portalSessions.revokeAll ends every open session of the customer', async () => {
    const h = await portal({ portal: { signOutOthersAtLogin: false } });
    const customer = await h.kit.customers.create({ phone: CUSTOMER_PHONE });
    const devices = [client(h), client(h)];
    for (const c of devices) await signIn(h, c);
    const other = client(h);
    await signIn(h, other, '+14155550199');

    expect(await h.kit.portalSessions.revokeAll({ customerId: customer.id })).toBe(2);
    for (const c of devices) expect(await opensStatus(c)).toBe(false);
    expect(await opensStatus(other)).toBe(true);
    // Signing in again works as usual.
    await signIn(h, devices[0] as PortalClient);
    expect(await opensStatus(devices[0] as PortalClient)).toBe(true);
  });

  it('a session ended on one app instance is ended on every instance sharing the store', async () => {
    const store = createMemoryStore();
    const one = await portal({ store });
    const two = await portal({ store });
    const c = client(one);
    await signIn(one, c);
    const cookie = sessionCookie(c);
    const onTwo = replay(two, cookie);
    expect(await opensStatus(onTwo)).toBe(true);
    await logout(onTwo);
    expect(await opensStatus(replay(one, cookie))).toBe(false);
  });
});
