// The splash page accepts splash codes only, and the admin API never shows a secret field the
// gateway schema declares (Twilio apiSecret and authToken, URL credentials, secrets, headers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotspotApp } from '../src/app.js';
import { bootApp, hidden, shippedConfig, splashVisitor, waitFor } from './helpers.js';

const TWILIO_SECRET = 'tw-api-secret-7781';
const TWILIO_TOKEN = 'tw-auth-token-9902';
const URL_PASS = 'url-pass-5531';

let booted: Awaited<ReturnType<typeof bootApp>>;
let app: HotspotApp;
let base: string;

beforeAll(async () => {
  const shipped = shippedConfig() as { sms: { gateways: unknown[] } & Record<string, unknown> };
  booted = await bootApp({
    sms: {
      ...shipped.sms,
      gateways: [
        ...shipped.sms.gateways,
        {
          id: 'twilio',
          type: 'twilio',
          enabled: false,
          accountSid: `AC${'a1'.repeat(16)}`,
          apiKey: `AC${'a1'.repeat(16)}`,
          apiSecret: TWILIO_SECRET,
          authToken: TWILIO_TOKEN,
          from: '+15005550006',
          statusCallbackUrl: `https://hooks:${URL_PASS}@hotspot.example/sms/status`,
        },
        {
          id: 'basic-auth',
          type: 'custom',
          enabled: false,
          url: `https://acct:${URL_PASS}@sms.example/send`,
          method: 'POST',
          contentType: 'form',
          payload: 'to=%TO%&text=%MESSAGE%',
          balance: { url: `https://acct:${URL_PASS}@sms.example/balance` },
        },
      ],
    },
  });
  app = booted.app;
  base = `http://127.0.0.1:${app.port}`;
});
afterAll(async () => {
  await booted?.stop();
});

describe('the splash page verifies splash codes only', () => {
  it('a portal code does not pass on the splash page', async () => {
    const phone = '+491701234599';
    const portal = await app.kit.otp.start({ phone, purpose: 'portal' });
    expect(portal.ok).toBe(true);
    const challengeId = (portal as { challengeId: string }).challengeId;
    const sms = await waitFor(() => [...app.consoleMessages].reverse().find((m) => m.to === phone));
    const code = /\b(\d{6})\b/.exec(sms.text)?.[1] as string;
    const visitor = await splashVisitor(base);
    const res = await visitor.post('/splash/verify', { challengeId, code, mac: '', voucherCode: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('You are online');
    // The code is still good where it belongs.
    expect(await app.kit.otp.verify({ challengeId, code, purpose: 'portal' })).toMatchObject({ ok: true });
  });

  it('a splash code passes on the splash page', async () => {
    const visitor = await splashVisitor(base);
    const step1 = await visitor.post('/splash/phone', { phone: '+491701234598', mac: '', voucherCode: '' });
    const challengeId = hidden(await step1.text(), 'challengeId');
    const sms = await waitFor(() => [...app.consoleMessages].reverse().find((m) => m.to === '+491701234598'));
    const code = /\b(\d{6})\b/.exec(sms.text)?.[1] as string;
    const ok = await visitor.post('/splash/verify', { challengeId, code, mac: '', voucherCode: '' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('You are online');
  });
});

describe('the admin API shows no declared secret', () => {
  it('Twilio apiSecret and authToken, and user:password@ in URLs, are masked', async () => {
    const res = await fetch(`${base}/admin/gateways`, { headers: { authorization: `Bearer ${app.adminToken}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const secret of [TWILIO_SECRET, TWILIO_TOKEN, URL_PASS, 'replace-me']) expect(text).not.toContain(secret);
    const { gateways } = JSON.parse(text) as { gateways: Record<string, unknown>[] };
    const twilio = gateways.find((g) => g.id === 'twilio')!;
    expect(twilio).toMatchObject({ apiSecret: '********', authToken: '********' });
    expect(twilio.statusCallbackUrl).toBe('https://********:********@hotspot.example/sms/status');
    const basic = gateways.find((g) => g.id === 'basic-auth')!;
    expect(basic.url).toBe('https://********:********@sms.example/send');
  });
});
