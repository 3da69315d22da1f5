import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from './gateway-config.js';
import { gatewaySecretFields, maskGatewayConfig, SECRET_MASK, secretFieldsOf } from './gateway-secrets.js';

const twilio = {
  id: 'tw',
  type: 'twilio',
  accountSid: `AC${'a'.repeat(32)}`,
  apiKey: `SK${'b'.repeat(32)}`,
  apiSecret: 'api-secret-value',
  authToken: 'auth-token-value',
  from: '+15005550006',
  statusCallbackUrl: 'https://hook:hook-pass@hotspot.example/status',
};
const custom = {
  id: 'cu',
  type: 'custom',
  url: 'https://acct:url-pass@sms.example/send?x=%SECRET:key%',
  method: 'POST',
  contentType: 'form',
  payload: 'to=%TO%&text=%MESSAGE%',
  customHeaderName: 'X-Api-Key',
  customHeaderValue: 'header-secret',
  headers: [
    { name: 'X-One', value: 'one-secret' },
    { name: 'Accept', value: 'application/json' },
  ],
  secrets: { key: 'named-secret' },
  balance: { url: 'https://bal:bal-pass@sms.example/balance' },
};

describe('secret fields are declared once, in the gateway config schema', () => {
  it('the schema declares Twilio apiSecret and authToken, secrets.*, header values and URL credentials', () => {
    const paths = (type: 'twilio' | 'custom') => gatewaySecretFields(type).map((f) => `${f.path.join('.')}:${f.kind}`);
    expect(paths('twilio')).toEqual(
      expect.arrayContaining(['apiSecret:value', 'authToken:value', 'statusCallbackUrl:url-credentials']),
    );
    expect(paths('custom')).toEqual(
      expect.arrayContaining([
        'secrets.*:value',
        'customHeaderValue:value',
        'headers.[].value:value',
        'url:url-credentials',
        'balance.url:url-credentials',
      ]),
    );
  });

  it('maskGatewayConfig hides every declared secret, raw or validated, and keeps the rest', () => {
    for (const config of [twilio, custom, parseGatewayConfig(twilio), parseGatewayConfig(custom)]) {
      const masked = JSON.stringify(maskGatewayConfig(config));
      for (const secret of [
        'api-secret-value',
        'auth-token-value',
        'hook-pass',
        'url-pass',
        'header-secret',
        'one-secret',
        'named-secret',
        'bal-pass',
        'acct:',
      ]) {
        expect(masked).not.toContain(secret);
      }
    }
    expect(maskGatewayConfig(twilio)).toMatchObject({
      apiSecret: SECRET_MASK,
      authToken: SECRET_MASK,
      apiKey: twilio.apiKey,
      statusCallbackUrl: `https://${SECRET_MASK}:${SECRET_MASK}@hotspot.example/status`,
    });
    expect(maskGatewayConfig(custom)).toMatchObject({
      url: `https://${SECRET_MASK}:${SECRET_MASK}@sms.example/send?x=%SECRET:key%`,
      secrets: { key: SECRET_MASK },
      headers: [
        { name: 'X-One', value: SECRET_MASK },
        { name: 'Accept', value: SECRET_MASK },
      ],
      payload: custom.payload,
    });
    // The input is not changed.
    expect(custom.secrets.key).toBe('named-secret');
  });

  it('secretFieldsOf lists the values a masker must hide, with their paths', () => {
    const fields = secretFieldsOf(custom);
    expect(fields).toEqual(
      expect.arrayContaining([
        { path: 'secrets.key', kind: 'value', value: 'named-secret' },
        { path: 'headers[0].value', kind: 'value', value: 'one-secret' },
        { path: 'url', kind: 'url-credentials', value: 'url-pass' },
        { path: 'balance.url', kind: 'url-credentials', value: 'bal-pass' },
      ]),
    );
    expect(secretFieldsOf({ type: 'unknown', apiSecret: 'x' })).toEqual([]);
    expect(maskGatewayConfig(null)).toBeNull();
  });
});
