import { type ProviderStub, refusedPort, replyJson, startProviderStub } from '@hotspot-kit/sms/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, jsonGateway, tempDir } from './helpers.js';

const TO = '+14155552671';
const tmp = tempDir();
let provider: ProviderStub;
let failing: ProviderStub;

beforeAll(async () => {
  provider = await startProviderStub((req, res) => {
    if (req.url.startsWith('/balance')) return replyJson(res, 200, { data: { balance: '12.50', currency: 'EUR' } });
    replyJson(res, 200, { status: 'accepted', id: 'm-42' });
  });
  failing = await startProviderStub((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('internal trouble');
  });
});
afterAll(async () => {
  await provider.close();
  await failing.close();
  tmp.remove();
});
afterEach(() => {
  provider.requests.length = 0;
  failing.requests.length = 0;
});

describe('hotspot-kit sms send', () => {
  it('sends through a one-gateway file and exits 0; the message arrives intact', async () => {
    const config = tmp.file('one.json', jsonGateway('main', `${provider.origin}/send`));
    const text = 'Café "WiFi" & 100% — Привет 👋\nline two';
    const { code, stdout, stderr } = await cli(['sms', 'send', '--config', config, '--to', TO, '--text', text]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Sent to ${TO} via main`);
    expect(provider.requests).toHaveLength(1);
    const body = JSON.parse(provider.requests[0]?.text ?? '{}') as Record<string, string>;
    expect(body.to).toBe(TO);
    expect(body.text).toBe(text);
  });

  it('fails over in file order: refused connection, then HTTP 500, then success', async () => {
    const port = await refusedPort();
    const config = tmp.file('three.json', [
      jsonGateway('down', `http://127.0.0.1:${port}/send`),
      jsonGateway('broken', `${failing.origin}/send`),
      jsonGateway('good', `${provider.origin}/send`),
    ]);
    const { code, stdout } = await cli(['sms', 'send', '-c', config, '-t', TO, '-m', 'hello', '--json']);
    expect(code).toBe(0);
    const entry = JSON.parse(stdout) as {
      status: string;
      gatewayId: string;
      attempts: { gatewayId: string; outcome: string }[];
    };
    expect(entry.status).toBe('sent');
    expect(entry.gatewayId).toBe('good');
    expect(entry.attempts.map((a) => [a.gatewayId, a.outcome])).toEqual([
      ['down', 'error'],
      ['broken', 'rejected'],
      ['good', 'sent'],
    ]);
    expect(failing.requests).toHaveLength(1);
  });

  it('exits 1 and lists every attempt when no gateway takes the SMS', async () => {
    const config = tmp.file('bad.json', [jsonGateway('broken', `${failing.origin}/send`)]);
    const { code, stdout } = await cli(['sms', 'send', '-c', config, '-t', TO, '-m', 'hello']);
    expect(code).toBe(1);
    expect(stdout).toContain('FAILED');
    expect(stdout).toMatch(/broken.*REJECTED.*HTTP 500/);
  });

  it('--gateway sends through that gateway only, even if disabled in the file', async () => {
    const config = tmp.file('pick.json', [
      jsonGateway('broken', `${failing.origin}/send`),
      jsonGateway('spare', `${provider.origin}/send`, { enabled: false }),
    ]);
    const { code } = await cli(['sms', 'send', '-c', config, '-g', 'spare', '-t', TO, '-m', 'x']);
    expect(code).toBe(0);
    expect(failing.requests).toHaveLength(0);
    expect(provider.requests).toHaveLength(1);
  });

  it('refuses a number that cannot receive SMS before sending anything (exit 2)', async () => {
    const config = tmp.file('one-b.json', jsonGateway('main', `${provider.origin}/send`));
    const tollFree = await cli(['sms', 'send', '-c', config, '-t', '+1 800 555 0199', '-m', 'x']);
    expect(tollFree.code).toBe(2);
    expect(tollFree.stderr).toContain('--to +1 800 555 0199');
    expect(tollFree.stderr).toMatch(/toll-free/i);
    const national = await cli(['sms', 'send', '-c', config, '-t', '(415) 555-2671', '-m', 'x']);
    expect(national.code).toBe(2);
    const withCountry = await cli(['sms', 'send', '-c', config, '-t', '(415) 555-2671', '--country', 'US', '-m', 'x']);
    expect(withCountry.code).toBe(0);
    expect(provider.requests).toHaveLength(1);
  });
});

