import { z } from 'zod';
import { SmsError } from '../errors.js';
import { type PlaceholderValues, referencedSecrets, substitute } from '../template/placeholders.js';
import { secretField } from './secret-field.js';

// Gateway configs are plain JSON an admin UI stores; the field names follow the operator's
// configuration form (docs/gateways.md) and must not be renamed. Secret fields are marked
// here with `secretField` and nowhere else: every masker, preview and admin view reads the marks.

const DEFAULT_TIMEOUT_MS = 10_000;

/** Sample values used to check templates when a config is loaded: every character class that must survive. */
const SAMPLE: PlaceholderValues = {
  to: '+14155550100',
  message: 'He said "hi" \\ 100% & <ok>\nПривет 👋',
  location: 'Cafe "WiFi"',
  from: 'HotspotKit',
  id: '00000000-0000-4000-8000-000000000000',
  secrets: {},
};

const HTTP_URL_MESSAGE = 'must be an http:// or https:// URL';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const httpUrl = z.string().trim().min(1).refine(isHttpUrl, { message: HTTP_URL_MESSAGE });
const headerName = z
  .string()
  .trim()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { message: 'must be an HTTP header name (letters, digits, - and _)' });

const balanceCheckSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** How often the balance monitor checks, in minutes. */
  everyMinutes: z
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(60),
  /** A balance below this is low. */
  threshold: z.number(),
  /** Who the host should notify (it sends the e-mail on `sms.balance.low`). */
  email: z.email().optional(),
  /** Record a dashboard alert (`store.alerts`) when low. */
  dashboard: z.boolean().default(true),
});

const baseFields = {
  id: z.string().trim().min(1, { message: 'must not be empty' }),
  name: z.string().trim().min(1).optional(),
  enabled: z.boolean().default(true),
  /** Location ids this gateway serves; none or empty: every location. */
  locations: z.array(z.string().min(1)).optional(),
  from: z.string().optional(),
  timeoutMs: z.number().int().min(1).max(300_000).default(DEFAULT_TIMEOUT_MS),
  balanceCheck: balanceCheckSchema.optional(),
};

const twilioSchema = z.strictObject({
  ...baseFields,
  type: z.literal('twilio'),
  accountSid: z.string().trim().min(1, { message: 'must not be empty (your Twilio Account SID, AC...)' }),
  /** An API key SID (SK...) or the Account SID. */
  apiKey: z.string().trim().min(1, { message: 'must not be empty (an API key SID, or the Account SID)' }),
  /** The API key's secret, or the Auth Token when `apiKey` is the Account SID. */
  apiSecret: secretField(z.string().min(1, { message: 'must not be empty' })),
  /** Verifies status callback signatures; defaults to `apiSecret` (right when `apiKey` is the Account SID). */
  authToken: secretField(z.string().min(1)).optional(),
  messagingServiceSid: z.string().trim().min(1).optional(),
  statusCallbackUrl: secretField(httpUrl, 'url-credentials').optional(),
  baseUrl: secretField(httpUrl, 'url-credentials').optional(),
});

const balanceSchema = z.strictObject({
  url: secretField(z.string().trim().min(1), 'url-credentials'),
  method: z.enum(['GET', 'POST']).default('GET'),
  /** Where the amount is in a JSON answer, e.g. `data.balance` or `$.accounts[0].amount`. */
  jsonPath: z.string().trim().min(1).optional(),
  /** Currency to report when the answer does not say. */
  currency: z.string().trim().min(1).optional(),
});

const customSchema = z.strictObject({
  ...baseFields,
  type: z.literal('custom'),
  url: secretField(z.string().trim().min(1, { message: 'must not be empty' }), 'url-credentials'),
  method: z.enum(['GET', 'POST'], { message: "must be 'GET' or 'POST'" }).default('POST'),
  contentType: z.enum(['json', 'form'], { message: "must be 'json' or 'form'" }).default('form'),
  payload: z.string().default(''),
  useLuaScript: z.boolean().default(false),
  luaScript: z.string().optional(),
  verifySsl: z.boolean().default(true),
  /** Success marker in the response body: a substring, or `/regex/flags`. */
  successResponse: z.string().optional(),
  customHeaderName: headerName.optional(),
  customHeaderValue: secretField(z.string()).optional(),
  headers: z.array(z.strictObject({ name: headerName, value: secretField(z.string()) })).optional(),
  secrets: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), secretField(z.string())).optional(),
  balance: balanceSchema.optional(),
});

