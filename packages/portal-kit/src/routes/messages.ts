import { HotspotKitError, isHotspotKitError, type OtpRefusalReason } from '@hotspot-kit/core';
import type { VerifyFailure } from '../actions.js';
import type { Translator } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages-en.js';
import { isPortalError } from '../portal-error.js';

/** A refusal or error as both the pages and the API report it. */
export interface Problem {
  status: number;
  /** Machine-readable, e.g. `INVALID_MAC`, `WRONG_CODE`, `CSRF`. */
  code: string;
  /** For people, in the visitor's language. Never an exception's text. */
  message: string;
  retryAfterSeconds?: number;
  attemptsLeft?: number;
  limit?: number;
  issues?: { path: string; message: string }[];
  /** An unexpected failure: reported to `onError`, shown as a generic message. */
  internal: boolean;
}

const minutes = (seconds: number | undefined) => Math.max(1, Math.ceil((seconds ?? 60) / 60));

const LOGIN_STATUS: Record<OtpRefusalReason, number> = {
  'invalid-phone': 400,
  'rate-limited': 429,
  'phone-locked': 429,
  'budget-exhausted': 429,
  'resend-too-soon': 429,
  'max-sends': 429,
  'challenge-closed': 409,
  'sms-failed': 502,
};

const upper = (reason: string) => reason.toUpperCase().replace(/-/g, '_');

export function loginProblem(tr: Translator, reason: OtpRefusalReason, retryAfterSeconds?: number): Problem {
  return {
    status: LOGIN_STATUS[reason] ?? 400,
    code: upper(reason),
    message: tr.t(`otp.${reason}`, {
      minutes: minutes(retryAfterSeconds),
      seconds: Math.max(1, Math.ceil(retryAfterSeconds ?? 30)),
    }),
    retryAfterSeconds,
    internal: false,
  };
}

export function verifyProblem(
  tr: Translator,
  failure: { reason: VerifyFailure; attemptsLeft?: number; retryAfterSeconds?: number },
): Problem {
  const base = { code: upper(failure.reason), retryAfterSeconds: failure.retryAfterSeconds, internal: false };
  switch (failure.reason) {
    case 'wrong-code':
      return {
        ...base,
        status: 400,
        attemptsLeft: failure.attemptsLeft,
        message:
          failure.attemptsLeft === undefined
            ? tr.t('code.wrongNoCount')
            : tr.t('code.wrong', { count: failure.attemptsLeft }),
      };
    case 'missing-code':
      return { ...base, status: 400, message: tr.t('code.needed') };
    case 'too-many-attempts':
      return { ...base, status: 429, message: tr.t('code.tooMany') };
    case 'phone-locked':
      return {
        ...base,
        status: 429,
        message: tr.t('otp.phone-locked', { minutes: minutes(failure.retryAfterSeconds) }),
      };
    case 'expired':
      return { ...base, status: 409, message: tr.t('code.expired') };
    default:
      return { ...base, status: 409, message: tr.t('code.closed') };
  }
}

const KIT_MESSAGES = new Set<string>([
  'INVALID_MAC',
  'DEVICE_LIMIT_REACHED',
  'CONFLICT',
  'VOUCHER_NOT_USABLE',
  'INVALID_PHONE',
  'INVALID_INPUT',
  'NOT_FOUND',
  'RATE_LIMITED',
]);

/** Turns anything thrown into a {@link Problem}: typed errors keep their code and status, the rest is a 500. */
export function errorProblem(tr: Translator, error: unknown): Problem {
  if (isPortalError(error)) {
    const key = (
      error.code === 'UNSUPPORTED_MEDIA_TYPE' ? 'errors.INVALID_INPUT' : `errors.${error.code}`
    ) as MessageKey;
    return {
      status: error.httpStatus,
      code: error.code,
      message: tr.t(key, { minutes: minutes(error.retryAfterSeconds) }),
      retryAfterSeconds: error.retryAfterSeconds,
      internal: false,
    };
  }
  if (isHotspotKitError(error)) {
    const status = error instanceof HotspotKitError ? error.httpStatus : 500;
    if (status < 500 && KIT_MESSAGES.has(error.code)) {
      const limit = typeof error.details.limit === 'number' ? error.details.limit : undefined;
      const problem: Problem = {
        status,
        code: error.code,
        message: tr.t(`errors.${error.code}` as MessageKey, { limit: limit ?? '', minutes: 1 }),
        internal: false,
      };
      if (limit !== undefined) problem.limit = limit;
      if (error.issues.length > 0 && (error.code === 'INVALID_INPUT' || error.code === 'INVALID_MAC')) {
        problem.issues = error.issues.map((i) => ({ path: i.path, message: i.message }));
      }
      return problem;
    }
    if (status < 500) {
      return { status, code: error.code, message: tr.t('errors.INVALID_INPUT'), internal: false };
    }
  }
  return { status: 500, code: 'INTERNAL', message: tr.t('errors.INTERNAL'), internal: true };
}
