// The three worked examples of docs/lua-hooks.md, run exactly as printed there, through the router,
// against loopback servers that check what real providers check (signatures, fields).
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSmsRouter, type SmsRouter } from '@hotspot-kit/sms';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, type StubServer, startStub } from './helpers/stub-server.js';

const DOC = readFileSync(new URL('../../../docs/lua-hooks.md', import.meta.url), 'utf8');

/** The ```lua block of the docs whose first line is `-- example: <name>`. */
function example(name: string): string {
  const block = [...DOC.matchAll(/```lua\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.startsWith(`-- example: ${name}\n`));
  if (!block) throw new Error(`docs/lua-hooks.md has no example "${name}"`);
  return block;
}

const TO = '+254711000111';
const TEXT = 'Ваш код: 482913 ✅ "quoted" & 100%';
const NOW = new Date('2025-03-01T12:00:00Z');
const routers: SmsRouter[] = [];
const track = (r: SmsRouter) => {
  routers.push(r);
  return r;
};
afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.close()));
});

describe('example 1: an HMAC-signed JSON API', () => {
  const secrets = { apiKey: 'live_key', apiSecret: 'live_secret' };
  let provider: StubServer;
  beforeAll(async () => {
    provider = await startStub((req, res) => {
      const ts = String(req.headers['x-timestamp']);
      const expected = createHmac('sha256', secrets.apiSecret).update(`${ts}.${req.text}`).digest('hex');
      if (req.headers['x-api-key'] !== secrets.apiKey || req.headers['x-signature'] !== expected) {
        return json(res, 401, { error: 'bad signature' });
      }
      json(res, 200, { status: 'accepted', message_id: 'msg-77' });
    });
  });
  afterAll(() => provider.close());

  const gateway = (over: Record<string, unknown> = {}) => ({
    id: 'signed-json',
    type: 'custom',
    method: 'POST',
    contentType: 'json',
    url: `${provider.origin}/v1/sms`,
    secrets,
    useLuaScript: true,
    luaScript: example('hmac-json'),
    ...over,
  });

  it('signs the body the provider receives; the provider accepts it', async () => {
    const router = track(createSmsRouter({ gateways: [gateway()], clock: () => NOW }));
    const entry = await router.send({ to: TO, text: TEXT, purpose: 'otp', sender: 'CafeWiFi' });
    expect(entry.status).toBe('sent');
    expect(entry.providerMessageId).toBe('msg-77');
    const req = provider.requests.at(-1)!;
    expect(req.headers['x-timestamp']).toBe(String(NOW.getTime() / 1000));
    expect(JSON.parse(req.text)).toEqual({ to: TO, text: TEXT, sender: 'CafeWiFi', reference: entry.id });
  });

  it('a wrong secret is refused by the provider and parse reports why', async () => {
    const router = track(createSmsRouter({ gateways: [gateway({ secrets: { ...secrets, apiSecret: 'wrong' } })] }));
    const entry = await router.send({ to: TO, text: TEXT, purpose: 'otp' });
    expect(entry.status).toBe('failed');
    expect(entry.attempts[0]).toMatchObject({ outcome: 'rejected', httpStatus: 401 });
    expect(entry.attempts[0]!.error).toContain('bad signature');
  });
});

describe('example 2: a timestamped MD5 signature in the query string', () => {
  const secrets = { login: 'hotspot', password: 'p4ss' };
  let provider: StubServer;
  beforeAll(async () => {
    provider = await startStub((req, res) => {
      const q = new URL(req.url, 'http://x').searchParams;
      const md5 = (s: string) => createHash('md5').update(s).digest('hex');
      const sign = md5(`${q.get('login')}${q.get('ts')}${md5(secrets.password)}`);
      res.writeHead(200, { 'content-type': 'text/plain' });
      if (req.method !== 'GET' || q.get('sign') !== sign) return res.end('ERROR;invalid signature');
      if (q.get('phone') !== TO.slice(1)) return res.end('ERROR;invalid phone');
      res.end(`OK;${Buffer.from(q.get('text')!).length}x`);
    });
  });
  afterAll(() => provider.close());

  it('puts login, phone, text, ts and a valid sign in the query string', async () => {
    const gateway = {
      id: 'md5-query',
      type: 'custom',
      method: 'GET',
      contentType: 'form',
      url: `${provider.origin}/api/send`,
      secrets,
      useLuaScript: true,
      luaScript: example('md5-query'),
    };
    const router = track(createSmsRouter({ gateways: [gateway], clock: () => NOW }));
    const entry = await router.send({ to: TO, text: TEXT, purpose: 'otp' });
    expect(entry.status).toBe('sent');
    expect(entry.providerMessageId).toBe(`${Buffer.byteLength(TEXT)}x`);
    const q = new URL(provider.requests.at(-1)!.url, 'http://x').searchParams;
    expect(q.get('text')).toBe(TEXT);
    expect(q.get('ts')).toBe(String(NOW.getTime() / 1000));

    const bad = track(createSmsRouter({ gateways: [{ ...gateway, secrets: { ...secrets, password: 'nope' } }] }));
    const refused = await bad.send({ to: TO, text: TEXT, purpose: 'otp' });
    expect(refused.attempts[0]).toMatchObject({
      outcome: 'rejected',
      httpStatus: 200,
      error: expect.stringContaining('invalid signature'),
    });
  });
});

describe("example 3: a provider's per-recipient status", () => {
  let provider: StubServer;
  const recipient = (number: string, statusCode: number, status: string) => ({
    statusCode,
    number,
    status,
    cost: statusCode < 200 ? 'KES 0.8000' : '0',
    messageId: statusCode < 200 ? 'ATXid_1f2e3d' : 'None',
  });
  beforeAll(async () => {
    provider = await startStub((req, res) => {
      if (req.url.startsWith('/version1/user')) return json(res, 200, { UserData: { balance: 'KES 1784.50' } });
      const form = new URLSearchParams(req.text);
      if (req.headers.apikey !== 'atsk_test' || form.get('username') !== 'hotspot') return json(res, 401, {});
      const to = form.get('to')!;
      const r = to === TO ? recipient(to, 101, 'Success') : recipient(to, 403, 'InvalidPhoneNumber');
      // HTTP 201 in both cases: the verdict is per recipient.
      json(res, 201, { SMSMessageData: { Message: 'Sent to 1/1', Recipients: [r] } });
    });
  });
  afterAll(() => provider.close());

  const router = () =>
    track(
      createSmsRouter({
        gateways: [
          {
            id: 'per-recipient',
            type: 'custom',
            method: 'POST',
            contentType: 'form',
            url: `${provider.origin}/version1/messaging`,
            headers: [
              { name: 'apiKey', value: '%SECRET:apiKey%' },
              { name: 'Accept', value: 'application/json' },
            ],
            secrets: { apiKey: 'atsk_test', username: 'hotspot' },
            useLuaScript: true,
            luaScript: example('per-recipient'),
            balance: { url: `${provider.origin}/version1/user`, currency: 'KES' },
          },
        ],
      }),
    );

  it('an accepted recipient is sent, with its message id', async () => {
    const entry = await router().send({ to: TO, text: TEXT, purpose: 'otp', sender: 'CAFE' });
    expect(entry.status).toBe('sent');
    expect(entry.providerMessageId).toBe('ATXid_1f2e3d');
    const form = new URLSearchParams(provider.requests.at(-1)!.text);
    expect(form.get('message')).toBe(TEXT);
    expect(form.get('from')).toBe('CAFE');
  });

  it('a refused recipient under HTTP 201 is rejected with the reason', async () => {
    const entry = await router().send({ to: '+254700000000', text: TEXT, purpose: 'otp' });
    expect(entry.status).toBe('failed');
    expect(entry.attempts[0]).toMatchObject({ outcome: 'rejected', httpStatus: 201 });
    expect(entry.attempts[0]!.error).toContain('+254700000000: InvalidPhoneNumber (403)');
  });

  it('balance(res) reads the amount out of the account answer', async () => {
    expect(await router().checkBalance('per-recipient')).toMatchObject({ amount: 1784.5, currency: 'KES' });
  });
});
