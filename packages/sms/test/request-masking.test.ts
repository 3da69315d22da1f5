// The SMS log never holds a code or a secret in any encoding: the stored request preview is
// built from the masked text (logText) with every secret replaced by the mask before encoding.
// Response snippets are masked before they are cut, and testSend masks provider headers.
import { createMemoryStore, type SmsLogEntry } from '@hotspot-kit/core';
import { createSmsRouter, type SmsRouter } from '@hotspot-kit/sms';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, type StubServer, startStub } from './helpers/stub-server.js';
import { formToObject, startTwilioStub, type TwilioStub } from './helpers/twilio-spec-server.js';

const TO = '+14155550100';
const CODE = '482913';
const TEXT = `Your Wi-Fi code is ${CODE}`;
const LOG_TEXT = 'Your Wi-Fi code is ******';
const USER = 'acct-7781';
const PASS = 'p4ss-Wd-0d1e';
const API_KEY = 'k3y-Zq81-x0x0';

/** `value` in every encoding a request might carry it in. */
function encodings(value: string): string[] {
  const utf8 = Buffer.from(value, 'utf8');
  const ucs2 = [...value].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0')).join('');
  return [
    value,
    encodeURIComponent(value),
    utf8.toString('hex'),
    utf8.toString('hex').toUpperCase(),
    ucs2,
    ucs2.toUpperCase(),
    utf8.toString('base64'),
    utf8.toString('base64url'),
    Buffer.from(value, 'utf16le').toString('base64'),
  ];
}

const SECRETS = [CODE, PASS, API_KEY, `${USER}:${PASS}`];

function expectNoSecretIn(text: string): void {
  for (const secret of SECRETS) {
    for (const form of encodings(secret)) expect(text, `${secret} as ${form}`).not.toContain(form);
  }
}

let stub: StubServer;
let router: SmsRouter | undefined;
beforeAll(async () => {
  stub = await startStub((req, res) => {
    if (req.url.startsWith('/echo')) {
      // A provider that echoes a credential just past the snippet's cut.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${'a'.repeat(496)}${API_KEY} trailing`);
      return;
    }
    if (req.url.startsWith('/redirect')) {
      res.writeHead(202, {
        location: `https://provider.example/status?api_key=${API_KEY}`,
        'content-type': 'text/plain',
      });
      res.end('accepted');
      return;
    }
    json(res, 200, { ok: true, id: 'p-1' });
  });
});
afterAll(() => stub.close());
afterEach(async () => {
  await router?.close();
  router = undefined;
});

async function sendAndLog(gateway: Record<string, unknown>): Promise<SmsLogEntry> {
  const store = createMemoryStore();
  router = createSmsRouter({ gateways: [gateway], log: store.smsLog, circuitBreaker: false });
  const entry = await router.send({ to: TO, text: TEXT, logText: LOG_TEXT, purpose: 'otp' });
  expect(entry.status).toBe('sent');
  const stored = await store.smsLog.get(entry.id);
  expect(stored).toBeDefined();
  return stored!;
}

const UCS2_SCRIPT = `
local function ucs2(s)
  local out = {}
  for _, c in utf8.codes(s) do out[#out + 1] = string.format("%04X", c) end
  return table.concat(out)
end

function build(ctx)
  local s = ctx.gateway.secrets
  return {
    url = ctx.gateway.url .. "?sig=" .. base64.encode(s.api_key) .. "&t=" .. ucs2(ctx.message),
    headers = {
      Authorization = "Basic " .. base64.encode(s.user .. ":" .. s.pass),
      ["X-Text-Hex"] = ucs2(ctx.message),
    },
    body = json.encode({ to = ctx.to_digits, text = ucs2(ctx.message), key = base64.encode(s.api_key) }),
  }
end
`;

