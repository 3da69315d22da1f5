import type { z } from 'zod';
import { GATEWAY_SCHEMAS } from './gateway-config.js';
import { type SecretKind, secretRegistry } from './secret-field.js';

/** What a gateway config view shows instead of a secret (and what an update may send back unchanged). */
export const SECRET_MASK = '********';

/** One secret field: its path from the config's root (`*` any record key, `[]` any array item) and kind. */
export interface SecretFieldPath {
  path: readonly string[];
  kind: SecretKind;
}

/** One secret field present in a config, with its value. */
export interface SecretFieldValue {
  /** e.g. `apiSecret`, `secrets.api_key`, `headers[1].value`. */
  path: string;
  kind: SecretKind;
  value: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
}

function walk(schema: z.ZodType, path: string[], out: SecretFieldPath[]): void {
  const mark = secretRegistry.get(schema);
  if (mark) {
    out.push({ path, kind: mark.secret });
    return;
  }
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (def.shape) for (const [key, field] of Object.entries(def.shape)) walk(field, [...path, key], out);
  else if (def.innerType) walk(def.innerType, path, out);
  else if (def.type === 'array' && def.element) walk(def.element, [...path, '[]'], out);
  else if (def.type === 'record' && def.valueType) walk(def.valueType, [...path, '*'], out);
  else if (def.type === 'pipe' && def.in) walk(def.in, path, out);
}

const PATHS: Record<string, SecretFieldPath[]> = Object.fromEntries(
  Object.entries(GATEWAY_SCHEMAS).map(([type, schema]) => {
    const out: SecretFieldPath[] = [];
    walk(schema, [], out);
    return [type, out];
  }),
);

/**
 * The secret fields of a gateway type, as the config schema declares them: Twilio's `apiSecret`
 * and `authToken`, a custom gateway's `secrets.*`, `customHeaderValue` and `headers[].value`,
 * and the `user:password@` part of every URL field.
 */
export function gatewaySecretFields(type: 'twilio' | 'custom'): readonly SecretFieldPath[] {
  return PATHS[type] ?? [];
}

const URL_CREDENTIALS = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@]*)@/;

function visit(
  value: unknown,
  path: readonly string[],
  at: string,
  fn: (value: string, at: string) => string | undefined,
): unknown {
  if (path.length === 0) {
    if (typeof value !== 'string') return value;
    return fn(value, at) ?? value;
  }
  const [head, ...rest] = path;
  if (head === '[]') {
    if (!Array.isArray(value)) return value;
    return value.map((item, i) => visit(item, rest, `${at}[${i}]`, fn));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const keys = head === '*' ? Object.keys(record) : Object.hasOwn(record, head!) ? [head!] : [];
  if (keys.length === 0) return value;
  const copy: Record<string, unknown> = { ...record };
  for (const key of keys) copy[key] = visit(record[key], rest, at === '' ? key : `${at}.${key}`, fn);
  return copy;
}

function fieldsOf(config: unknown): readonly SecretFieldPath[] {
  const type = (config as { type?: unknown } | null)?.type;
  return type === 'twilio' || type === 'custom' ? gatewaySecretFields(type) : [];
}

/** The `user` and `password` of a URL's `user:password@`, raw and percent-decoded. */
function urlCredentials(url: string): string[] {
  const userinfo = URL_CREDENTIALS.exec(url)?.[2];
  if (!userinfo) return [];
  const out: string[] = [];
  for (const part of userinfo.split(':')) {
    if (part === '') continue;
    out.push(part);
    try {
      const decoded = decodeURIComponent(part);
      if (decoded !== part) out.push(decoded);
    } catch {
      // Not percent-encoded text: the raw form is enough.
    }
  }
  return out;
}

/**
 * The secret fields a gateway config holds, with their values (for maskers): every field the
 * schema marks secret, and for URL fields the `user:password@` credentials (raw and decoded).
 */
export function secretFieldsOf(config: unknown): SecretFieldValue[] {
  const out: SecretFieldValue[] = [];
  for (const field of fieldsOf(config)) {
    visit(config, field.path, '', (value, at) => {
      if (field.kind === 'value') {
        if (value !== '') out.push({ path: at, kind: field.kind, value });
      } else {
        for (const part of urlCredentials(value)) out.push({ path: at, kind: field.kind, value: part });
      }
      return undefined;
    });
  }
  return out;
}

/** The secret values of a gateway config (for a masker). */
export function secretValuesOf(config: unknown): string[] {
  return [...new Set(secretFieldsOf(config).map((f) => f.value))];
}

/** `url` with its `user:password@` replaced by `********:********@` (a URL without credentials unchanged). */
export function maskUrlCredentials(url: string): string {
  return url.replace(URL_CREDENTIALS, (_all, scheme: string, userinfo: string) => {
    const masked = userinfo.includes(':') ? `${SECRET_MASK}:${SECRET_MASK}` : SECRET_MASK;
    return `${scheme}${masked}@`;
  });
}

/**
 * A gateway config as it may be shown (admin views, settings reads, audit diffs): each secret
 * value replaced by {@link SECRET_MASK}, `user:password@` in URLs by `********:********@`.
 * Accepts a validated config or the raw JSON an admin UI stores; returns a copy.
 *
 * @example
 * ```ts
 * maskGatewayConfig({ id: 'tw', type: 'twilio', apiSecret: 's3cret', ... }).apiSecret // '********'
 * ```
 */
export function maskGatewayConfig<T>(config: T): T {
  let out: unknown = config;
  for (const field of fieldsOf(config)) {
    out = visit(out, field.path, '', (value) => {
      if (field.kind === 'value') return value === '' ? value : SECRET_MASK;
      return maskUrlCredentials(value);
    });
  }
  return out as T;
}
