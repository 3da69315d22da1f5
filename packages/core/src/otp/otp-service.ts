import { z } from 'zod';
import type { OtpChallengeRecord } from '../domain/otp.js';
import { HotspotKitError } from '../errors.js';
import type { KitContext } from '../kit/kit-context.js';
import type { OtpService, OtpStartResult, OtpVerifyResult } from '../kit/services.js';
import { randomId } from '../platform/crypto.js';
import { parseOrThrow } from '../validation.js';
import { formatIp, type IpAddress, parseIpAddress } from './ip-address.js';
import { generateOtpCode, normalizeTypedCode, otpCodeHmac, otpCodeMatches } from './otp-code.js';
import { checkOtpPhone } from './otp-phone.js';
import { DEFAULT_OTP_TEMPLATES, type OtpTemplates, renderOtpTemplate } from './otp-template.js';
import { lockoutKey, readSendLimits, type SendLimitScope, takeSendLimits } from './send-limits.js';
import {
  readSlidingLimit,
  type SlidingLimit,
  slidingRemaining,
  slidingRetryAfterSeconds,
  takeSlidingLimit,
} from './sliding-window.js';

const purposeSchema = z.enum(['splash', 'portal']);

const startInputSchema = z.object({
  phone: z.string({ error: 'must be a string' }),
  purpose: purposeSchema,
  ip: z.string().optional(),
  locationId: z.string().min(1).optional(),
  locale: z.string().max(35).optional(),
});

const resendInputSchema = z.object({
  challengeId: z.string({ error: 'must be a string' }),
  ip: z.string().optional(),
  locale: z.string().max(35).optional(),
});

const verifyInputSchema = z.object({
  challengeId: z.string({ error: 'must be a string' }),
  code: z.string({ error: 'must be a string' }),
  ip: z.string().optional(),
  purpose: purposeSchema.optional(),
});

/** A resend never waits longer than this, however large the multiplier. */
const MAX_COOLDOWN_SECONDS = 3600;

type StartRefusal = Extract<OtpStartResult, { ok: false }>;
type VerifyRefusal = Extract<OtpVerifyResult, { ok: false }>;

function waitText(seconds: number): string {
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}

/** `+14155552671` -> `+141*****671`: enough to tell numbers apart in a log, not to dial. */
function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 7)}${phone.slice(-3)}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * `kit.otp`: SMS one-time passwords for the splash page and the portal.
 *
 * Order of checks on a send: input, phone normalized and typed (refused numbers cost nothing
 * and count nothing), phone lock, every send limit (read all, then take each atomically),
 * then the challenge and the SMS. On a verify: the challenge's state, then one guess slot
 * taken with the store's guarded increment and one slot of the phone's failure budget, both
 * BEFORE the code is compared, so parallel guesses can never exceed either cap; a correct
 * code gives the slots back and wins only through the store's compare-and-set.
 */