const gatewaySchema = z.discriminatedUnion('type', [twilioSchema, customSchema]);

/** The schema of each gateway type (read for its secret fields). */
export const GATEWAY_SCHEMAS = { twilio: twilioSchema, custom: customSchema } as const;

/** A Twilio gateway, validated, defaults applied. */
export type TwilioGatewayConfig = z.output<typeof twilioSchema>;
/** A custom HTTP gateway, validated, defaults applied. */
export type CustomGatewayConfig = z.output<typeof customSchema>;
/** A validated gateway config (what the router runs with). */
export type GatewayConfig = TwilioGatewayConfig | CustomGatewayConfig;
/** A gateway config as an admin UI stores it (defaults not applied yet). */
export type GatewayConfigInput = z.input<typeof gatewaySchema>;
/** `balanceCheck` settings of a gateway. */
export type BalanceCheckConfig = z.output<typeof balanceCheckSchema>;

/**
 * Where the router gets its gateway configs from when they live elsewhere (a database row an
 * admin UI edits). `load` is called when the router first needs them and on `router.reload()`;
 * `subscribe`, when present, lets the source tell the router to reload.
 */
export interface GatewayConfigSource {
  load(): Promise<readonly unknown[]> | readonly unknown[];
  subscribe?(onChange: () => void): () => void;
}

/** A regular expression written `/.../flags`, or `null` for a plain substring. */
export function parseRegexLiteral(value: string): RegExp | null {
  const m = /^\/(.+)\/([dgimsuvy]*)$/s.exec(value);
  if (!m) return null;
  return new RegExp(m[1] as string, (m[2] as string).replace(/[gy]/g, ''));
}

