import { createHmac } from 'node:crypto';
import { createMemoryStore, type HotspotStore } from '@hotspot-kit/core';
import { createSmsRouter, type SmsRouter } from '@hotspot-kit/sms';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, startStub } from './helpers/stub-server.js';
import { formToObject, loadTwilioOperations, startTwilioStub, type TwilioStub } from './helpers/twilio-spec-server.js';

const ACCOUNT = `AC${'a1'.repeat(16)}`;
const API_KEY = `SK${'b2'.repeat(16)}`;
const API_SECRET = 'twilio-api-secret-0123456789';
const AUTH_TOKEN = 'twilio-auth-token-9876543210';
const SERVICE = `MG${'c3'.repeat(16)}`;
const CALLBACK = 'https://hotspot.example/sms/twilio/status';
const TO = '+14155550100';

/** Twilio's scheme, written out independently of the package's implementation. */
function sign(token: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', token).update(data).digest('base64');
}

function callback(params: Record<string, string>, signature: string, url = CALLBACK): Request {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}

let twilio: TwilioStub;
let store: HotspotStore;
let router: SmsRouter;

const gateway = (overrides: Record<string, unknown> = {}) => ({
  id: 'twilio',
  name: 'Twilio',
  type: 'twilio',
  enabled: true,
  accountSid: ACCOUNT,
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  authToken: AUTH_TOKEN,
  from: '+15005550006',
  statusCallbackUrl: CALLBACK,
  baseUrl: twilio.origin,
  ...overrides,
});

beforeAll(async () => {
  twilio = await startTwilioStub(API_KEY, API_SECRET);
});
afterAll(() => twilio.close());
afterEach(() => router?.close());

const make = (gateways: unknown[]) => {
  store = createMemoryStore();
  router = createSmsRouter({ gateways, log: store.smsLog });
  return router;
};

