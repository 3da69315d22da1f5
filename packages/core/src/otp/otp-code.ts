import type { OtpPurpose } from '../domain/otp.js';
import { fromHex, hmacSha256, randomInt, timingSafeEqual, toHex } from '../platform/crypto.js';

/** What a code is bound to: the same digits for another challenge, purpose or phone never match. */
export interface OtpBinding {
  challengeId: string;
  purpose: OtpPurpose;
  phone: string;
}

/** `length` decimal digits, each drawn uniformly from the platform CSPRNG (leading zeros kept). */
export function generateOtpCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(randomInt(10));
  return code;
}

// NUL separators: no field can contain one, so ("a", "bc") and ("ab", "c") never collide.
function hmacInput(binding: OtpBinding, code: string): string {
  return `hotspot-kit/otp/v1\u0000${binding.challengeId}\u0000${binding.purpose}\u0000${binding.phone}\u0000${code}`;
}

/** HMAC-SHA256 (hex) of the code and its binding under `secret`: all the store ever sees. */
export async function otpCodeHmac(secret: string, binding: OtpBinding, code: string): Promise<string> {
  return toHex(await hmacSha256(secret, hmacInput(binding, code)));
}

/**
 * Whether `code` matches the stored HMAC under any of `secrets` (the first signs, all verify,
 * so secrets can rotate while codes are out). Every secret is tried and every comparison is
 * constant-time, so the time taken says nothing about the code or which secret matched.
 */
export async function otpCodeMatches(
  secrets: readonly string[],
  storedHmacHex: string,
  binding: OtpBinding,
  code: string,
): Promise<boolean> {
  const stored = fromHex(storedHmacHex);
  const message = hmacInput(binding, code);
  const candidates = await Promise.all(secrets.map((secret) => hmacSha256(secret, message)));
  let match = false;
  for (const candidate of candidates) match = timingSafeEqual(candidate, stored) || match;
  return match;
}

/** Normalizes what a person typed: full-width digits folded, spaces and dashes dropped ("123 456"). */
export function normalizeTypedCode(input: string): string {
  return input.normalize('NFKC').replace(/[\s\-\u00a0]/g, '');
}