function checkCustom(config: CustomGatewayConfig, issue: (path: string, message: string) => void): void {
  const secrets = config.secrets ?? {};
  const templates: [string, string][] = [
    ['url', config.url],
    ['payload', config.payload],
  ];
  if (config.customHeaderValue !== undefined) templates.push(['customHeaderValue', config.customHeaderValue]);
  config.headers?.forEach((h, i) => {
    templates.push([`headers[${i}].value`, h.value]);
  });
  if (config.balance) templates.push(['balance.url', config.balance.url]);
  for (const [path, template] of templates) {
    for (const name of referencedSecrets(template)) {
      if (!(name in secrets)) issue(path, `refers to %SECRET:${name}% but secrets has no "${name}"`);
    }
  }
  // Unknown secret names are reported above; give them a sample value so the checks below run.
  const sampleSecrets: Record<string, string> = {};
  for (const [, template] of templates) for (const name of referencedSecrets(template)) sampleSecrets[name] = 'x';
  const values: PlaceholderValues = { ...SAMPLE, secrets: sampleSecrets };
  const url = substitute(config.url, values, 'url');
  if (!isHttpUrl(url)) issue('url', `${HTTP_URL_MESSAGE} (after placeholder substitution)`);
  if (config.balance && !isHttpUrl(substitute(config.balance.url, values, 'url'))) {
    issue('balance.url', HTTP_URL_MESSAGE);
  }
  if (config.method === 'GET' && config.contentType === 'json') {
    issue(
      'contentType',
      "'json' cannot be sent with method 'GET' (a GET has no body): use contentType 'form', whose payload is appended to the query string, or method 'POST'",
    );
  }
  if (config.useLuaScript && (config.luaScript === undefined || config.luaScript.trim() === '')) {
    issue('luaScript', 'must not be empty when useLuaScript is true');
  }
  if (config.contentType === 'json' && config.payload.trim() !== '' && !config.useLuaScript) {
    const body = substitute(config.payload, values, 'json');
    try {
      JSON.parse(body);
    } catch (e) {
      issue(
        'payload',
        `is not valid JSON after placeholder substitution (${(e as Error).message}); placeholders are JSON-escaped text, so put them inside quotes, e.g. "text": "%MESSAGE%"`,
      );
    }
  }
  if (config.successResponse !== undefined) {
    try {
      parseRegexLiteral(config.successResponse);
    } catch (e) {
      issue('successResponse', `is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  if ((config.customHeaderName === undefined) !== (config.customHeaderValue === undefined)) {
    issue(
      config.customHeaderName === undefined ? 'customHeaderName' : 'customHeaderValue',
      'customHeaderName and customHeaderValue go together',
    );
  }
}

function checkTwilio(config: TwilioGatewayConfig, issue: (path: string, message: string) => void): void {
  if (config.from === undefined && config.messagingServiceSid === undefined) {
    issue('from', 'a Twilio gateway needs from (a Twilio number or sender id) or messagingServiceSid');
  }
}

function formatPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = prefix;
  for (const part of path)
    out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out === '' ? '(root)' : out;
}

function zodIssues(error: z.ZodError, prefix: string): { path: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath(prefix, [...issue.path, key]), message: 'unknown field' }));
    }
    if (issue.code === 'invalid_union' && issue.path[issue.path.length - 1] === 'type') {
      return [{ path: formatPath(prefix, issue.path), message: `unknown gateway type: expected 'twilio' or 'custom'` }];
    }
    return [{ path: formatPath(prefix, issue.path), message: issue.message }];
  });
}

function invalid(issues: { path: string; message: string }[], gatewayId?: string): SmsError {
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new SmsError('INVALID_GATEWAY_CONFIG', `Invalid gateway config: ${summary}`, {
    issues,
    ...(gatewayId === undefined ? {} : { gatewayId }),
  });
}

function parseOne(
  value: unknown,
  prefix: string,
): { config?: GatewayConfig; issues: { path: string; message: string }[] } {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const type = (value as { type?: unknown }).type;
    if (type !== 'twilio' && type !== 'custom') {
      const got = type === undefined ? 'is required' : `unknown gateway type ${JSON.stringify(type)}`;
      return { issues: [{ path: formatPath(prefix, ['type']), message: `${got}: expected 'twilio' or 'custom'` }] };
    }
  }
  const result = gatewaySchema.safeParse(value);
  if (!result.success) return { issues: zodIssues(result.error, prefix) };
  const issues: { path: string; message: string }[] = [];
  const issue = (path: string, message: string) => issues.push({ path: formatPath(prefix, path.split('.')), message });
  if (result.data.type === 'custom') checkCustom(result.data, issue);
  else checkTwilio(result.data, issue);
  return issues.length > 0 ? { issues } : { config: result.data, issues };
}

/**
 * Validates one gateway config (plain JSON, e.g. from an admin UI) and applies defaults.
 * Throws an {@link SmsError} `INVALID_GATEWAY_CONFIG` whose `issues` name each bad field and why.
 *
 * @example
 * ```ts
 * const gw = parseGatewayConfig({ id: 'sms-ru', type: 'custom', method: 'GET', contentType: 'form',
 *   url: 'https://sms.ru/sms/send', payload: 'api_id=%SECRET:key%&to=%TO_DIGITS%&msg=%MESSAGE%&json=1',
 *   secrets: { key: process.env.SMSRU_KEY! } })
 * ```
 */
export function parseGatewayConfig(value: unknown): GatewayConfig {
  const { config, issues } = parseOne(value, '');
  if (!config) throw invalid(issues, gatewayIdOf(value));
  return config;
}

/**
 * Validates a list of gateway configs (array order is the priority); ids must be unique.
 * Issue paths start with the index, e.g. `[1].contentType`.
 */
export function parseGatewayConfigs(values: unknown): GatewayConfig[] {
  if (!Array.isArray(values)) throw invalid([{ path: '(root)', message: 'gateways must be an array of configs' }]);
  const out: GatewayConfig[] = [];
  const issues: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  values.forEach((value, i) => {
    const parsed = parseOne(value, `[${i}]`);
    issues.push(...parsed.issues);
    if (!parsed.config) return;
    if (seen.has(parsed.config.id))
      issues.push({ path: `[${i}].id`, message: `duplicate gateway id "${parsed.config.id}"` });
    seen.add(parsed.config.id);
    out.push(parsed.config);
  });
  if (issues.length > 0) throw invalid(issues);
  return out;
}

function gatewayIdOf(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** A gateway's display name (`name`, else `id`). */
export function gatewayName(config: GatewayConfig): string {
  return config.name ?? config.id;
}

/** Whether `config` may send for `locationId` (no `locations`, or an empty list: every location). */
export function servesLocation(config: GatewayConfig, locationId: string | undefined): boolean {
  if (config.locations === undefined || config.locations.length === 0) return true;
  return locationId !== undefined && config.locations.includes(locationId);
}