export function createOtpService(ctx: KitContext): OtpService {
  const options = ctx.options.otp;
  const templates = mergeTemplates(options.templates);

  const lockSpec = (phone: string): SlidingLimit => ({
    key: lockoutKey(phone),
    limit: options.lockout.maxFailures,
    windowSeconds: options.lockout.windowSeconds,
  });

  function requireSms() {
    if (!ctx.sms) {
      throw new HotspotKitError(
        'SMS_NOT_CONFIGURED',
        "OTP needs an SMS sender: pass the 'sms' option to createHotspotKit (e.g. the router from @hotspot-kit/sms)",
        { issues: [{ path: 'sms', message: 'needs an SMS sender' }] },
      );
    }
    return ctx.sms;
  }

  function parseIp(ip: string | undefined, field: string): IpAddress | undefined {
    if (ip === undefined || ip === '') return undefined;
    const parsed = parseIpAddress(ip);
    if (!parsed) {
      throw new HotspotKitError('INVALID_INPUT', `Invalid ${field}: ip: must be an IPv4 or IPv6 address`, {
        issues: [{ path: 'ip', message: 'must be an IPv4 or IPv6 address' }],
      });
    }
    return parsed;
  }

  function cooldownSeconds(sendsSoFar: number): number {
    const grown = options.resendCooldownSeconds * options.resendCooldownMultiplier ** Math.max(0, sendsSoFar - 1);
    return Math.min(MAX_COOLDOWN_SECONDS, Math.round(grown));
  }

  function refusal(reason: StartRefusal['reason'], retryAfterSeconds?: number): StartRefusal {
    const messages: Record<StartRefusal['reason'], string> = {
      'invalid-phone': 'The phone number cannot receive codes',
      'rate-limited': 'Too many codes were requested',
      'phone-locked': 'Too many wrong codes were entered for this number',
      'budget-exhausted': 'Codes cannot be sent right now',
      'resend-too-soon': 'A new code was sent a moment ago',
      'max-sends': 'No more codes can be sent for this request; start again',
      'challenge-closed': 'This code request is no longer open; start again',
      'sms-failed': 'The SMS could not be sent; try again later',
    };
    const wait = retryAfterSeconds === undefined ? '' : `; try again in ${waitText(retryAfterSeconds)}`;
    return {
      ok: false,
      reason,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      message: `${messages[reason]}${wait}`,
    };
  }

  async function lockRefusal(phone: string, now: Date): Promise<StartRefusal | null> {
    const state = await readSlidingLimit(ctx.store.rateLimits, lockSpec(phone), now);
    if (slidingRemaining(state) >= 1) return null;
    return refusal('phone-locked', slidingRetryAfterSeconds(state));
  }

  function limitRefusal(
    outcome: { scope: SendLimitScope; retryAfterSeconds: number },
    phone: string,
    challengeId?: string,
  ): StartRefusal {
    const fields = { scope: outcome.scope, phone: maskPhone(phone), ...(challengeId ? { challengeId } : {}) };
    if (outcome.scope === 'global') {
      ctx.logger.warn('otp: the global SMS budget is spent; sends refused', fields);
      return refusal('budget-exhausted', outcome.retryAfterSeconds);
    }
    ctx.logger.info(`otp: send refused by the ${describeScope(outcome.scope)} limit`, fields);
    return refusal('rate-limited', outcome.retryAfterSeconds);
  }

  /** Sends the code; `true` when the sender took it (sent or queued). Never logs the code. */
  async function deliver(challenge: OtpChallengeRecord, code: string, locale: string | undefined): Promise<boolean> {
    const sms = requireSms();
    const location = challenge.locationId ? await ctx.store.locations.get(challenge.locationId) : null;
    const template = pickTemplate(templates, locale ?? options.defaultLocale, options.defaultLocale)[challenge.purpose];
    const mask = '*'.repeat(code.length);
    const minutes = String(
      Math.max(1, Math.round((challenge.expiresAt.getTime() - challenge.lastSentAt.getTime()) / 60_000)),
    );
    const render = (value: string) => {
      const body = renderOtpTemplate(template, { code: value, minutes, location: location?.name ?? '' });
      return options.webOtpDomain ? `${body}\n\n@${options.webOtpDomain} #${value}` : body;
    };
    const redact = (text: string) => text.split(code).join(mask);
    try {
      const entry = await sms.send({
        to: challenge.phone,
        text: render(code),
        logText: render(mask),
        purpose: 'otp',
        ...(challenge.locationId ? { locationId: challenge.locationId } : {}),
        ...(location?.senderId ? { sender: location.senderId } : {}),
        meta: { otpPurpose: challenge.purpose, challengeId: challenge.id },
      });
      if (entry.status === 'failed' || entry.status === 'undelivered') {
        ctx.logger.warn('otp: SMS not sent', {
          challengeId: challenge.id,
          smsId: entry.id,
          status: entry.status,
          ...(entry.errorCode ? { errorCode: redact(entry.errorCode) } : {}),
        });
        return false;
      }
      ctx.logger.info('otp: code sent', {
        challengeId: challenge.id,
        purpose: challenge.purpose,
        phone: maskPhone(challenge.phone),
        smsId: entry.id,
        sends: challenge.sends,
      });
      return true;
    } catch (error) {
      // A sender should resolve to a failed entry, but a custom one may throw, and its
      // message may quote the text it was given: the code is masked out before logging.
      ctx.logger.error('otp: SMS sender threw', { challengeId: challenge.id, error: redact(describeError(error)) });
      return false;
    }
  }

  async function start(input: Parameters<OtpService['start']>[0]): Promise<OtpStartResult> {
    const parsed = parseOrThrow(startInputSchema, input, 'otp.start input');
    requireSms();
    const ip = parseIp(parsed.ip, 'otp.start input');
    const now = ctx.clock();
    const phone = checkOtpPhone(ctx, parsed.phone);
    if (!phone.ok) return { ok: false, reason: 'invalid-phone', phoneReason: phone.reason, message: phone.message };

    const locked = await lockRefusal(phone.e164, now);
    if (locked) return locked;
    const target = { phone: phone.e164, callingCode: phone.callingCode, ...(ip ? { ip } : {}) };
    const reading = await readSendLimits(ctx.store.rateLimits, options.limits, target, now);
    if (!reading.ok) return limitRefusal(reading, phone.e164);
    const taken = await takeSendLimits(ctx.store.rateLimits, reading.reading);
    if (!taken.ok) return limitRefusal(taken, phone.e164);

    const id = randomId();
    const code = generateOtpCode(options.codeLength);
    const challenge: OtpChallengeRecord = {
      id,
      phone: phone.e164,
      purpose: parsed.purpose,
      codeHmac: await otpCodeHmac(
        ctx.secrets[0] as string,
        { challengeId: id, purpose: parsed.purpose, phone: phone.e164 },
        code,
      ),
      createdAt: now,
      expiresAt: new Date(now.getTime() + options.ttlSeconds * 1000),
      attempts: 0,
      sends: 1,
      lastSentAt: now,
      resendAfter: new Date(now.getTime() + cooldownSeconds(1) * 1000),
      ...(ip ? { ip: formatIp(ip) } : {}),
      ...(parsed.locationId ? { locationId: parsed.locationId } : {}),
    };
    await ctx.store.otp.insert(challenge);
    await ctx.store.otp.supersedeOthers(phone.e164, parsed.purpose, id, now);

    if (!(await deliver(challenge, code, parsed.locale))) {
      // Nobody received this code: close the challenge so it cannot be guessed at.
      await ctx.store.otp.consume(id, now);
      return refusal('sms-failed');
    }
    ctx.events.emit('otp.sent', { challengeId: id, phone: phone.e164, purpose: parsed.purpose, at: now });
    return { ok: true, challengeId: id, expiresAt: challenge.expiresAt, resendAfter: challenge.resendAfter };
  }

  async function resend(input: Parameters<OtpService['resend']>[0]): Promise<OtpStartResult> {
    const parsed = parseOrThrow(resendInputSchema, input, 'otp.resend input');
    requireSms();
    const requestIp = parseIp(parsed.ip, 'otp.resend input');
    const now = ctx.clock();
    const challenge = await ctx.store.otp.get(parsed.challengeId);
    if (!challenge) return refusal('challenge-closed');
    const closed = resendRefusal(challenge, now);
    if (closed) return closed;

    const phone = checkOtpPhone(ctx, challenge.phone);
    if (!phone.ok) return { ok: false, reason: 'invalid-phone', phoneReason: phone.reason, message: phone.message };
    const locked = await lockRefusal(challenge.phone, now);
    if (locked) return locked;
    const ip = requestIp ?? (challenge.ip ? (parseIpAddress(challenge.ip) ?? undefined) : undefined);
    const target = { phone: challenge.phone, callingCode: phone.callingCode, ...(ip ? { ip } : {}) };
    const reading = await readSendLimits(ctx.store.rateLimits, options.limits, target, now);
    if (!reading.ok) return limitRefusal(reading, challenge.phone, challenge.id);

    const code = generateOtpCode(options.codeLength);
    const sends = challenge.sends + 1;
    const resendAfter = new Date(now.getTime() + cooldownSeconds(sends) * 1000);
    const expiresAt = new Date(now.getTime() + options.ttlSeconds * 1000);
    const codeHmac = await otpCodeHmac(
      ctx.secrets[0] as string,
      { challengeId: challenge.id, purpose: challenge.purpose, phone: challenge.phone },
      code,
    );
    const registered = await ctx.store.otp.registerSend(challenge.id, {
      expectedSends: challenge.sends,
      maxSends: options.maxSends,
      at: now,
      resendAfter,
      codeHmac,
      expiresAt,
    });
    if (!registered) {
      // A racing resend (or verify) changed the challenge between our read and the guard.
      const latest = await ctx.store.otp.get(challenge.id);
      return (latest && resendRefusal(latest, now)) ?? refusal('resend-too-soon', cooldownSeconds(sends));
    }
    // Only the resend that won the guard is charged: racing resends cost no budget.
    const taken = await takeSendLimits(ctx.store.rateLimits, reading.reading);
    if (!taken.ok) return limitRefusal(taken, challenge.phone, challenge.id);
    const updated: OtpChallengeRecord = { ...challenge, sends, lastSentAt: now, resendAfter, expiresAt, codeHmac };
    if (!(await deliver(updated, code, parsed.locale))) return refusal('sms-failed', cooldownSeconds(sends));
    ctx.events.emit('otp.sent', {
      challengeId: challenge.id,
      phone: challenge.phone,
      purpose: challenge.purpose,
      at: now,
    });
    return { ok: true, challengeId: challenge.id, expiresAt, resendAfter };
  }

  function resendRefusal(challenge: OtpChallengeRecord, now: Date): StartRefusal | null {
    if (challenge.consumedAt || challenge.supersededAt || challenge.expiresAt.getTime() <= now.getTime()) {
      return refusal('challenge-closed');
    }
    // No point sending a code that can no longer be entered.
    if (challenge.attempts >= options.maxAttempts) return refusal('challenge-closed');
    if (challenge.sends >= options.maxSends) return refusal('max-sends');
    if (now.getTime() < challenge.resendAfter.getTime()) {
      return refusal('resend-too-soon', secondsUntil(challenge.resendAfter, now));
    }
    return null;
  }

  function closedVerifyReason(challenge: OtpChallengeRecord | null, now: Date): VerifyRefusal | null {
    if (!challenge) return { ok: false, reason: 'not-found' };
    if (challenge.consumedAt) return { ok: false, reason: 'already-used' };
    if (challenge.supersededAt || challenge.expiresAt.getTime() <= now.getTime())
      return { ok: false, reason: 'expired' };
    if (challenge.attempts >= options.maxAttempts) return { ok: false, reason: 'too-many-attempts', attemptsLeft: 0 };
    return null;
  }

  async function verify(input: Parameters<OtpService['verify']>[0]): Promise<OtpVerifyResult> {
    const parsed = parseOrThrow(verifyInputSchema, input, 'otp.verify input');
    parseIp(parsed.ip, 'otp.verify input');
    const now = ctx.clock();
    const store = ctx.store;
    const challenge = await store.otp.get(parsed.challengeId);
    // A challenge of another purpose is reported as unknown: a splash challenge never logs into the portal.
    if (!challenge || (parsed.purpose && challenge.purpose !== parsed.purpose))
      return { ok: false, reason: 'not-found' };
    const closed = closedVerifyReason(challenge, now);
    if (closed) return closed;
    const { id, phone, purpose } = challenge;

    // Both slots are taken before the comparison: that is what caps parallel guesses.
    const attempts = await store.otp.registerAttempt(id, options.maxAttempts);
    if (attempts === null) {
      return (
        closedVerifyReason(await store.otp.get(id), now) ?? { ok: false, reason: 'too-many-attempts', attemptsLeft: 0 }
      );
    }
    const lockState = await readSlidingLimit(store.rateLimits, lockSpec(phone), now);
    const lockSlot = await takeSlidingLimit(store.rateLimits, lockState);
    if (!lockSlot.allowed) {
      await store.otp.releaseAttempt(id);
      return { ok: false, reason: 'phone-locked', retryAfterSeconds: lockSlot.retryAfterSeconds };
    }

    const matches = await otpCodeMatches(
      ctx.secrets,
      challenge.codeHmac,
      { challengeId: id, purpose, phone },
      normalizeTypedCode(parsed.code),
    );
    if (matches) {
      const won = await store.otp.consume(id, now);
      await store.otp.releaseAttempt(id);
      if (!won) return closedVerifyReason(await store.otp.get(id), now) ?? { ok: false, reason: 'already-used' };
      // The budget counts consecutive failures: whoever has the code may start afresh.
      await store.rateLimits.reset(lockoutKey(phone));
      ctx.logger.info('otp: verified', { challengeId: id, purpose });
      ctx.events.emit('otp.verified', { challengeId: id, phone, purpose, at: now });
      return { ok: true, phone, purpose };
    }

    const attemptsLeft = Math.min(options.maxAttempts - attempts, lockSlot.remaining);
    ctx.logger.info('otp: wrong code', { challengeId: id, purpose, attemptsLeft });
    ctx.events.emit('otp.failed', { challengeId: id, phone, purpose, attemptsLeft, at: now });
    if (lockSlot.remaining === 0) {
      const retryAfterSeconds = slidingRetryAfterSeconds(lockSlot.state);
      const until = new Date(now.getTime() + retryAfterSeconds * 1000);
      ctx.logger.warn('otp: phone locked after too many wrong codes', {
        phone: maskPhone(phone),
        until: until.toISOString(),
      });
      ctx.events.emit('otp.locked', { phone, purpose, until, at: now });
      return { ok: false, reason: 'phone-locked', attemptsLeft: 0, retryAfterSeconds };
    }
    return { ok: false, reason: 'wrong-code', attemptsLeft };
  }

  return { start, resend, verify };
}

