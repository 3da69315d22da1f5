import { type Customer, HotspotKitError, type OtpRefusalReason, type Voucher } from '@hotspot-kit/core';
import { PortalError } from './portal-error.js';
import { nowSeconds, type PortalRuntime, type RequestState } from './runtime.js';

// The operations behind both the HTML forms and the JSON API, so the two can never drift.

/** A code-entry session lives this long (a challenge lasts at most 10 minutes; resends extend it). */
const CODE_STAGE_SECONDS = 30 * 60;
const MAX_PHONE_INPUT = 40;
const MAX_LABEL = 64;

export type LoginOutcome =
  | { ok: true; next: 'code'; phone: string; expiresAt: Date; resendAfter: Date }
  | { ok: true; next: 'status'; phone: string }
  | { ok: false; reason: OtpRefusalReason; retryAfterSeconds?: number };

export type VerifyFailure =
  | 'wrong-code'
  | 'expired'
  | 'too-many-attempts'
  | 'already-used'
  | 'not-found'
  | 'phone-locked'
  | 'missing-code';

export type VerifyOutcome =
  | { ok: true; phone: string }
  | {
      ok: false;
      reason: VerifyFailure;
      attemptsLeft?: number;
      retryAfterSeconds?: number;
      /** The challenge is over: the visitor must start again from the phone. */
      restart: boolean;
    };

/** Counts one attempt of `kind` for the client (IPv6: its /64); throws `RATE_LIMITED` past the limit. */
export async function limitIp(rt: PortalRuntime, state: RequestState, kind: 'login' | 'verify'): Promise<void> {
  // Without a client IP (no adapter, no clientIp option) there is nothing to key on; the
  // kit's per-phone and global OTP limits still apply.
  if (!state.ip) return;
  const result = await rt.kit.rateLimits.consume(`portal:${kind}`, state.ip, rt.config.rateLimits[kind]);
  if (!result.allowed) {
    throw new PortalError('RATE_LIMITED', `too many ${kind} attempts from this address`, {
      retryAfterSeconds: result.retryAfterSeconds,
    });
  }
}

/**
 * Starts a login. With portal OTP on, a challenge is started for every well-formed number,
 * known as a customer or not: the kit sends the code either way, so the answer and its
 * timing cannot tell whether the number has vouchers. With OTP off the phone alone signs in
 * (read-only).
 */
export async function startLogin(rt: PortalRuntime, state: RequestState, phoneInput: unknown): Promise<LoginOutcome> {
  const phone = typeof phoneInput === 'string' ? phoneInput.trim().slice(0, MAX_PHONE_INPUT) : '';
  await limitIp(rt, state, 'login');
  if (!phone) return { ok: false, reason: 'invalid-phone' };
  const check = rt.kit.phone.check(phone);
  const { kit } = rt;
  if (!kit.options.portal.otp) {
    if (!check.ok) return { ok: false, reason: 'invalid-phone' };
    await signIn(rt, state, check.e164, false);
    return { ok: true, next: 'status', phone: check.e164 };
  }
  const result = await kit.otp.start({
    phone,
    purpose: 'portal',
    ip: state.ip,
    // The location's gateway, sender id and texts send the code: only a trusted location.
    locationId: state.locationId ?? rt.config.locationId,
    locale: state.locale,
  });
  if (!result.ok) {
    return { ok: false, reason: result.reason, retryAfterSeconds: result.retryAfterSeconds };
  }
  await endSignedIn(rt, state); // a new login in this browser ends the session it replaces
  state.session = {
    id: state.session.id,
    stage: 'code',
    phone: check.ok ? check.e164 : phone,
    challengeId: result.challengeId,
    locationId: state.session.locationId,
    expiresAt: nowSeconds(state.now) + CODE_STAGE_SECONDS,
  };
  state.sessionDirty = true;
  return { ok: true, next: 'code', phone: state.session.phone as string, ...pick(result) };
}

function pick(r: { expiresAt: Date; resendAfter: Date }) {
  return { expiresAt: r.expiresAt, resendAfter: r.resendAfter };
}

