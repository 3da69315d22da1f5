// Lua gateways through the router: failover on a bad script, parse deciding the outcome,
// balance, config-time compile errors and previewRequest (the dry run script authors test with).
import { createSmsRouter, isSmsError } from '@hotspot-kit/sms';
import { describe, expect, it } from 'vitest';
import { setupRouterTests } from './helpers/router-setup.js';
import { json } from './helpers/stub-server.js';

const TO = '+14155550100';
const setup = setupRouterTests((req, res) => {
  if (req.url.startsWith('/balance')) return json(res, 200, { account: { credit: '41.50' } });
  if (req.url.startsWith('/soft-reject')) return json(res, 200, { status: 'rejected', reason: 'blocked number' });
  json(res, 200, { status: 'queued', id: `p-${setup.stub.requests.length}` });
});
const { track } = setup;

const luaGateway = (id: string, luaScript: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'custom',
  url: `${setup.stub.origin}/${id}`,
  method: 'POST',
  contentType: 'json',
  useLuaScript: true,
  luaScript,
  ...extra,
});
const plainGateway = (id: string) => ({
  id,
  type: 'custom',
  url: `${setup.stub.origin}/${id}`,
  method: 'POST',
  contentType: 'form',
  payload: 'to=%TO%&text=%MESSAGE%',
});

const SIGNED = `-- signs every request
function build(ctx)
  local body = json.encode({ to = ctx.to, text = ctx.message, ref = ctx.id })
  return {
    headers = { ["Content-Type"] = "application/json", ["X-Key"] = ctx.gateway.secrets.apiKey,
                ["X-Signature"] = crypto.hmac_sha256_hex(ctx.gateway.secrets.apiSecret, body) },
    body = body,
  }
end

function parse(res)
  local data = json.decode(res.body)
  if data.status == "queued" then return { ok = true, id = data.id } end
  return { ok = false, error = data.reason }
end

function balance(res)
  return tonumber(json.decode(res.body).account.credit)
end
`;

describe('a Lua gateway in the router', () => {
  it('sends with build and reads the answer with parse', async () => {
    const router = track(
      createSmsRouter({
        gateways: [luaGateway('signed', SIGNED, { secrets: { apiKey: 'key-1234', apiSecret: 'shh-secret' } })],
      }),
    );
    const entry = await router.send({ to: TO, text: 'Код 123 🎉', purpose: 'otp' });
    expect(entry.status).toBe('sent');
    expect(entry.providerMessageId).toMatch(/^p-\d+$/);
    const req = setup.stub.requests.at(-1)!;
    expect(JSON.parse(req.text)).toEqual({ to: TO, text: 'Код 123 🎉', ref: entry.id });
    expect(req.headers['x-key']).toBe('key-1234');
    const { createHmac } = await import('node:crypto');
    expect(req.headers['x-signature']).toBe(createHmac('sha256', 'shh-secret').update(req.body).digest('hex'));
  });

  it('a failing script fails that attempt with the Lua line number, and the router fails over', async () => {
    const broken = 'function build(ctx)\n  local parts = nil\n  return parts.to .. ctx.to\nend';
    const router = track(createSmsRouter({ gateways: [luaGateway('broken', broken), plainGateway('plain')] }));
    const entry = await router.send({ to: TO, text: 'hello', purpose: 'otp' });
    expect(entry.status).toBe('sent');
    expect(entry.gatewayId).toBe('plain');
    const [first, second] = entry.attempts;
    expect(first).toMatchObject({ gatewayId: 'broken', outcome: 'error' });
    expect(first!.error).toMatch(/line 3/);
    expect(first!.error).toMatch(/attempt to index a nil value/);
    expect(second).toMatchObject({ gatewayId: 'plain', outcome: 'sent' });
  });

  it('parse saying not ok (HTTP 200 with a rejection inside) fails over too', async () => {
    const router = track(
      createSmsRouter({
        gateways: [
          luaGateway('soft-reject', SIGNED, { secrets: { apiKey: 'k', apiSecret: 's' } }),
          plainGateway('plain'),
        ],
      }),
    );
    const entry = await router.send({ to: TO, text: 'hello', purpose: 'otp' });
    expect(entry.gatewayId).toBe('plain');
    expect(entry.attempts[0]).toMatchObject({ gatewayId: 'soft-reject', outcome: 'rejected', httpStatus: 200 });
    expect(entry.attempts[0]!.error).toContain('blocked number');
  });

  it('reads the balance with balance(res)', async () => {
    const router = track(
      createSmsRouter({
        gateways: [
          luaGateway('signed', SIGNED, {
            secrets: { apiKey: 'k', apiSecret: 's' },
            balance: { url: `${setup.stub.origin}/balance` },
          }),
        ],
      }),
    );
    expect((await router.checkBalance('signed')).amount).toBe(41.5);
  });

  it('a script that does not compile: reload() refuses it naming the line; a static config fails over', async () => {
    const bad = luaGateway('bad', 'function build(ctx)\n  return "x" +\nend');
    const router = track(createSmsRouter({ gateways: [bad, plainGateway('plain')] }));
    const entry = await router.send({ to: TO, text: 'x', purpose: 'otp' });
    expect(entry.gatewayId).toBe('plain');
    expect(entry.attempts[0]).toMatchObject({ gatewayId: 'bad', outcome: 'error' });
    expect(entry.attempts[0]!.error).toMatch(/line 3/);

    const refusal = await router.reload([plainGateway('plain'), bad]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isSmsError(refusal) && refusal.code).toBe('INVALID_GATEWAY_CONFIG');
    expect((refusal as Error).message).toMatch(/\[1\]\.luaScript: Lua script failed to load at line 3/);
    expect((await router.getGateways()).map((g) => g.id)).toEqual(['bad', 'plain']); // the old configs stay
  });
});

describe('router.previewRequest with a Lua build', () => {
  it('returns the request the script builds, secrets masked, and sends nothing', async () => {
    const router = track(
      createSmsRouter({
        gateways: [luaGateway('signed', SIGNED, { secrets: { apiKey: 'key-1234', apiSecret: 'shh-secret' } })],
      }),
    );
    const before = setup.stub.requests.length;
    const preview = await router.previewRequest('signed', { to: TO, text: 'Привет 👋', id: 'preview-1' });
    expect(setup.stub.requests.length).toBe(before);
    expect(preview.method).toBe('POST');
    expect(preview.url).toBe(`${setup.stub.origin}/signed`);
    expect(JSON.parse(preview.body!)).toEqual({ to: TO, text: 'Привет 👋', ref: 'preview-1' });
    expect(preview.headers['Content-Type']).toBe('application/json');
    expect(JSON.stringify(preview)).not.toContain('key-1234');
    expect(JSON.stringify(preview)).not.toContain('shh-secret');
  });

  it('rejects with the script error (and its line) when build fails', async () => {
    const router = track(
      createSmsRouter({
        gateways: [luaGateway('broken', 'function build(ctx)\n  error("no sender configured")\nend')],
      }),
    );
    await expect(router.previewRequest('broken', { to: TO, text: 'x' })).rejects.toMatchObject({
      code: 'LUA_ERROR',
      luaLine: 2,
      message: expect.stringMatching(/line 2: no sender configured/),
    });
  });
});