describe('no code or secret reaches the logged request in any encoding', () => {
  it('a Lua gateway sending the text as UCS-2 hex and credentials as base64 Basic auth', async () => {
    const entry = await sendAndLog({
      id: 'lua',
      type: 'custom',
      url: `${stub.origin}/send`,
      method: 'POST',
      contentType: 'json',
      useLuaScript: true,
      luaScript: UCS2_SCRIPT,
      secrets: { user: USER, pass: PASS, api_key: API_KEY },
    });
    // The provider got the real thing.
    const sent = stub.requests.at(-1)!;
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`);
    expect(JSON.parse(sent.text).text).toBe(encodings(TEXT)[5]);
    // The log holds the preview of the masked message, with masked secrets.
    const request = entry.attempts[0]!.request!;
    expect(JSON.parse(request.body!).text).toBe(encodings(LOG_TEXT)[5]);
    expect(request.url).toContain(`${stub.origin}/send?sig=`);
    expectNoSecretIn(JSON.stringify(entry));
  });

  it('a template gateway with credentials in the URL, a header and the payload', async () => {
    const entry = await sendAndLog({
      id: 'template',
      type: 'custom',
      url: `http://${USER}:${PASS}@127.0.0.1:${stub.port}/send?key=%SECRET:api_key%`,
      method: 'POST',
      contentType: 'form',
      payload: 'to=%TO%&text=%MESSAGE%&key=%SECRET:api_key%',
      customHeaderName: 'X-Api-Key',
      customHeaderValue: API_KEY,
      headers: [{ name: 'X-Signature', value: '%SECRET:api_key%' }],
      secrets: { api_key: API_KEY },
    });
    const sent = stub.requests.at(-1)!;
    expect(new URLSearchParams(sent.text).get('text')).toBe(TEXT);
    const request = entry.attempts[0]!.request!;
    expect(new URLSearchParams(request.body).get('text')).toBe(LOG_TEXT);
    expectNoSecretIn(JSON.stringify(entry));
  });

  it('a script that fails on masked inputs stores only the method and origin', async () => {
    const entry = await sendAndLog({
      id: 'picky',
      type: 'custom',
      url: `${stub.origin}/send`,
      method: 'POST',
      contentType: 'json',
      useLuaScript: true,
      luaScript: `function build(ctx)
        assert(ctx.message:find("%d%d%d%d"), "no code in the text")
        return json.encode({ text = ctx.message, key = base64.encode(ctx.gateway.secrets.api_key) })
      end`,
      secrets: { api_key: API_KEY },
    });
    expect(entry.attempts[0]!.request).toEqual({ method: 'POST', url: stub.origin, headers: {} });
    expectNoSecretIn(JSON.stringify(entry));
  });

  describe('Twilio', () => {
    let twilio: TwilioStub;
    const ACCOUNT = `AC${'a1'.repeat(16)}`;
    const KEY = `SK${'b2'.repeat(16)}`;
    beforeAll(async () => {
      twilio = await startTwilioStub(KEY, PASS);
    });
    afterAll(() => twilio.close());

    it('a Twilio gateway with a credentialed status callback URL', async () => {
      const entry = await sendAndLog({
        id: 'twilio',
        type: 'twilio',
        accountSid: ACCOUNT,
        apiKey: KEY,
        apiSecret: PASS,
        authToken: API_KEY,
        from: '+15005550006',
        statusCallbackUrl: `https://${USER}:${PASS}@hotspot.example/sms/status`,
        baseUrl: twilio.origin,
      });
      expect(formToObject(twilio.requests.at(-1)!.text).Body).toBe(TEXT);
      const request = entry.attempts[0]!.request!;
      expect(formToObject(request.body!).Body).toBe(LOG_TEXT);
      expect(request.headers.Authorization).toBe('****');
      expectNoSecretIn(JSON.stringify(entry));
    });
  });
});

describe('provider answers are masked before they are cut or returned', () => {
  const gateway = (path: string) => ({
    id: 'echo',
    type: 'custom',
    url: `${stub.origin}${path}`,
    method: 'POST',
    contentType: 'form',
    payload: 'key=%SECRET:api_key%&text=%MESSAGE%',
    secrets: { api_key: API_KEY },
  });

  it('a secret straddling the 500-character cut of the response snippet does not survive', async () => {
    const entry = await sendAndLog(gateway('/echo'));
    const snippet = entry.attempts[0]!.responseSnippet!;
    expect(snippet.startsWith('a'.repeat(496))).toBe(true);
    expect(snippet).not.toContain(API_KEY.slice(0, 4));
  });

  it('testSend masks the provider response headers (a Location with ?api_key=...)', async () => {
    router = createSmsRouter({ gateways: [gateway('/redirect')], circuitBreaker: false });
    const result = await router.testSend('echo', TO);
    expect(result.response?.status).toBe(202);
    expect(result.response?.headers.location).toBe('https://provider.example/status?api_key=****');
    expectNoSecretIn(JSON.stringify(result));
  });
});