/** Sends the code again for the waiting challenge. */
export async function resendCode(rt: PortalRuntime, state: RequestState): Promise<LoginOutcome> {
  const { session } = state;
  if (session.stage !== 'code' || !session.challengeId) return { ok: false, reason: 'challenge-closed' };
  await limitIp(rt, state, 'login');
  const result = await rt.kit.otp.resend({ challengeId: session.challengeId, ip: state.ip, locale: state.locale });
  if (!result.ok) return { ok: false, reason: result.reason, retryAfterSeconds: result.retryAfterSeconds };
  state.session = {
    ...session,
    challengeId: result.challengeId,
    expiresAt: nowSeconds(state.now) + CODE_STAGE_SECONDS,
  };
  state.sessionDirty = true;
  return { ok: true, next: 'code', phone: session.phone ?? '', ...pick(result) };
}

/** Checks the code; on success the session is replaced by a new signed-in one (new id, new CSRF token). */
export async function verifyCode(rt: PortalRuntime, state: RequestState, codeInput: unknown): Promise<VerifyOutcome> {
  const { session } = state;
  if (session.stage !== 'code' || !session.challengeId) return { ok: false, reason: 'not-found', restart: true };
  const code = typeof codeInput === 'string' ? codeInput.replace(/[\s-]/g, '').slice(0, 20) : '';
  if (!code) return { ok: false, reason: 'missing-code', restart: false };
  await limitIp(rt, state, 'verify');
  const result = await rt.kit.otp.verify({ challengeId: session.challengeId, code, ip: state.ip });
  if (result.ok) {
    if (result.purpose !== 'portal') return { ok: false, reason: 'not-found', restart: true };
    await signIn(rt, state, result.phone, true);
    return { ok: true, phone: result.phone };
  }
  // The last wrong guess (no attempts left) ends the challenge just like the next one would.
  const spent = result.reason === 'wrong-code' && result.attemptsLeft === 0;
  const restart = result.reason !== 'wrong-code' || spent;
  if (restart) {
    // The challenge is spent: back to the phone form, keeping the number as a pre-fill.
    state.session = {
      id: session.id,
      stage: 'anonymous',
      phone: session.phone,
      locationId: session.locationId,
      expiresAt: nowSeconds(state.now) + CODE_STAGE_SECONDS,
    };
    state.sessionDirty = true;
  }
  return {
    ok: false,
    reason: spent ? 'too-many-attempts' : result.reason,
    attemptsLeft: result.attemptsLeft,
    retryAfterSeconds: result.retryAfterSeconds,
    restart,
  };
}

/** Revokes the signed-in session this browser holds, if any, in the store (every instance). */
async function endSignedIn(rt: PortalRuntime, state: RequestState): Promise<void> {
  if (state.session.stage === 'signed-in') await rt.kit.portalSessions.revoke(state.session.id);
}

/**
 * Signs the visitor in: a new session recorded in the store, its id the cookie's (a session
 * id and CSRF token from before login are worthless after it). A login proved by an SMS code
 * also ends the phone's other sessions unless `signOutOthersAtLogin` is off; a phone-only
 * login never does (anyone may type a number).
 */
async function signIn(rt: PortalRuntime, state: RequestState, phone: string, verified: boolean): Promise<void> {
  await endSignedIn(rt, state);
  const { id } = await rt.kit.portalSessions.start({
    phone,
    maxAgeSeconds: rt.config.sessionMaxAgeSeconds,
    revokeOthers: verified && rt.config.signOutOthersAtLogin,
  });
  state.session = {
    id,
    stage: 'signed-in',
    phone,
    locationId: state.session.locationId,
    verified: verified || undefined,
    expiresAt: nowSeconds(state.now) + rt.config.sessionTtlSeconds,
    signedInAt: nowSeconds(state.now),
  };
  state.sessionDirty = true;
}

/** Ends the session in the store (a copied cookie is worthless after it); a fresh anonymous one replaces it. */
export async function logout(rt: PortalRuntime, state: RequestState): Promise<void> {
  await endSignedIn(rt, state);
  state.session = {
    id: rt.codec.newId(),
    stage: 'anonymous',
    locationId: state.session.locationId,
    expiresAt: nowSeconds(state.now) + rt.config.sessionTtlSeconds,
  };
  state.sessionDirty = true;
}

