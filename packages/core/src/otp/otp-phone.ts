import type { KitContext } from '../kit/kit-context.js';
import { checkPhone, type PhoneCheck } from '../phone/normalize-phone.js';
import { callingCodeLimit } from './send-limits.js';

/**
 * The phone check of every OTP send and of the splash page: the kit's phone rules (E.164,
 * mobile-capable types only, `phone.allowedCountries`), then the OTP's own allowed countries
 * (both must allow) and calling codes blocked with a limit of 0.
 */
export function checkOtpPhone(ctx: KitContext, input: string): PhoneCheck {
  const result = checkPhone(input, ctx.options.phone);
  if (!result.ok) return result;
  const { allowedCountries, limits } = ctx.options.otp;
  if (allowedCountries && !(result.country && allowedCountries.includes(result.country))) {
    return { ok: false, reason: 'country-not-allowed', message: 'Numbers from this country are not accepted' };
  }
  if (callingCodeLimit(limits, result.callingCode) === 0) {
    return { ok: false, reason: 'country-not-allowed', message: 'Codes cannot be sent to this country' };
  }
  return result;
}