function describeScope(scope: SendLimitScope): string {
  return scope === 'calling-code' ? 'country calling code' : `per-${scope}`;
}

function mergeTemplates(
  custom: Record<string, string | { splash?: string | undefined; portal?: string | undefined }> | undefined,
): Map<string, OtpTemplates> {
  const out = new Map<string, OtpTemplates>();
  for (const [locale, t] of Object.entries(DEFAULT_OTP_TEMPLATES)) out.set(locale.toLowerCase(), { ...t });
  for (const [locale, t] of Object.entries(custom ?? {})) {
    const key = locale.toLowerCase();
    const base = out.get(key) ?? out.get(key.split('-')[0] as string);
    const given = typeof t === 'string' ? { splash: t, portal: t } : t;
    const splash = given.splash ?? base?.splash ?? given.portal;
    const portal = given.portal ?? base?.portal ?? given.splash;
    // A locale given for one purpose only borrows the other purpose from its language or English.
    const fallback = DEFAULT_OTP_TEMPLATES.en as OtpTemplates;
    out.set(key, { splash: splash ?? fallback.splash, portal: portal ?? fallback.portal });
  }
  return out;
}

/** `de-AT` -> `de-at`, then `de`, then the default locale, then English. */
function pickTemplate(templates: Map<string, OtpTemplates>, locale: string, defaultLocale: string): OtpTemplates {
  const wanted = locale.toLowerCase();
  return (
    templates.get(wanted) ??
    templates.get(wanted.split('-')[0] as string) ??
    templates.get(defaultLocale.toLowerCase()) ??
    (DEFAULT_OTP_TEMPLATES.en as OtpTemplates)
  );
}