/** The signed-in phone, or `UNAUTHENTICATED`. */
export function requirePhone(state: RequestState): string {
  if (state.session.stage !== 'signed-in' || !state.session.phone) {
    throw new PortalError('UNAUTHENTICATED', 'not signed in');
  }
  return state.session.phone;
}

export function devicesAllowed(rt: PortalRuntime, state: RequestState): boolean {
  const { portal } = rt.kit.options;
  return portal.otp && portal.associatedDevices && state.session.stage === 'signed-in' && !!state.session.verified;
}

/** The customer's own voucher, or `NOT_FOUND` (another customer's voucher looks the same as none). */
async function ownVoucher(
  rt: PortalRuntime,
  state: RequestState,
  voucherId: unknown,
): Promise<{ voucher: Voucher; customer: Customer }> {
  const phone = requirePhone(state);
  if (!devicesAllowed(rt, state)) throw new PortalError('FORBIDDEN', 'device management is off or needs an SMS login');
  if (typeof voucherId !== 'string' || !voucherId || voucherId.length > 200) {
    throw new HotspotKitError('NOT_FOUND', 'voucher not found');
  }
  const [customer, voucher] = await Promise.all([rt.kit.customers.findByPhone(phone), rt.kit.vouchers.get(voucherId)]);
  if (!customer || !voucher || voucher.customerId !== customer.id) {
    throw new HotspotKitError('NOT_FOUND', 'voucher not found');
  }
  return { voucher, customer };
}

function cleanLabel(label: unknown): string | undefined {
  if (typeof label !== 'string') return undefined;
  let clean = '';
  // Control characters (newlines, NUL, DEL) become spaces: a label is one line of text.
  for (const ch of label) clean += ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? ' ' : ch;
  clean = clean.trim().slice(0, MAX_LABEL);
  return clean || undefined;
}

function requireMac(mac: unknown): string {
  if (typeof mac !== 'string' || !mac.trim()) {
    throw new HotspotKitError('INVALID_MAC', 'no MAC address given', {
      issues: [{ path: 'mac', message: 'is required' }],
    });
  }
  return mac.trim().slice(0, 64);
}

/** What a device operation did, for messages (e.g. the voucher's device limit). */
export interface DeviceResult {
  voucher: Voucher;
}

export async function addDevice(
  rt: PortalRuntime,
  state: RequestState,
  input: { voucherId: unknown; mac: unknown; label: unknown },
): Promise<DeviceResult> {
  const { voucher } = await ownVoucher(rt, state, input.voucherId);
  const mac = requireMac(input.mac);
  const label = cleanLabel(input.label);
  try {
    return {
      voucher: await rt.kit.vouchers.addDevice(voucher.id, { mac, addedBy: 'customer', ...(label ? { label } : {}) }),
    };
  } catch (error) {
    throw withLimit(error, voucher);
  }
}

export async function renameDevice(
  rt: PortalRuntime,
  state: RequestState,
  input: { voucherId: unknown; mac: unknown; label: unknown },
): Promise<DeviceResult> {
  const { voucher } = await ownVoucher(rt, state, input.voucherId);
  const mac = requireMac(input.mac);
  const label = cleanLabel(input.label);
  if (!label) {
    throw new HotspotKitError('INVALID_INPUT', 'a device name is required', {
      issues: [{ path: 'label', message: 'is required' }],
    });
  }
  return { voucher: await rt.kit.vouchers.updateDevice(voucher.id, mac, { label }) };
}

export async function removeDevice(
  rt: PortalRuntime,
  state: RequestState,
  input: { voucherId: unknown; mac: unknown },
): Promise<DeviceResult> {
  const { voucher } = await ownVoucher(rt, state, input.voucherId);
  const mac = requireMac(input.mac);
  // The kit emits `device.removed`: the host's cue to disconnect the device.
  return { voucher: await rt.kit.vouchers.removeDevice(voucher.id, mac) };
}

function withLimit(error: unknown, voucher: Voucher): unknown {
  if (error instanceof HotspotKitError && error.code === 'DEVICE_LIMIT_REACHED' && error.details.limit === undefined) {
    return new HotspotKitError(error.code, error.message, {
      cause: error,
      details: { ...error.details, limit: voucher.limits.simultaneousDevices },
      issues: error.issues,
    });
  }
  return error;
}
