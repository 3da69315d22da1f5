import type { SmsAttempt, SmsRequestPreview } from '@hotspot-kit/core';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { HttpRequest, HttpResponse } from '../http/http-transport.js';
import { MASK, type SecretMasker } from '../secrets/secret-masker.js';

/** What a gateway needs to know about one message. */
export interface OutgoingSms {
  /** The SMS log entry's id (`%ID%`). */
  id: string;
  /** E.164 with `+`. */
  to: string;
  text: string;
  /** What logs and previews show instead of `text` (OTP codes masked); defaults to `text`. */
  logText?: string;
  /** The location's sender id (`%LOCATION%`). */
  sender?: string;
}

/** How a gateway read a provider's answer. */
export interface GatewayVerdict {
  outcome: 'sent' | 'rejected';
  providerMessageId?: string;
  providerError?: SmsAttempt['providerError'];
  /** Why it was rejected; masked by the caller. */
  error?: string;
}

/** A balance as a gateway read it. */
export interface BalanceReading {
  amount: number;
  currency?: string;
}

/**
 * One configured gateway, ready to send: it turns a message into an HTTP request and the
 * provider's answer into a verdict. The router owns timing, failover and logging.
 */
export interface GatewayDriver {
  readonly config: GatewayConfig;
  /** Masks this gateway's secrets (apiSecret, `secrets`, header values) wherever they appear. */
  readonly masker: SecretMasker;
  /** `signal` gives up the work (the attempt timed out): a Lua call still queued is dropped. */
  buildRequest(sms: OutgoingSms, signal?: AbortSignal): Promise<HttpRequest>;
  /**
   * The request as it may be shown or stored, built from masked inputs: the message's `logText`
   * and every secret field replaced by the mask before any encoding (a Lua script runs `build()`
   * with such a ctx), so no code or secret reaches it in any encoding. Rejects when the build
   * fails with those inputs.
   */
  preview(sms: OutgoingSms, signal?: AbortSignal): Promise<SmsRequestPreview>;
  interpret(response: HttpResponse, signal?: AbortSignal): Promise<GatewayVerdict>;
  /** The request that reads the balance, or `null` when this gateway has no balance settings. */
  balanceRequest(): HttpRequest | null;
  readBalance(response: HttpResponse, signal?: AbortSignal): Promise<BalanceReading>;
}

/** Header names whose values are shown in previews; every other operator-set header is masked whole. */
const SHOWN_HEADERS = new Set(['content-type', 'accept', 'user-agent', 'content-language', 'accept-language']);

/** `request` as it may be shown or logged: secret values masked, credential headers hidden whole. */
export function previewRequest(request: HttpRequest, masker: SecretMasker): SmsRequestPreview {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = SHOWN_HEADERS.has(name.toLowerCase()) ? masker.mask(value) : MASK;
  }
  const preview: SmsRequestPreview = { method: request.method, url: masker.mask(request.url), headers };
  if (request.body !== undefined) preview.body = masker.mask(request.body);
  return preview;
}

/** A preview that shows only the method and the origin: what is stored when the masked build fails. */
export function barePreview(request: HttpRequest): SmsRequestPreview {
  let origin = '';
  try {
    origin = new URL(request.url).origin;
  } catch {
    // Not a URL: nothing of it is shown.
  }
  return { method: request.method, url: origin, headers: {} };
}

/**
 * The preview an attempt stores for `request`: the driver's masked build of the same message, or
 * the bare method and origin when that build fails.
 */
export async function attemptPreview(
  driver: GatewayDriver,
  sms: OutgoingSms,
  request: HttpRequest,
  signal?: AbortSignal,
): Promise<SmsRequestPreview> {
  try {
    return await driver.preview(sms, signal);
  } catch {
    return barePreview(request);
  }
}

/** A provider's answer as it may be shown: secrets masked in the body and in every header value. */
export function maskedResponse(response: HttpResponse, masker: SecretMasker): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name] = masker.mask(value);
  return { status: response.status, headers, body: masker.mask(response.body) };
}

/** The library's User-Agent on provider requests. */
export const USER_AGENT = 'hotspot-kit-sms/0.1';

/**
 * Moves `user:password@` out of a URL into an HTTP Basic `Authorization` header (fetch refuses
 * credentials in URLs), unless the request sets one already.
 */
export function liftUrlCredentials(request: HttpRequest): HttpRequest {
  if (!request.url.includes('@')) return request;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return request;
  }
  if (url.username === '' && url.password === '') return request;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const headers = { ...request.headers };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
    headers.Authorization = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
  }
  return { ...request, url: url.toString(), headers };
}

/** Whether `headers` sets `name` (case-insensitive). */
export function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((h) => h.toLowerCase() === lower);
}

/** The first `max` characters of a response body, for the log. */
export function snippet(body: string, max = 500): string {
  return body.length > max ? `${body.slice(0, max)}…` : body;
}

/** The first `max` characters of a response body with secrets masked first, so none straddles the cut. */
export function maskedSnippet(body: string, masker: SecretMasker, max = 500): string {
  return snippet(masker.mask(body), max);
}
