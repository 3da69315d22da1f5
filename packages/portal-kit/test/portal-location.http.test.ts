import type { SmsMessage } from '@hotspot-kit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type PortalClient, portalClient } from './support/client.js';
import { type Harness, startPortal } from './support/harness.js';
import { testClock } from './support/seed.js';

// The location decides whose SMS gateway, sender id and texts send a login code: it comes
// from the host (the locationId option, the adapter's per-request location) or from a link
// the host signed, never from a visitor's ?location=<id> (unless the host lists it).

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function portal(options: Parameters<typeof startPortal>[0] = {}): Promise<Harness> {
  const h = await startPortal({ ...options, portal: { locationId: 'loc-home', ...options.portal } });
  harnesses.push(h);
  for (const [id, senderId] of [
    ['loc-home', 'HomeNet'],
    ['loc-evil', 'EvilNet'],
    ['loc-venue', 'VenueNet'],
  ] as const) {
    await h.kit.locations.save({
      id,
      name: `${senderId} place`,
      senderId,
      branding: { operatorName: `${senderId} WiFi` },
    });
  }
  return h;
}

let ip = 0;
const client = (h: Harness, headers: Record<string, string> = {}) =>
  portalClient(h.url, { 'x-forwarded-for': `203.0.113.${++ip}`, ...headers });

/** Visits `path`, logs in with a fresh number and returns the login SMS and the login page. */
async function loginVia(h: Harness, c: PortalClient, path: string): Promise<{ sms: SmsMessage; page: string }> {
  const page = await (await c.request(path)).text();
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] as string;
  const phone = `+1415555${String(1000 + ip).slice(-4)}`;
  const res = await c.request('/login', { method: 'POST', form: { _csrf: token, phone } });
  expect(res.status).toBe(303);
  const sms = h.sms.sent.at(-1) as SmsMessage;
  expect(sms.to).toBe(phone);
  return { sms, page };
}

const query = async (link: Promise<string>) => `/${new URL(await link).search}`;

describe('portal location binding', () => {
  it('a visitor cannot choose the location: ?location=<id> picks neither the SMS gateway, the sender nor the branding', async () => {
    const h = await portal();
    const { sms, page } = await loginVia(h, client(h), '/?location=loc-evil');
    expect(sms).toMatchObject({ locationId: 'loc-home', sender: 'HomeNet' });
    expect(page).toContain('HomeNet WiFi');
    expect(page).not.toContain('EvilNet');
  });

  it('a link signed with portal.locationLink binds the visitor to its location', async () => {
    const h = await portal();
    const c = client(h);
    const { sms, page } = await loginVia(h, c, await query(h.portal.locationLink(`${h.url}/`, 'loc-venue')));
    expect(sms).toMatchObject({ locationId: 'loc-venue', sender: 'VenueNet' });
    expect(page).toContain('VenueNet WiFi');
    // Remembered in the signed session for the rest of the visit.
    const again = await loginVia(h, c, '/?change=1');
    expect(again.sms).toMatchObject({ locationId: 'loc-venue' });
  });

  it('a forged, expired or other-purpose token binds nothing', async () => {
    const clock = testClock('2026-03-01T09:00:00Z');
    const h = await portal({ kit: { clock: () => clock.now } });
    const link = await h.portal.locationLink(`${h.url}/`, 'loc-evil', { ttlSeconds: 60 });
    const token = new URL(link).searchParams.get('location') as string;
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BA' : 'AA'}`;
    const prefill = await h.kit.tokens.sign({ l: 'loc-evil', purpose: 'portal-prefill' }, 60);
    for (const value of [forged, prefill]) {
      const { sms } = await loginVia(h, client(h), `/?location=${encodeURIComponent(value)}`);
      expect(sms).toMatchObject({ locationId: 'loc-home' });
    }
    clock.set('2026-03-01T09:01:01Z');
    const { sms } = await loginVia(h, client(h), `/?location=${encodeURIComponent(token)}`);
    expect(sms).toMatchObject({ locationId: 'loc-home' });
  });

  it('a session cookie of the v1 format, which could carry a visitor-picked location, is refused', async () => {
    const h = await portal();
    const body = Buffer.from(
      JSON.stringify({ i: 'old-session-id', s: 'anonymous', l: 'loc-evil', e: Math.floor(Date.now() / 1000) + 3600 }),
    ).toString('base64url');
    const tag = await h.kit.tokens.signer('portal/session').sign(`v1.${body}`);
    const c = client(h);
    c.cookies.set('hotspot_portal', `v1.${body}.${Buffer.from(tag).toString('base64url')}`);
    expect((await loginVia(h, c, '/')).sms).toMatchObject({ locationId: 'loc-home' });
  });

  it('visitorLocations lets a visitor choose from that list only', async () => {
    const h = await portal({ portal: { visitorLocations: ['loc-venue'] } });
    expect((await loginVia(h, client(h), '/?location=loc-venue')).sms).toMatchObject({ locationId: 'loc-venue' });
    expect((await loginVia(h, client(h), '/?location=loc-evil')).sms).toMatchObject({ locationId: 'loc-home' });
  });

  it("the host's per-request location wins over signed links and the locationId option", async () => {
    const h = await portal({ adapter: { locationId: (req) => req.get('x-venue') } });
    const venue = client(h, { 'x-venue': 'loc-venue' });
    const signedEvil = await query(h.portal.locationLink(`${h.url}/`, 'loc-evil'));
    expect((await loginVia(h, venue, signedEvil)).sms).toMatchObject({ locationId: 'loc-venue', sender: 'VenueNet' });
    // Without the host's answer the portal's own rule applies.
    expect((await loginVia(h, client(h), '/')).sms).toMatchObject({ locationId: 'loc-home' });
  });

  it('hosts with their own UI bind a signed link through GET /api/session', async () => {
    const h = await portal();
    const c = client(h);
    expect(
      (await c.request(`/api/session${new URL(await h.portal.locationLink(`${h.url}/`, 'loc-venue')).search}`)).status,
    ).toBe(200);
    expect((await c.request('/api/login', { method: 'POST', json: { phone: '+14155550111' } })).status).toBe(200);
    expect(h.sms.sent.at(-1)).toMatchObject({ locationId: 'loc-venue' });
  });

  it('locationLink refuses an id that is not one', async () => {
    const h = await portal();
    await expect(h.portal.locationLink(`${h.url}/`, 'a b')).rejects.toThrow(/locationId/);
  });
});