describe('Twilio gateway against the official OpenAPI spec', () => {
  it('creates a message with To, From, Body and StatusCallback that validate against CreateMessage', async () => {
    make([gateway()]);
    const text = 'Your code is 123456 — «ok» & 100% 👍';
    const entry = await router.send({ to: TO, text, logText: 'Your code is ****** — «ok» & 100% 👍', purpose: 'otp' });
    expect(twilio.problems.at(-1)).toEqual([]);
    expect(entry.status).toBe('sent');
    expect(entry.providerMessageId).toMatch(/^SM/);
    const sent = formToObject(twilio.requests.at(-1)!.text);
    expect(sent).toEqual({ To: TO, From: '+15005550006', Body: text, StatusCallback: CALLBACK });
    // Neither the secret nor the OTP code is in the log (Twilio echoes the body in its answer).
    const logged = JSON.stringify(await store.smsLog.get(entry.id));
    expect(logged).not.toContain(API_SECRET);
    expect(logged).not.toContain('123456');
    expect(logged).toContain('******');
  });

  it('sends through a Messaging Service without From', async () => {
    make([gateway({ from: undefined, messagingServiceSid: SERVICE, statusCallbackUrl: undefined })]);
    const entry = await router.send({ to: TO, text: 'hi', purpose: 'test' });
    expect(twilio.problems.at(-1)).toEqual([]);
    expect(entry.status).toBe('sent');
    expect(formToObject(twilio.requests.at(-1)!.text)).toEqual({ To: TO, MessagingServiceSid: SERVICE, Body: 'hi' });
  });

  it('the spec check has teeth: bodies Twilio refuses fail CreateMessage', () => {
    const validate = loadTwilioOperations().createMessage.requestSchema!;
    expect(validate({ To: TO, Body: 'x', From: '+15005550006' })).toBe(true);
    expect(validate({ To: 'not-a-number', Body: 'x' })).toBe(false);
    expect(validate({ Body: 'x' })).toBe(false);
    expect(validate({ To: TO, Text: 'x' })).toBe(false);
    expect(validate({ To: TO, MessagingServiceSid: 'MG-short' })).toBe(false);
    expect(validate({ To: TO, StatusCallback: 'not a uri' })).toBe(false);
  });

  it('the spec check itself catches a request Twilio would refuse', async () => {
    make([gateway({ accountSid: 'AC-not-a-sid' })]);
    const entry = await router.send({ to: TO, text: 'hi', purpose: 'test' });
    expect(twilio.problems.at(-1)?.join()).toMatch(/AccountSid/);
    expect(entry.status).toBe('failed');
  });

  it('keeps Twilio error JSON on the attempt and fails over', async () => {
    const backup = await startStub((_req, res) => json(res, 200, { ok: true }));
    try {
      make([gateway(), { id: 'backup', type: 'custom', url: `${backup.origin}/send` }]);
      twilio.nextCreate = (res) =>
        json(res, 400, {
          code: 21211,
          message: "The 'To' number +14155550100 is not a valid phone number.",
          more_info: 'https://www.twilio.com/docs/errors/21211',
          status: 400,
        });
      const entry = await router.send({ to: TO, text: 'hi', purpose: 'test' });
      expect(entry.attempts[0]).toMatchObject({
        gatewayId: 'twilio',
        outcome: 'rejected',
        httpStatus: 400,
        providerError: {
          code: 21211,
          message: "The 'To' number +14155550100 is not a valid phone number.",
          moreInfo: 'https://www.twilio.com/docs/errors/21211',
        },
      });
      expect(entry.attempts[1]).toMatchObject({ gatewayId: 'backup', outcome: 'sent' });
      expect(entry.status).toBe('sent');
    } finally {
      await backup.close();
    }
  });

  it('records the Twilio error code on a failed message', async () => {
    make([gateway()]);
    twilio.nextCreate = (res) =>
      json(res, 401, {
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
    const entry = await router.send({ to: TO, text: 'hi', purpose: 'test' });
    expect(entry).toMatchObject({ status: 'failed', errorCode: '20003' });
  });

  it('reads Balance.json (FetchBalance)', async () => {
    make([gateway()]);
    const balance = await router.checkBalance('twilio');
    expect(twilio.problems.at(-1)).toEqual([]);
    expect(balance).toMatchObject({ gatewayId: 'twilio', amount: 12.34, currency: 'USD' });
    expect(twilio.requests.at(-1)!.method).toBe('GET');
  });

  it('shows a request preview with the credentials masked', async () => {
    make([gateway()]);
    const preview = await router.previewRequest('twilio', { to: TO, text: 'hello' });
    expect(preview.url).toBe(`${twilio.origin}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(preview.headers.Authorization).toBe('****');
    expect(JSON.stringify(preview)).not.toContain(API_SECRET);
    expect(formToObject(preview.body!)).toMatchObject({ To: TO, Body: 'hello' });
  });
});

describe('Twilio delivery receipts (handleStatusCallback)', () => {
  it('verifies X-Twilio-Signature with authToken and marks the message delivered', async () => {
    make([gateway()]);
    const entry = await router.send({ to: TO, text: 'hi', purpose: 'test' });
    const params = { AccountSid: ACCOUNT, MessageSid: entry.providerMessageId!, MessageStatus: 'delivered', To: TO };
    const res = await router.handleStatusCallback(callback(params, sign(AUTH_TOKEN, CALLBACK, params)));
    expect(res.status).toBe(204);
    const got = await store.smsLog.get(entry.id);
    expect(got?.status).toBe('delivered');
    expect(got?.deliveredAt).toBeInstanceOf(Date);
  });

  it('refuses a bad or missing signature and changes nothing', async () => {
    make([gateway()]);
    const entry = await router.send({ to: TO, text: 'hi', purpose: 'test' });
    const params = { AccountSid: ACCOUNT, MessageSid: entry.providerMessageId!, MessageStatus: 'delivered' };
    // Signed with the API key secret, not the auth token: refused when authToken is configured.
    expect((await router.handleStatusCallback(callback(params, sign(API_SECRET, CALLBACK, params)))).status).toBe(403);
    const tampered = { ...params, MessageStatus: 'undelivered' };
    expect((await router.handleStatusCallback(callback(tampered, sign(AUTH_TOKEN, CALLBACK, params)))).status).toBe(
      403,
    );
    const unsigned = new Request(CALLBACK, { method: 'POST', body: new URLSearchParams(params) });
    expect((await router.handleStatusCallback(unsigned)).status).toBe(403);
    expect((await router.handleStatusCallback(new Request(CALLBACK))).status).toBe(405);
    expect((await store.smsLog.get(entry.id))?.status).toBe('sent');
  });

  it('uses apiSecret as the auth token when no authToken is configured, and the configured URL behind a proxy', async () => {
    make([gateway({ authToken: undefined, apiKey: ACCOUNT })]);
    // apiKey = Account SID, apiSecret = Auth Token (Twilio's classic credentials)
    await twilio.close();
    twilio = await startTwilioStub(ACCOUNT, API_SECRET);
    await router.reload([gateway({ authToken: undefined, apiKey: ACCOUNT })]);
    const entry = await router.send({ to: TO, text: 'hi', purpose: 'test' });
    expect(entry.status).toBe('sent');
    const params = {
      AccountSid: ACCOUNT,
      MessageSid: entry.providerMessageId!,
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
    };
    // Arrives at an internal URL (reverse proxy); Twilio signed the public statusCallbackUrl.
    const res = await router.handleStatusCallback(
      callback(params, sign(API_SECRET, CALLBACK, params), 'http://10.0.0.5:3000/sms/twilio/status'),
    );
    expect(res.status).toBe(204);
    const got = await store.smsLog.get(entry.id);
    expect(got).toMatchObject({ status: 'undelivered', errorCode: '30003' });
    await twilio.close();
    twilio = await startTwilioStub(API_KEY, API_SECRET);
  });

  it('does not lose a receipt that arrives before the send is recorded', async () => {
    make([gateway()]);
    const sid = `SM${'d4'.repeat(16)}`;
    const params = { AccountSid: ACCOUNT, MessageSid: sid, MessageStatus: 'delivered' };
    // Twilio calls back before its create answer reaches us.
    twilio.nextCreate = (res) => {
      router
        .handleStatusCallback(callback(params, sign(AUTH_TOKEN, CALLBACK, params)))
        .then((r) => {
          expect(r.status).toBe(204);
          json(res, 201, { sid, status: 'queued', account_sid: ACCOUNT });
        })
        .catch(() => json(res, 500, {}));
    };
    const entry = await router.send({ to: TO, text: 'hi', purpose: 'test' });
    expect(entry.providerMessageId).toBe(sid);
    expect((await store.smsLog.get(entry.id))?.status).toBe('delivered');
    expect((await store.smsLog.list({ status: 'delivered' })).items.map((e) => e.id)).toEqual([entry.id]);
  });
});
