import type { SmsAttempt, SmsRequestPreview } from '@hotspot-kit/core';
import { isSmsError } from '../errors.js';
import {
  attemptPreview,
  barePreview,
  type GatewayDriver,
  type GatewayVerdict,
  maskedSnippet,
  type OutgoingSms,
} from '../gateways/gateway-driver.js';
import {
  describeNetworkError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from '../http/http-transport.js';
import type { SecretMasker } from '../secrets/secret-masker.js';

/** One attempt as the router records it, plus what was sent and received (for testSend). */
export interface AttemptResult {
  attempt: SmsAttempt;
  request?: HttpRequest;
  response?: HttpResponse;
}

const TIMED_OUT = Symbol('timed out');

/** The transport pool of a gateway: a new pool when `verifySsl` changes. */
export function poolKey(driver: GatewayDriver): string {
  const verify = driver.config.type === 'custom' ? driver.config.verifySsl : true;
  return `${driver.config.id}\u0000${verify ? 'verify' : 'insecure'}`;
}

/**
 * Tries one gateway once, never longer than its `timeoutMs` (building the request, Lua hooks,
 * the HTTP exchange and reading the answer all count), and never throws: every way it can end
 * is an attempt with an outcome.
 */
export async function runAttempt(
  driver: GatewayDriver,
  sms: OutgoingSms,
  masker: SecretMasker,
  transport: HttpTransport,
  now: () => Date,
): Promise<AttemptResult> {
  const { config } = driver;
  const startedAt = now();
  const t0 = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  let rejectDeadline: (reason: unknown) => void = () => {};
  const deadline = new Promise<never>((_, reject) => {
    rejectDeadline = reject;
  });
  deadline.catch(() => {});
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
    rejectDeadline(TIMED_OUT);
  }, config.timeoutMs);
  const race = <T>(p: Promise<T>) => Promise.race([p, deadline]);

  const base = (): SmsAttempt => {
    const attempt: SmsAttempt = {
      gatewayId: config.id,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      outcome: 'error',
    };
    if (config.name !== undefined) attempt.gatewayName = config.name;
    return attempt;
  };

  let request: HttpRequest | undefined;
  let response: HttpResponse | undefined;
  let preview: Promise<SmsRequestPreview> | undefined;
  // The stored request is built from masked inputs, never from the request that was sent.
  const storedPreview = async (sent: HttpRequest): Promise<SmsRequestPreview> => {
    if (timedOut || !preview) return barePreview(sent);
    try {
      return await race(preview);
    } catch {
      return barePreview(sent);
    }
  };
  try {
    request = await race(driver.buildRequest(sms, controller.signal));
    preview = attemptPreview(driver, sms, request, controller.signal);
    response = await race(
      transport.send(request, { poolKey: poolKey(driver), verifySsl: verifyOf(driver), signal: controller.signal }),
    );
    const verdict: GatewayVerdict = await race(driver.interpret(response, controller.signal));
    const attempt = base();
    attempt.outcome = verdict.outcome;
    attempt.httpStatus = response.status;
    if (response.body !== '') attempt.responseSnippet = maskedSnippet(response.body, masker);
    if (verdict.providerMessageId !== undefined) attempt.providerMessageId = verdict.providerMessageId;
    if (verdict.providerError !== undefined) attempt.providerError = maskProviderError(verdict.providerError, masker);
    if (verdict.error !== undefined) attempt.error = masker.mask(verdict.error);
    attempt.request = await storedPreview(request);
    return { attempt, request, response };
  } catch (error) {
    const attempt = base();
    if (request) attempt.request = await storedPreview(request);
    if (response) {
      attempt.httpStatus = response.status;
      if (response.body !== '') attempt.responseSnippet = maskedSnippet(response.body, masker);
    }
    if (timedOut) {
      attempt.outcome = 'timeout';
      attempt.error =
        request === undefined
          ? `request not built within ${config.timeoutMs} ms (nothing was sent)`
          : `no answer within ${config.timeoutMs} ms; the gateway may have sent the message`;
    } else if (isSmsError(error)) {
      attempt.outcome = 'error';
      attempt.error = masker.mask(error.message);
    } else {
      attempt.outcome = 'error';
      attempt.error = masker.mask(
        request === undefined
          ? `could not build the request: ${describeNetworkError(error)}`
          : describeNetworkError(error),
      );
    }
    const result: AttemptResult = { attempt };
    if (request) result.request = request;
    if (response) result.response = response;
    return result;
  } finally {
    clearTimeout(timer);
  }
}

function verifyOf(driver: GatewayDriver): boolean {
  return driver.config.type === 'custom' ? driver.config.verifySsl : true;
}

function maskProviderError(
  error: NonNullable<SmsAttempt['providerError']>,
  masker: SecretMasker,
): NonNullable<SmsAttempt['providerError']> {
  const out: NonNullable<SmsAttempt['providerError']> = {};
  if (error.code !== undefined) out.code = error.code;
  if (error.message !== undefined) out.message = masker.mask(error.message);
  if (error.moreInfo !== undefined) out.moreInfo = error.moreInfo;
  return out;
}
