import { describe, expect, it } from 'vitest';
import { isSmsError, type SmsError } from '../errors.js';
import { parseGatewayConfig, parseGatewayConfigs } from './gateway-config.js';

const custom = {
  id: 'gw',
  name: 'Gateway',
  type: 'custom',
  enabled: true,
  url: 'https://sms.example/send',
  method: 'POST',
  contentType: 'json',
  payload: '{"to":"%TO%","text":"%MESSAGE%"}',
  useLuaScript: false,
  verifySsl: true,
};

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(isSmsError(error)).toBe(true);
    expect((error as SmsError).code).toBe('INVALID_GATEWAY_CONFIG');
    return (error as SmsError).issues;
  }
  throw new Error('expected an INVALID_GATEWAY_CONFIG error');
}

describe('gateway config validation', () => {
  it('accepts a complete custom config and applies defaults to a minimal one', () => {
    expect(parseGatewayConfig(custom)).toMatchObject({ id: 'gw', method: 'POST', contentType: 'json' });
    const minimal = parseGatewayConfig({ id: 'm', type: 'custom', url: 'http://127.0.0.1/send?to=%TO%' });
    expect(minimal).toMatchObject({
      enabled: true,
      method: 'POST',
      contentType: 'form',
      verifySsl: true,
      timeoutMs: 10_000,
    });
  });

  it('refuses JSON with GET, naming the field', () => {
    const issues = issuesOf(() => parseGatewayConfig({ ...custom, method: 'GET' }));
    expect(issues).toEqual([{ path: 'contentType', message: expect.stringMatching(/'json'.*'GET'/) }]);
  });

  it('refuses a URL that is not http(s), also after placeholder substitution', () => {
    expect(issuesOf(() => parseGatewayConfig({ ...custom, url: 'ftp://sms.example/send' }))[0]?.path).toBe('url');
    expect(issuesOf(() => parseGatewayConfig({ ...custom, url: '%MESSAGE%' }))[0]?.path).toBe('url');
    const issues = issuesOf(() =>
      parseGatewayConfig({
        id: 't',
        type: 'twilio',
        accountSid: 'AC1',
        apiKey: 'k',
        apiSecret: 's',
        from: '+1',
        baseUrl: 'file:///etc',
      }),
    );
    expect(issues[0]?.path).toBe('baseUrl');
  });

  it('refuses a JSON payload that is not JSON after placeholder substitution', () => {
    const unquoted = issuesOf(() => parseGatewayConfig({ ...custom, payload: '{"text": %MESSAGE%}' }));
    expect(unquoted[0]).toEqual({ path: 'payload', message: expect.stringContaining('not valid JSON') });
    expect(issuesOf(() => parseGatewayConfig({ ...custom, payload: '{"to":"%TO%",}' }))[0]?.path).toBe('payload');
    // A number placeholder outside quotes is fine.
    expect(parseGatewayConfig({ ...custom, payload: '{"to": %TO_DIGITS%, "text": "%MESSAGE%"}' }).id).toBe('gw');
  });

  it('refuses an unknown or missing type', () => {
    expect(issuesOf(() => parseGatewayConfig({ ...custom, type: 'smpp' }))).toEqual([
      { path: 'type', message: expect.stringContaining('unknown gateway type "smpp"') },
    ]);
    expect(issuesOf(() => parseGatewayConfig({ id: 'x' }))[0]?.path).toBe('type');
  });

  it('names unknown fields, bad enums, missing Twilio sender and unknown secrets', () => {
    expect(issuesOf(() => parseGatewayConfig({ ...custom, verifySSL: false }))).toEqual([
      { path: 'verifySSL', message: 'unknown field' },
    ]);
    expect(issuesOf(() => parseGatewayConfig({ ...custom, method: 'PUT' }))[0]?.path).toBe('method');
    expect(
      issuesOf(() => parseGatewayConfig({ id: 't', type: 'twilio', accountSid: 'AC1', apiKey: 'k', apiSecret: 's' }))[0]
        ?.path,
    ).toBe('from');
    expect(issuesOf(() => parseGatewayConfig({ ...custom, payload: '{"k":"%SECRET:key%"}' }))).toEqual([
      { path: 'payload', message: expect.stringContaining('secrets has no "key"') },
    ]);
    expect(issuesOf(() => parseGatewayConfig({ ...custom, successResponse: '/([/' }))[0]?.path).toBe('successResponse');
    expect(issuesOf(() => parseGatewayConfig({ ...custom, useLuaScript: true }))[0]?.path).toBe('luaScript');
    expect(issuesOf(() => parseGatewayConfig({ ...custom, customHeaderName: 'X-Key' }))[0]?.path).toBe(
      'customHeaderValue',
    );
    expect(
      issuesOf(() => parseGatewayConfig({ ...custom, headers: [{ name: 'bad header', value: 'v' }] }))[0]?.path,
    ).toBe('headers[0].name');
  });

  it('prefixes paths with the index in a list and refuses duplicate ids', () => {
    const issues = issuesOf(() => parseGatewayConfigs([custom, { ...custom, method: 'GET' }, { ...custom }]));
    expect(issues.map((i) => i.path)).toEqual(['[1].contentType', '[2].id']);
    expect(issuesOf(() => parseGatewayConfigs({})).length).toBe(1);
  });

  it('never echoes a secret in an error', () => {
    try {
      parseGatewayConfig({ ...custom, secrets: { key: 'TOPSECRET-123' }, url: 'ftp://x/%SECRET:key%' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('TOPSECRET');
      expect(JSON.stringify((error as SmsError).issues)).not.toContain('TOPSECRET');
      return;
    }
    throw new Error('expected an error');
  });
});
