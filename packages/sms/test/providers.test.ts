// Six real providers' request formats, configured only through the custom gateway's fields:
// the configs are the JSON recipes of docs/gateways.md, read from the page and pointed at
// loopback stand-ins. Each stand-in checks the request the way the provider does and answers
// in the provider's format, including the ones that answer HTTP 200 for a rejected message.
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createMemoryStore, type HotspotStore } from '@hotspot-kit/core';
import { createSmsRouter, parseGatewayConfigs, type SmsRouter } from '@hotspot-kit/sms';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, type RecordedRequest, type StubServer, startStub } from './helpers/stub-server.js';

const DOCS = readFileSync(new URL('../../../docs/gateways.md', import.meta.url), 'utf8');
const RECIPES = new Map<string, Record<string, unknown>>();
for (const m of DOCS.matchAll(/```json\n([\s\S]*?)\n```/g)) {
  const config = JSON.parse(m[1] as string) as Record<string, unknown>;
  RECIPES.set(config.id as string, config);
}

/** The cookbook recipe `id`, its provider host replaced by the loopback `origin` (user-info kept). */
function recipe(id: string, origin: string): Record<string, unknown> {
  const config = structuredClone(RECIPES.get(id));
  if (!config) throw new Error(`docs/gateways.md has no recipe "${id}"`);
  const host = origin.replace(/^https?:\/\//, '');
  const retarget = (url: string) =>
    url.replace(/^https?:\/\/([^/@]*@)?[^/?#]+/, (_m, user = '') => `http://${user}${host}`);
  config.url = retarget(config.url as string);
  const balance = config.balance as { url: string } | undefined;
  if (balance) balance.url = retarget(balance.url);
  return config;
}

const TO = '+79161234567';
const TEXT = 'Код: 1234 — "ok" & 50% 👍';

interface Provider {
  name: string;
  /** The cookbook's config, with the provider's host replaced by `origin`. */
  config(origin: string): Record<string, unknown>;
  /** Checks the request as the provider would; returns what it read, or answers an error itself. */
  read(req: RecordedRequest): { to: string; text: string; from?: string } | { status: number; body: unknown };
  accept(res: ServerResponse): void;
  /** How the provider answers a message it refuses (often with HTTP 200). */
  refuse(res: ServerResponse): void;
  /** Balance answer and the amount the config reads from it. */
  balance?: { path: string; answer: unknown; amount: number; currency?: string };
}

const header = (req: RecordedRequest, name: string) => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
};
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

const providers: Provider[] = [
  {
    name: 'Infobip (JSON, Authorization: App key, 200 with status group)',
    config: (origin) => recipe('infobip', origin),
    read(req) {
      if (req.method !== 'POST' || !req.url.startsWith('/sms/2/text/advanced')) return { status: 404, body: {} };
      if (header(req, 'authorization') !== 'App ib-0123456789abcdef') {
        return { status: 401, body: { requestError: { serviceException: { messageId: 'UNAUTHORIZED' } } } };
      }
      if (!header(req, 'content-type')?.startsWith('application/json')) return { status: 415, body: {} };
      const m = JSON.parse(req.text).messages[0];
      return { to: `+${m.destinations[0].to}`, text: m.text, from: m.from };
    },
    accept: (res) =>
      json(res, 200, {
        bulkId: 'b-1',
        messages: [
          {
            messageId: 'ib-msg-1',
            status: { groupId: 1, groupName: 'PENDING', id: 26, name: 'PENDING_ACCEPTED' },
            to: '79161234567',
          },
        ],
      }),
    refuse: (res) =>
      json(res, 200, {
        messages: [
          { messageId: 'ib-msg-2', status: { groupId: 5, groupName: 'REJECTED', id: 51, name: 'MISSING_TO' } },
        ],
      }),
    balance: { path: '/account/1/balance', answer: { balance: 47.79, currency: 'EUR' }, amount: 47.79 },
  },
  {
    name: "Africa's Talking (form, apiKey header, 201 with per-recipient status)",
    config: (origin) => recipe('africastalking', origin),
    read(req) {
      if (req.method !== 'POST' || req.url !== '/version1/messaging') return { status: 404, body: {} };
      if (header(req, 'apikey') !== 'atsk_abcdef0123456789')
        return { status: 401, body: 'The supplied authentication is invalid' };
      if (header(req, 'content-type') !== 'application/x-www-form-urlencoded') return { status: 415, body: {} };
      const p = new URLSearchParams(req.text);
      if (p.get('username') !== 'sandbox') return { status: 401, body: {} };
      return { to: p.get('to') ?? '', text: p.get('message') ?? '', from: p.get('from') ?? '' };
    },
    accept: (res) =>
      json(res, 201, {
        SMSMessageData: {
          Message: 'Sent to 1/1 Total Cost: KES 0.8000',
          Recipients: [{ statusCode: 101, number: TO, status: 'Success', cost: 'KES 0.8000', messageId: 'ATXid_1' }],
        },
      }),
    refuse: (res) =>
      json(res, 201, {
        SMSMessageData: {
          Message: 'Sent to 0/1 Total Cost: 0',
          Recipients: [{ statusCode: 403, number: TO, status: 'InvalidPhoneNumber', cost: '0', messageId: 'None' }],
        },
      }),
    balance: {
      path: '/version1/user?username=sandbox',
      answer: { UserData: { balance: 'KES 1785.50' } },
      amount: 1785.5,
    },
  },
  {
    name: 'Vonage SMS API (form with key/secret in the body, 200 with status "0" or an error status)',
    config: (origin) => recipe('vonage', origin),
    read(req) {
      if (req.method !== 'POST' || req.url !== '/sms/json') return { status: 404, body: {} };
      const p = new URLSearchParams(req.text);
      if (p.get('api_key') !== 'a1b2c3d4' || p.get('api_secret') !== 'VonageSecret99') {
        return {
          status: 200,
          body: { 'message-count': '1', messages: [{ status: '4', 'error-text': 'Bad Credentials' }] },
        };
      }
      if (p.get('type') !== 'unicode') return { status: 200, body: { messages: [{ status: '3' }] } };
      return { to: `+${p.get('to')}`, text: p.get('text') ?? '', from: p.get('from') ?? '' };
    },
    accept: (res) =>
      json(res, 200, {
        'message-count': '1',
        messages: [
          {
            to: '79161234567',
            'message-id': 'vn-1',
            status: '0',
            'remaining-balance': '3.14',
            'message-price': '0.03',
          },
        ],
      }),
    refuse: (res) =>
      json(res, 200, {
        'message-count': '1',
        messages: [{ to: '79161234567', status: '6', 'error-text': 'Unroutable message' }],
      }),
    balance: {
      path: '/account/get-balance?api_key=a1b2c3d4&api_secret=VonageSecret99',
      answer: { value: 10.28, autoReload: false },
      amount: 10.28,
    },
  },
  {
    name: 'Plivo (JSON, HTTP Basic from URL credentials, 202 Accepted)',
    config: (origin) => recipe('plivo', origin),
    read(req) {
      if (req.method !== 'POST' || req.url !== '/v1/Account/MAXXXXXXXXXXXXXXXXXX/Message/')
        return { status: 404, body: {} };
      if (header(req, 'authorization') !== basic('MAXXXXXXXXXXXXXXXXXX', 'plivo-token-xyz')) {
        return { status: 401, body: { error: 'Authentication failed' } };
      }
      const b = JSON.parse(req.text);
      return { to: `+${b.dst}`, text: b.text, from: b.src };
    },
    accept: (res) =>
      json(res, 202, {
        api_id: 'a-1',
        message: 'message(s) queued',
        message_uuid: ['db3ce55a-7f1d-11e1-8ea7-1231380bc196'],
      }),
    refuse: (res) => json(res, 400, { api_id: 'a-2', error: 'dst parameter is invalid' }),
    balance: {
      path: '/v1/Account/MAXXXXXXXXXXXXXXXXXX/',
      answer: { account_type: 'standard', auth_id: 'MAXXXXXXXXXXXXXXXXXX', cash_credits: '23.65000' },
      amount: 23.65,
    },
  },
  {
    name: 'Telnyx (JSON, Bearer token in headers[], 200 with data.id)',
    config: (origin) => recipe('telnyx', origin),
    read(req) {
      if (req.method !== 'POST' || req.url !== '/v2/messages') return { status: 404, body: {} };
      if (header(req, 'authorization') !== 'Bearer KEY0123456789ABCDEF_telnyx') {
        return { status: 401, body: { errors: [{ code: '10009', title: 'Authentication failed' }] } };
      }
      const b = JSON.parse(req.text);
      return { to: b.to, text: b.text, from: b.from };
    },
    accept: (res) =>
      json(res, 200, {
        data: {
          id: '40385f64-5717-4562-b3fc-2c963f66afa6',
          record_type: 'message',
          to: [{ phone_number: TO, status: 'queued' }],
        },
      }),
    refuse: (res) =>
      json(res, 422, {
        errors: [{ code: '40310', title: 'Invalid to number', detail: 'The to number is not a valid number' }],
      }),
    balance: {
      path: '/v2/balance',
      answer: { data: { balance: '300.00', currency: 'USD', record_type: 'balance' } },
      amount: 300,
      currency: 'USD',
    },
  },
  {
    name: 'SMS.ru (GET with the payload in the query string, 200 with "status":"ERROR")',
    config: (origin) => recipe('smsru', origin),
    read(req) {
      const url = new URL(req.url, 'http://x');
      if (req.method !== 'GET' || url.pathname !== '/sms/send') return { status: 404, body: {} };
      if (req.body.length !== 0) return { status: 400, body: {} };
      if (url.searchParams.get('api_id') !== '0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0') {
        return { status: 200, body: { status: 'ERROR', status_code: 200, status_text: 'Неправильный api_id' } };
      }
      return { to: `+${url.searchParams.get('to')}`, text: url.searchParams.get('msg') ?? '' };
    },
    accept: (res) =>
      json(res, 200, {
        status: 'OK',
        status_code: 100,
        sms: { '79161234567': { status: 'OK', status_code: 100, sms_id: '000000-10000000' } },
        balance: 4122.56,
      }),
    refuse: (res) =>
      json(res, 200, {
        status: 'OK',
        status_code: 100,
        sms: {
          '79161234567': {
            status: 'ERROR',
            status_code: 207,
            status_text: 'На этот номер нельзя отправлять сообщения',
          },
        },
        balance: 4122.56,
      }),
    balance: {
      path: '/my/balance?api_id=0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0&json=1',
      answer: { status: 'OK', status_code: 100, balance: 4122.56 },
      amount: 4122.56,
      currency: 'RUB',
    },
  },
];

it('every recipe of the cookbook is a valid config, and each provider here has one', () => {
  const configs = parseGatewayConfigs([...RECIPES.values()]);
  expect(configs.map((c) => c.id)).toEqual(
    expect.arrayContaining(['infobip', 'africastalking', 'vonage', 'plivo', 'telnyx', 'smsru', 'twilio']),
  );
});

describe.each(providers)('$name', (provider) => {
  let mode: 'accept' | 'refuse' = 'accept';
  let stub: StubServer;
  let store: HotspotStore;
  let router: SmsRouter;
  const secretValues = () => Object.values((provider.config('http://x').secrets as Record<string, string>) ?? {});

  beforeAll(async () => {
    stub = await startStub((req, res) => {
      if (provider.balance && req.url === provider.balance.path) return json(res, 200, provider.balance.answer);
      const read = provider.read(req);
      if ('status' in read) return json(res, read.status, read.body);
      if (mode === 'accept') provider.accept(res);
      else provider.refuse(res);
    });
  });
  afterAll(() => stub.close());
  afterEach(() => router?.close());

  const makeRouter = () => {
    store = createMemoryStore();
    router = createSmsRouter({ gateways: [provider.config(stub.origin)], log: store.smsLog });
    return router;
  };

  it('sends in the provider format and the provider reads the exact message', async () => {
    mode = 'accept';
    const r = makeRouter();
    const entry = await r.send({ to: TO, text: TEXT, purpose: 'test', sender: 'CafeWiFi' });
    expect(entry.attempts.map((a) => [a.outcome, a.error])).toEqual([['sent', undefined]]);
    expect(entry.status).toBe('sent');
    const read = provider.read(stub.requests.at(-1)!);
    expect(read).toMatchObject({ to: TO, text: TEXT });
    expect((await store.smsLog.get(entry.id))?.status).toBe('sent');
    // No secret in the log entry (request preview, response snippet).
    const logged = JSON.stringify(await store.smsLog.get(entry.id));
    for (const secret of secretValues()) expect(logged).not.toContain(secret);
  });

  it('reports a refused message as rejected, also when the provider answers HTTP 2xx', async () => {
    mode = 'refuse';
    const r = makeRouter();
    const entry = await r.send({ to: TO, text: TEXT, purpose: 'test' });
    expect(entry.status).toBe('failed');
    expect(entry.attempts).toHaveLength(1);
    expect(entry.attempts[0]?.outcome).toBe('rejected');
    expect(entry.attempts[0]?.responseSnippet).toBeTruthy();
  });

  it.runIf(provider.balance !== undefined)('reads the balance', async () => {
    const r = makeRouter();
    const balance = await r.checkBalance(provider.config('').id as string);
    expect(balance.amount).toBe(provider.balance?.amount);
    if (provider.balance?.currency) expect(balance.currency).toBe(provider.balance.currency);
    for (const secret of secretValues()) expect(balance.raw).not.toContain(secret);
  });
});
