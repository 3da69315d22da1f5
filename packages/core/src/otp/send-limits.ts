import type { RateLimitRepository } from '../store/hotspot-store.js';
import { formatIp, type IpAddress, ipPrefix } from './ip-address.js';
import type { ResolvedOtpOptions } from './otp-options.js';
import {
  readSlidingLimit,
  type SlidingLimit,
  type SlidingState,
  slidingRemaining,
  slidingRetryAfterSeconds,
  takeSlidingLimit,
} from './sliding-window.js';

/** Which send limit refused. */
export type SendLimitScope = 'phone' | 'ip' | 'subnet' | 'calling-code' | 'global';

interface ScopedLimit {
  scope: SendLimitScope;
  spec: SlidingLimit;
}

/** Where an SMS goes and who asked for it: normalized first, so every spelling shares one count. */
export interface SendTarget {
  /** E.164. */
  phone: string;
  callingCode: string;
  ip?: IpAddress;
}

export type SendLimitOutcome = { ok: true } | { ok: false; scope: SendLimitScope; retryAfterSeconds: number };

/** The rate-limit key of a phone's wrong-guess budget (shared by both purposes). */
export function lockoutKey(phone: string): string {
  return `otp:lock:${phone}`;
}

/** The limit a calling code has (an override, else the default), or `null` when unlimited. */
export function callingCodeLimit(limits: ResolvedOtpOptions['limits'], callingCode: string): number | null {
  if (limits.perCallingCode === false) return null;
  return limits.perCallingCode.overrides[callingCode] ?? limits.perCallingCode.limit;
}

function specsFor(limits: ResolvedOtpOptions['limits'], target: SendTarget): ScopedLimit[] {
  const out: ScopedLimit[] = [];
  const add = (scope: SendLimitScope, key: string, limit: number, windowSeconds: number) =>
    out.push({ scope, spec: { key: `otp:send:${key}`, limit, windowSeconds } });
  if (limits.perPhone) add('phone', `phone:${target.phone}`, limits.perPhone.limit, limits.perPhone.windowSeconds);
  if (target.ip && limits.perIp) add('ip', `ip:${formatIp(target.ip)}`, limits.perIp.limit, limits.perIp.windowSeconds);
  if (target.ip && limits.perSubnet) {
    const bits = target.ip.version === 4 ? limits.perSubnet.ipv4PrefixLength : limits.perSubnet.ipv6PrefixLength;
    add('subnet', `net:${ipPrefix(target.ip, bits)}`, limits.perSubnet.limit, limits.perSubnet.windowSeconds);
  }
  const ccLimit = callingCodeLimit(limits, target.callingCode);
  if (limits.perCallingCode && ccLimit !== null) {
    add('calling-code', `cc:${target.callingCode}`, ccLimit, limits.perCallingCode.windowSeconds);
  }
  if (limits.global) add('global', 'global', limits.global.limit, limits.global.windowSeconds);
  return out;
}

/** The send limits that apply to one SMS, as read at one moment. */
export interface SendLimitReading {
  scoped: ScopedLimit[];
  states: SlidingState[];
}

/**
 * Reads every send limit that applies to one SMS, without changing any, and refuses when one
 * is spent. Reading all first means a spent limit refuses without charging the others (a
 * caller whose IP is spent cannot use up a victim's per-phone budget). `retryAfterSeconds`
 * is the longest wait of the spent limits.
 */
export async function readSendLimits(
  repo: RateLimitRepository,
  limits: ResolvedOtpOptions['limits'],
  target: SendTarget,
  at: Date,
): Promise<{ ok: true; reading: SendLimitReading } | (SendLimitOutcome & { ok: false })> {
  const scoped = specsFor(limits, target);
  const states = await Promise.all(scoped.map((s) => readSlidingLimit(repo, s.spec, at)));
  let refusal: { scope: SendLimitScope; retryAfterSeconds: number } | null = null;
  for (const [i, state] of states.entries()) {
    if (slidingRemaining(state) >= 1) continue;
    const retryAfterSeconds = slidingRetryAfterSeconds(state);
    if (!refusal) refusal = { scope: (scoped[i] as ScopedLimit).scope, retryAfterSeconds };
    else refusal.retryAfterSeconds = Math.max(refusal.retryAfterSeconds, retryAfterSeconds);
  }
  if (refusal) return { ok: false, ...refusal };
  return { ok: true, reading: { scoped, states } };
}

/**
 * Counts one SMS against every limit read by {@link readSendLimits}, each with the store's
 * atomic guard. If a racing caller took the last slot of a later limit, the earlier ones
 * stay charged (the strict side).
 */
export async function takeSendLimits(repo: RateLimitRepository, reading: SendLimitReading): Promise<SendLimitOutcome> {
  for (const [i, state] of reading.states.entries()) {
    const taken = await takeSlidingLimit(repo, state);
    if (!taken.allowed) {
      return { ok: false, scope: (reading.scoped[i] as ScopedLimit).scope, retryAfterSeconds: taken.retryAfterSeconds };
    }
  }
  return { ok: true };
}
