import { readAmount } from '../balance/read-amount.js';
import { type CustomGatewayConfig, parseRegexLiteral } from '../config/gateway-config.js';
import { maskUrlCredentials, secretValuesOf } from '../config/gateway-secrets.js';
import { SmsError } from '../errors.js';
import type { HttpRequest, HttpResponse } from '../http/http-transport.js';
import type { LuaBuildContext, LuaHookRunner, LuaResponse } from '../lua/lua-hook-runner.js';
import { createSecretMasker, MASK } from '../secrets/secret-masker.js';
import { type PlaceholderValues, substitute } from '../template/placeholders.js';
import {
  type BalanceReading,
  type GatewayDriver,
  type GatewayVerdict,
  hasHeader,
  liftUrlCredentials,
  type OutgoingSms,
  previewRequest,
  USER_AGENT,
} from './gateway-driver.js';

/** How a custom gateway reaches the Lua runtime (loaded only when a gateway uses Lua). */
export interface LuaAccess {
  runner(): Promise<LuaHookRunner>;
  deadlineMs: number;
  /** The router's clock (`ctx.now`). */
  now(): Date;
}

const CONTENT_TYPES = { json: 'application/json', form: 'application/x-www-form-urlencoded' } as const;

/** Each driver is one config version of a gateway: its Lua scope, shared with no other. */
let instances = 0;

/** `config` with every secret field masked, for building previews (templates then encode the mask, never a secret). */
function maskedConfig(config: CustomGatewayConfig): CustomGatewayConfig {
  const out: CustomGatewayConfig = {
    ...config,
    url: maskUrlCredentials(config.url),
    secrets: Object.fromEntries(Object.keys(config.secrets ?? {}).map((k) => [k, MASK])),
  };
  if (config.customHeaderValue !== undefined) out.customHeaderValue = MASK;
  if (config.headers) out.headers = config.headers.map((h) => ({ name: h.name, value: MASK }));
  return out;
}

