import { expect } from 'vitest';
import type { PortalClient } from './client.js';
import type { Harness } from './harness.js';
import { CUSTOMER_PHONE } from './seed.js';

/** Submits `phone` on the login form and returns the SMS code the kit sent for it. */
export async function requestCode(h: Harness, c: PortalClient, phone: string): Promise<string> {
  const token = await c.csrf('/');
  const login = await c.request('/login', { method: 'POST', form: { _csrf: token, phone } });
  expect(login.status).toBe(303);
  return h.sms.lastCode(phone);
}

/** Signs `c` in through the HTML forms (phone, then the SMS code). */
export async function signIn(h: Harness, c: PortalClient, phone = CUSTOMER_PHONE): Promise<void> {
  const sms = await requestCode(h, c, phone);
  const token = await c.csrf('/code');
  const verify = await c.request('/code', { method: 'POST', form: { _csrf: token, code: sms } });
  expect(verify.status).toBe(303);
  expect(verify.headers.get('location')).toBe(`${new URL(h.url).pathname.replace(/\/$/, '')}/status`);
}

/** The portal session cookie `c` holds now (to replay it later from another client). */
export function sessionCookie(c: PortalClient, name = 'hotspot_portal'): string {
  const value = c.cookies.get(name);
  if (!value) throw new Error(`no ${name} cookie`);
  return value;
}
