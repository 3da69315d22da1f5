import type { TwilioGatewayConfig } from '../config/gateway-config.js';
import { maskUrlCredentials, secretValuesOf } from '../config/gateway-secrets.js';
import { SmsError } from '../errors.js';
import type { HttpRequest } from '../http/http-transport.js';
import { createSecretMasker } from '../secrets/secret-masker.js';
import { percentEncode } from '../template/placeholders.js';
import {
  type BalanceReading,
  type GatewayDriver,
  type GatewayVerdict,
  type OutgoingSms,
  previewRequest,
  USER_AGENT,
} from './gateway-driver.js';

/** Twilio's REST API, unless `baseUrl` points at a regional edge or a test server. */
export const TWILIO_BASE_URL = 'https://api.twilio.com';

/** The auth token that signs a Twilio gateway's status callbacks: `authToken`, else `apiSecret`. */
export function twilioAuthToken(config: TwilioGatewayConfig): string {
  return config.authToken ?? config.apiSecret;
}

function formEncode(fields: [string, string | undefined][]): string {
  return fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `${k}=${percentEncode(v)}`)
    .join('&');
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(body) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The Twilio gateway: `POST {baseUrl}/2010-04-01/Accounts/{accountSid}/Messages.json`, form
 * fields To, From or MessagingServiceSid, Body, StatusCallback, HTTP Basic apiKey:apiSecret.
 */
export function createTwilioGateway(config: TwilioGatewayConfig): GatewayDriver {
  const base = (config.baseUrl ?? TWILIO_BASE_URL).replace(/\/+$/, '');
  const account = `${base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}`;
  const authorization = `Basic ${Buffer.from(`${config.apiKey}:${config.apiSecret}`, 'utf8').toString('base64')}`;
  const masker = createSecretMasker([...secretValuesOf(config), authorization.slice(6)]);

  const messageRequest = (sms: OutgoingSms, text: string, statusCallback = config.statusCallbackUrl): HttpRequest => {
    const body = formEncode([
      ['To', sms.to],
      ['From', config.from],
      ['MessagingServiceSid', config.messagingServiceSid],
      ['Body', text],
      ['StatusCallback', statusCallback],
    ]);
    return {
      method: 'POST',
      url: `${account}/Messages.json`,
      headers: {
        Authorization: authorization,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
      },
      body,
    };
  };

  return {
    config,
    masker,

    async buildRequest(sms): Promise<HttpRequest> {
      return messageRequest(sms, sms.text);
    },

    async preview(sms) {
      // The Authorization header is shown masked whole; the body carries the masked text.
      const callback =
        config.statusCallbackUrl === undefined ? undefined : maskUrlCredentials(config.statusCallbackUrl);
      return previewRequest(messageRequest(sms, sms.logText ?? sms.text, callback), masker);
    },

    async interpret(response): Promise<GatewayVerdict> {
      const json = parseJson(response.body);
      if (response.status >= 200 && response.status < 300) {
        const sid = json?.sid;
        if (typeof sid === 'string' && sid !== '') return { outcome: 'sent', providerMessageId: sid };
        return { outcome: 'rejected', error: `HTTP ${response.status} without a message sid` };
      }
      const code = json?.code;
      const message = json?.message;
      const moreInfo = json?.more_info;
      const providerError: NonNullable<GatewayVerdict['providerError']> = {};
      if (typeof code === 'number' || typeof code === 'string') providerError.code = code;
      if (typeof message === 'string') providerError.message = message;
      if (typeof moreInfo === 'string') providerError.moreInfo = moreInfo;
      const detail = [providerError.code, providerError.message].filter((x) => x !== undefined).join(' ');
      const verdict: GatewayVerdict = {
        outcome: 'rejected',
        error: `HTTP ${response.status}${detail ? `: Twilio error ${detail}` : ''}`,
      };
      if (Object.keys(providerError).length > 0) verdict.providerError = providerError;
      return verdict;
    },

    balanceRequest() {
      return {
        method: 'GET',
        url: `${account}/Balance.json`,
        headers: { Authorization: authorization, Accept: 'application/json', 'User-Agent': USER_AGENT },
      };
    },

    async readBalance(response): Promise<BalanceReading> {
      const json = parseJson(response.body);
      if (response.status !== 200 || json === null) {
        const message = typeof json?.message === 'string' ? `: ${json.message}` : '';
        throw new SmsError('BALANCE_UNAVAILABLE', `Twilio Balance.json answered HTTP ${response.status}${message}`, {
          gatewayId: config.id,
        });
      }
      const amount = Number(json.balance);
      if (json.balance === null || json.balance === undefined || !Number.isFinite(amount)) {
        throw new SmsError('BALANCE_UNAVAILABLE', 'Twilio Balance.json has no balance (a subaccount has none)', {
          gatewayId: config.id,
        });
      }
      return typeof json.currency === 'string' ? { amount, currency: json.currency } : { amount };
    },
  };
}