/** A custom HTTP gateway: placeholders in url, payload and header values, or a Lua script. */
export function createCustomGateway(config: CustomGatewayConfig, lua: LuaAccess): GatewayDriver {
  // Templates in header values (`Bearer %SECRET:key%`) are not secrets themselves: `secrets` are.
  const masker = createSecretMasker(secretValuesOf(config).filter((v) => !v.includes('%')));
  const masked = maskedConfig(config);
  // Shows the mask as the mask where a template encoded it (`%2A%2A%2A%2A` in a query string).
  const previewMasker = masker.with([{ value: MASK }]);
  const marker = config.successResponse === undefined ? undefined : successMatcher(config.successResponse);
  const script = config.useLuaScript ? config.luaScript : undefined;
  const scope = `${config.id}#${++instances}`;
  let hooks: Promise<{ build: boolean; parse: boolean; balance: boolean }> | undefined;

  const luaHooks = async () => {
    if (script === undefined) return { build: false, parse: false, balance: false };
    hooks ??= lua.runner().then((r) => r.inspect(script, { scope }));
    try {
      return await hooks;
    } catch (e) {
      hooks = undefined;
      throw e;
    }
  };

  // The router races every call against the attempt's timeout and aborts it then; the Lua
  // deadline bounds the CPU.
  const limits = (signal: AbortSignal | undefined) =>
    signal ? { deadlineMs: lua.deadlineMs, scope, signal } : { deadlineMs: lua.deadlineMs, scope };

  const operatorHeaders = (cfg: CustomGatewayConfig, values: PlaceholderValues): Record<string, string> => {
    const headers: Record<string, string> = {};
    if (cfg.customHeaderName !== undefined && cfg.customHeaderValue !== undefined) {
      headers[cfg.customHeaderName] = substitute(cfg.customHeaderValue, values, 'header');
    }
    for (const h of cfg.headers ?? []) headers[h.name] = substitute(h.value, values, 'header');
    return headers;
  };

  const valuesFor = (cfg: CustomGatewayConfig, sms: OutgoingSms, text: string): PlaceholderValues => ({
    to: sms.to,
    message: text,
    location: sms.sender ?? cfg.from ?? '',
    from: cfg.from ?? '',
    id: sms.id,
    secrets: cfg.secrets ?? {},
  });

  const withQuery = (url: string, query: string) =>
    query === '' ? url : `${url}${url.includes('?') ? (/[?&]$/.test(url) ? '' : '&') : '?'}${query}`;

  const templateRequest = (
    cfg: CustomGatewayConfig,
    values: PlaceholderValues,
    payloadOverride?: string,
  ): HttpRequest => {
    const url = substitute(cfg.url, values, 'url');
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, ...operatorHeaders(cfg, values) };
    if (cfg.method === 'GET') {
      const query = payloadOverride ?? substitute(cfg.payload, values, 'form');
      return { method: 'GET', url: withQuery(url, query.replace(/^[?&]/, '')), headers };
    }
    const body = payloadOverride ?? substitute(cfg.payload, values, cfg.contentType);
    if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = CONTENT_TYPES[cfg.contentType];
    return { method: 'POST', url, headers, body };
  };

  const luaContext = (config: CustomGatewayConfig, sms: OutgoingSms, values: PlaceholderValues): LuaBuildContext => ({
    to: values.to,
    to_digits: values.to.replace(/^\+/, ''),
    message: values.message,
    location: values.location,
    from: values.from,
    id: sms.id,
    now: Math.floor(lua.now().getTime() / 1000),
    gateway: {
      id: config.id,
      name: config.name ?? config.id,
      url: config.url,
      method: config.method,
      contentType: config.contentType,
      payload: config.payload,
      from: config.from ?? '',
      customHeaderName: config.customHeaderName ?? '',
      customHeaderValue: config.customHeaderValue ?? '',
      headers: (config.headers ?? []).map((h) => ({ name: h.name, value: h.value })),
      timeoutMs: config.timeoutMs,
      verifySsl: config.verifySsl,
      secrets: { ...(config.secrets ?? {}) },
    },
  });

  /** The request for `sms` from `cfg` (the real config, or the masked one for previews). */
  const compose = async (cfg: CustomGatewayConfig, sms: OutgoingSms, text: string, signal?: AbortSignal) => {
    const values = valuesFor(cfg, sms, text);
    if (script === undefined || !(await luaHooks()).build) return liftUrlCredentials(templateRequest(cfg, values));
    const runner = await lua.runner();
    const built = await runner.build(script, luaContext(cfg, sms, values), limits(signal));
    if (built.kind === 'payload') return liftUrlCredentials(templateRequest(cfg, values, built.body));
    const method = (built.method ?? cfg.method).toUpperCase();
    const headers: Record<string, string> = {
      'User-Agent': USER_AGENT,
      ...operatorHeaders(cfg, values),
      ...built.headers,
    };
    const request: HttpRequest = { method, url: built.url ?? substitute(cfg.url, values, 'url'), headers };
    if (method === 'GET' || method === 'HEAD') {
      if (built.url === undefined && built.body) request.url = withQuery(request.url, built.body);
    } else {
      request.body = built.body ?? '';
      if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = CONTENT_TYPES[cfg.contentType];
    }
    return liftUrlCredentials(request);
  };

  const luaResponse = (response: HttpResponse): LuaResponse => ({
    status: response.status,
    headers: response.headers,
    body: response.body,
  });

  return {
    config,
    masker,

    buildRequest(sms, signal) {
      return compose(config, sms, sms.text, signal);
    },

    async preview(sms, signal) {
      return previewRequest(await compose(masked, sms, sms.logText ?? sms.text, signal), previewMasker);
    },

    async interpret(response, signal): Promise<GatewayVerdict> {
      if (script !== undefined && (await luaHooks()).parse) {
        const runner = await lua.runner();
        const parsed = await runner.parse(script, luaResponse(response), limits(signal));
        if (parsed !== null) {
          if (parsed.ok) return parsed.id ? { outcome: 'sent', providerMessageId: parsed.id } : { outcome: 'sent' };
          return { outcome: 'rejected', error: `parse(res) said not ok${parsed.error ? `: ${parsed.error}` : ''}` };
        }
      }
      if (response.status < 200 || response.status > 299) {
        return { outcome: 'rejected', error: `HTTP ${response.status}` };
      }
      if (marker && !marker.test(response.body)) {
        return { outcome: 'rejected', error: `HTTP ${response.status} without the success marker ${marker.describe}` };
      }
      return { outcome: 'sent' };
    },

    balanceRequest() {
      if (!config.balance) return null;
      const values: PlaceholderValues = {
        to: '',
        message: '',
        location: config.from ?? '',
        from: config.from ?? '',
        id: '',
        secrets: config.secrets ?? {},
      };
      const headers: Record<string, string> = { 'User-Agent': USER_AGENT, ...operatorHeaders(config, values) };
      const request: HttpRequest = {
        method: config.balance.method,
        url: substitute(config.balance.url, values, 'url'),
        headers,
      };
      if (config.balance.method === 'POST') request.body = '';
      return liftUrlCredentials(request);
    },

    async readBalance(response, signal): Promise<BalanceReading> {
      const currency = config.balance?.currency;
      if (script !== undefined && (await luaHooks()).balance) {
        const runner = await lua.runner();
        const amount = await runner.balance(script, luaResponse(response), limits(signal));
        if (amount !== null) return currency === undefined ? { amount } : { amount, currency };
      }
      if (response.status < 200 || response.status > 299) {
        throw new SmsError('BALANCE_UNAVAILABLE', `balance request answered HTTP ${response.status}`, {
          gatewayId: config.id,
        });
      }
      const read = readAmount(response.body, config.balance?.jsonPath);
      if ('reason' in read) throw new SmsError('BALANCE_UNAVAILABLE', read.reason, { gatewayId: config.id });
      return currency === undefined ? { amount: read.amount } : { amount: read.amount, currency };
    },
  };
}

function successMatcher(value: string): { test(body: string): boolean; describe: string } {
  const regex = parseRegexLiteral(value);
  if (regex) return { test: (body) => regex.test(body), describe: String(regex) };
  return { test: (body) => body.includes(value), describe: JSON.stringify(value) };
}