describe('gateway config file errors (exit 2, field named)', () => {
  it('a missing file', async () => {
    const { code, stderr } = await cli(['sms', 'send', '-c', 'nope.json', '-t', TO, '-m', 'x'], tmp.dir);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read gateway config file nope.json: no such file');
  });

  it('a file that is not JSON, with line and column', async () => {
    const config = tmp.file('broken.json', '{\n  "id": "x",\n  "type": "custom",\n}\n');
    const { code, stderr } = await cli(['sms', 'preview', '-c', config]);
    expect(code).toBe(2);
    expect(stderr).toContain('is not valid JSON');
    expect(stderr).toMatch(/line 4, column 1/);
  });

  it('JSON with GET names contentType (one-object file: no index in the path)', async () => {
    const config = tmp.file('get-json.json', jsonGateway('main', `${provider.origin}/send`, { method: 'GET' }));
    const { code, stderr } = await cli(['sms', 'send', '-c', config, '-t', TO, '-m', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain('invalid gateway config in');
    expect(stderr).toMatch(/^ {2}- contentType: /m);
    expect(provider.requests).toHaveLength(0);
  });

  it('a bad URL in the second gateway of an array is named [1].url', async () => {
    const config = tmp.file('two.json', [
      jsonGateway('a', `${provider.origin}/send`),
      jsonGateway('b', 'ftp://example.com/send'),
    ]);
    const { code, stderr } = await cli(['sms', 'test', '-c', config, '-g', 'a', '-t', TO]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/- \[1\]\.url: .*http/);
  });

  it('an unknown gateway type and unknown fields are named', async () => {
    const config = tmp.file('type.json', [
      { id: 'x', type: 'carrier-pigeon' },
      { ...jsonGateway('y', provider.origin), colour: 'red' },
    ]);
    const { code, stderr } = await cli(['sms', 'balance', '-c', config]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/\[0\]\.type: .*twilio.*custom/);
    expect(stderr).toMatch(/\[1\]\.colour: unknown field/);
  });

  it('a payload that is not JSON after substitution is named', async () => {
    const config = tmp.file('payload.json', jsonGateway('main', provider.origin, { payload: '{"text": %MESSAGE%}' }));
    const { code, stderr } = await cli(['sms', 'preview', '-c', config]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/- payload: is not valid JSON/);
  });

  it('an empty array and a non-object are refused', async () => {
    const empty = await cli(['sms', 'preview', '-c', tmp.file('empty.json', [])]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('the array is empty');
    const scalar = await cli(['sms', 'preview', '-c', tmp.file('scalar.json', '42')]);
    expect(scalar.code).toBe(2);
    expect(scalar.stderr).toContain('must hold a gateway object or an array');
  });

  it('--gateway naming a gateway the file lacks lists the ids', async () => {
    const config = tmp.file('ids.json', [jsonGateway('a', provider.origin), jsonGateway('b', provider.origin)]);
    const { code, stderr } = await cli(['sms', 'test', '-c', config, '-g', 'zzz', '-t', TO]);
    expect(code).toBe(2);
    expect(stderr).toContain('--gateway zzz: no such gateway in the file (it has: a, b)');
  });

  it('several gateways and no --gateway for a one-gateway command', async () => {
    const config = tmp.file('ids2.json', [jsonGateway('a', provider.origin), jsonGateway('b', provider.origin)]);
    const { code, stderr } = await cli(['sms', 'preview', '-c', config]);
    expect(code).toBe(2);
    expect(stderr).toContain('say which with --gateway (a, b)');
  });
});

describe('hotspot-kit sms test', () => {
  it('sends through one gateway and shows the request with secrets masked and the answer', async () => {
    const config = tmp.file(
      'secret.json',
      jsonGateway('main', `${provider.origin}/send?key=%SECRET:apiKey%`, {
        customHeaderName: 'Authorization',
        customHeaderValue: 'Bearer %SECRET:apiKey%',
        secrets: { apiKey: 'sk_live_very_secret_value' },
      }),
    );
    const { code, stdout } = await cli(['sms', 'test', '-c', config, '-t', TO]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/main.*SENT/);
    expect(stdout).toContain('Request:');
    expect(stdout).toContain(`POST ${provider.origin}/send?key=`);
    expect(stdout).toContain('Response:');
    expect(stdout).toContain('"status":"accepted"');
    expect(stdout).not.toContain('sk_live_very_secret_value');
    // The provider really got the secret: only the output is masked.
    expect(provider.requests[0]?.url).toContain('sk_live_very_secret_value');
    expect(provider.requests[0]?.headers.authorization).toBe('Bearer sk_live_very_secret_value');
  });

  it('exits 1 when the gateway refuses, with the HTTP status', async () => {
    const config = tmp.file('refuse.json', jsonGateway('broken', `${failing.origin}/send`));
    const { code, stdout } = await cli(['sms', 'test', '-c', config, '-t', TO]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/REJECTED.*HTTP 500/);
  });

  it('--json prints the attempt as JSON', async () => {
    const config = tmp.file('json-test.json', jsonGateway('main', `${provider.origin}/send`));
    const { code, stdout } = await cli(['sms', 'test', '-c', config, '-t', TO, '--json']);
    expect(code).toBe(0);
    expect(JSON.stringify(JSON.parse(stdout))).toContain('"outcome":"sent"');
  });
});

describe('hotspot-kit sms balance', () => {
  const withBalance = (id: string, url: string) =>
    jsonGateway(id, `${provider.origin}/send`, { balance: { url, jsonPath: 'data.balance' } });

  it('reads a custom gateway balance by JSON path', async () => {
    const config = tmp.file('bal.json', withBalance('main', `${provider.origin}/balance`));
    const { code, stdout } = await cli(['sms', 'balance', '-c', config]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^main: 12\.5/m);
    expect(provider.requests[0]?.url).toBe('/balance');
  });

  it('--below exits 1 when the balance is under it (for cron jobs)', async () => {
    const config = tmp.file('bal2.json', withBalance('main', `${provider.origin}/balance`));
    const low = await cli(['sms', 'balance', '-c', config, '--below', '20']);
    expect(low.code).toBe(1);
    expect(low.stdout).toContain('LOW (below 20)');
    const fine = await cli(['sms', 'balance', '-c', config, '--below', '5', '--json']);
    expect(fine.code).toBe(0);
    expect(JSON.parse(fine.stdout)).toMatchObject([{ gatewayId: 'main', amount: 12.5, low: false }]);
  });

  it('exits 1 when the balance endpoint fails', async () => {
    const config = tmp.file('bal3.json', withBalance('main', `${failing.origin}/balance`));
    const { code, stdout } = await cli(['sms', 'balance', '-c', config]);
    expect(code).toBe(1);
    expect(stdout).toContain('main: balance unavailable');
  });

  it('exits 2 when no gateway can report a balance', async () => {
    const config = tmp.file('bal4.json', jsonGateway('main', `${provider.origin}/send`));
    const { code, stderr } = await cli(['sms', 'balance', '-c', config]);
    expect(code).toBe(2);
    expect(stderr).toContain('no gateway in the file can report a balance');
  });

  it('--below must be a number', async () => {
    const config = tmp.file('bal5.json', withBalance('main', `${provider.origin}/balance`));
    const { code, stderr } = await cli(['sms', 'balance', '-c', config, '--below', 'lots']);
    expect(code).toBe(2);
    expect(stderr).toContain('--below lots: must be a number');
  });
});

describe('Twilio gateway files', () => {
  it('sends (201 with a sid) and reads Balance.json through a Twilio config', async () => {
    const twilio = await startProviderStub((req, res) => {
      if (req.url.endsWith('/Balance.json')) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"balance":"7.25","currency":"USD","account_sid":"AC123"}');
        return;
      }
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end('{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}');
    });
    try {
      const config = tmp.file('twilio.json', {
        id: 'twilio',
        type: 'twilio',
        accountSid: 'AC123',
        apiKey: 'AC123',
        apiSecret: 'auth-token-secret',
        from: '+15005550006',
        baseUrl: twilio.origin,
      });
      const sent = await cli(['sms', 'send', '-c', config, '-t', TO, '-m', 'hi']);
      expect(sent.code).toBe(0);
      expect(sent.stdout).toContain('provider id SM0123456789abcdef0123456789abcdef');
      const request = twilio.requests[0]!;
      expect(request.url).toBe('/2010-04-01/Accounts/AC123/Messages.json');
      expect(new URLSearchParams(request.text).get('To')).toBe(TO);
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from('AC123:auth-token-secret').toString('base64')}`);
      const balance = await cli(['sms', 'balance', '-c', config, '--json']);
      expect(balance.code).toBe(0);
      expect(JSON.parse(balance.stdout)).toMatchObject([{ gatewayId: 'twilio', amount: 7.25, currency: 'USD' }]);
      expect(balance.stdout).not.toContain('auth-token-secret');
    } finally {
      await twilio.close();
    }
  });
});

describe('hotspot-kit sms preview', () => {
  it('prints the request a template gateway would make and sends nothing', async () => {
    const config = tmp.file(
      'form.json',
      jsonGateway('smsru', `${provider.origin}/sms/send`, {
        method: 'GET',
        contentType: 'form',
        payload: 'api_id=%SECRET:key%&to=%TO_DIGITS%&msg=%MESSAGE%&from=%LOCATION%',
        secrets: { key: 'abcdef-secret-123' },
      }),
    );
    const { code, stdout } = await cli([
      'sms',
      'preview',
      '-c',
      config,
      '-t',
      TO,
      '-m',
      'Привет & 100%',
      '--sender',
      'Cafe',
    ]);
    expect(code).toBe(0);
    expect(provider.requests).toHaveLength(0);
    const first = stdout.split('\n')[0] ?? '';
    expect(first.startsWith(`GET ${provider.origin}/sms/send?`)).toBe(true);
    const query = new URL(first.slice(4)).searchParams;
    expect(query.get('to')).toBe('14155552671');
    expect(query.get('msg')).toBe('Привет & 100%');
    expect(query.get('from')).toBe('Cafe');
    expect(stdout).not.toContain('abcdef-secret-123');
  });

  it('runs a Lua build() and shows its request', async () => {
    const config = tmp.file(
      'lua.json',
      jsonGateway('lua', `${provider.origin}/api`, {
        useLuaScript: true,
        payload: '',
        luaScript: [
          'function build(ctx)',
          '  return { method = "POST", headers = { ["X-Sig"] = crypto.sha256_hex(ctx.message) },',
          '    body = json.encode({ recipient = ctx.to_digits, body = ctx.message }) }',
          'end',
        ].join('\n'),
      }),
    );
    const { code, stdout } = await cli(['sms', 'preview', '-c', config, '-m', 'hello lua', '--json']);
    expect(code).toBe(0);
    const request = JSON.parse(stdout) as { method: string; url: string; body: string };
    expect(request.method).toBe('POST');
    expect(JSON.parse(request.body)).toEqual({ recipient: '14155552671', body: 'hello lua' });
    expect(provider.requests).toHaveLength(0);
  });

  it('a Lua error fails with its line number (exit 1)', async () => {
    const config = tmp.file(
      'lua-bad.json',
      jsonGateway('lua', `${provider.origin}/api`, {
        useLuaScript: true,
        payload: '',
        luaScript: 'function build(ctx)\n  local x = nil\n  return x.boom\nend\n',
      }),
    );
    const { code, stderr } = await cli(['sms', 'preview', '-c', config]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/line 3|:3:/);
  });
});
