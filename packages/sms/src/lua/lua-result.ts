// What a script's hooks returned, checked and shaped for the gateway: a bad value is a
// LUA_ERROR that says what the hook should return.
import { SmsError } from '../errors.js';
import type { LuaBuildResult, LuaParseResult } from './lua-hook-runner.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BUILD_FIELDS = new Set(['url', 'method', 'headers', 'body']);

function invalid(message: string): SmsError {
  return new SmsError('LUA_ERROR', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** `build(ctx)`'s value as a payload or a request. */
export function toBuildResult(value: unknown): LuaBuildResult {
  const shape = 'return a payload string or a table { url?, method?, headers?, body }';
  if (typeof value === 'string') return { kind: 'payload', body: value };
  if (value === undefined || value === null) throw invalid(`Lua build() returned nothing; ${shape}`);
  if (!isRecord(value)) {
    throw invalid(`Lua build() returned ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}; ${shape}`);
  }
  for (const key of Object.keys(value)) {
    if (!BUILD_FIELDS.has(key)) throw invalid(`Lua build() returned an unknown field '${key}'; ${shape}`);
  }
  const out: Extract<LuaBuildResult, { kind: 'request' }> = { kind: 'request' };
  if (value.url !== undefined && value.url !== null) {
    if (typeof value.url !== 'string') throw invalid('Lua build() returned url that is not a string');
    let protocol: string;
    try {
      protocol = new URL(value.url).protocol;
    } catch {
      throw invalid(`Lua build() returned url that is not a valid URL: ${value.url.slice(0, 200)}`);
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw invalid(`Lua build() returned a ${protocol} url; only http and https are allowed`);
    }
    out.url = value.url;
  }
  if (value.method !== undefined && value.method !== null) {
    if (typeof value.method !== 'string' || !/^[A-Za-z]{1,16}$/.test(value.method)) {
      throw invalid('Lua build() returned method that is not an HTTP method name');
    }
    out.method = value.method.toUpperCase();
  }
  if (value.headers !== undefined && value.headers !== null) {
    if (!isRecord(value.headers)) throw invalid('Lua build() returned headers that is not a table of name = value');
    const headers: Record<string, string> = {};
    for (const [name, raw] of Object.entries(value.headers)) {
      const text = scalarText(raw);
      if (!HEADER_NAME.test(name)) throw invalid(`Lua build() returned an invalid header name '${name.slice(0, 100)}'`);
      if (text === undefined) throw invalid(`Lua build() returned header '${name}' that is not a string`);
      if (/[\r\n\0]/.test(text)) throw invalid(`Lua build() returned header '${name}' with a line break or NUL`);
      headers[name] = text;
    }
    out.headers = headers;
  }
  if (value.body !== undefined && value.body !== null) {
    const body = scalarText(value.body);
    if (body === undefined) {
      throw invalid('Lua build() returned body that is not a string (encode tables with json.encode)');
    }
    out.body = body;
  }
  return out;
}

/** `parse(res)`'s value as a verdict. */
export function toParseResult(value: unknown): LuaParseResult {
  if (typeof value === 'boolean') return { ok: value };
  if (!isRecord(value) || typeof value.ok !== 'boolean') {
    throw invalid('Lua parse() must return a table { ok = true|false, id?, error? }');
  }
  const out: LuaParseResult = { ok: value.ok };
  const id = scalarText(value.id);
  if (id !== undefined && id !== '') out.id = id;
  const error = scalarText(value.error);
  if (error !== undefined && error !== '') out.error = error;
  return out;
}

/** `balance(res)`'s value as a number. */
export function toBalance(value: unknown): number {
  const amount = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    throw invalid(`Lua balance() must return a number, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  return amount;
}
