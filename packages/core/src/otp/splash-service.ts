import { z } from 'zod';
import type { KitContext } from '../kit/kit-context.js';
import type { OtpService, SplashService } from '../kit/services.js';
import { parseOrThrow } from '../validation.js';
import { checkOtpPhone } from './otp-phone.js';

const checkPhoneInputSchema = z.object({
  phone: z.string({ error: 'must be a string' }),
  otp: z.boolean().optional(),
  ip: z.string().optional(),
  locationId: z.string().min(1).optional(),
  locale: z.string().max(35).optional(),
});

/**
 * `kit.splash`: the one call a splash (captive) page makes with the phone a guest typed.
 * With the page's OTP off, the number is only checked (format, mobile type, allowed
 * countries) and returned in E.164, and nothing is counted or sent; with OTP on, a `splash`
 * challenge is started through `kit.otp` (all its limits apply). `otp` left out means the
 * kit's `otp.splash` option.
 *
 * @example
 * ```ts
 * const r = await kit.splash.checkPhone({ phone: req.body.phone, otp: page.otp, ip: req.ip })
 * if (!r.ok) return showError(r.message)
 * if (r.otp) return showCodeForm(r.challengeId)   // then kit.otp.verify(...)
 * activateVoucherFor(r.phone)
 * ```
 */
export function createSplashService(ctx: KitContext, otp: OtpService): SplashService {
  return {
    async checkPhone(input) {
      const parsed = parseOrThrow(checkPhoneInputSchema, input, 'splash.checkPhone input');
      const useOtp = parsed.otp ?? ctx.options.otp.splash;
      if (useOtp) {
        const result = await otp.start({
          phone: parsed.phone,
          purpose: 'splash',
          ...(parsed.ip !== undefined ? { ip: parsed.ip } : {}),
          ...(parsed.locationId !== undefined ? { locationId: parsed.locationId } : {}),
          ...(parsed.locale !== undefined ? { locale: parsed.locale } : {}),
        });
        return { otp: true, ...result };
      }
      // The same rules as an OTP send, so turning OTP on later refuses no new numbers.
      const phone = checkOtpPhone(ctx, parsed.phone);
      if (!phone.ok) {
        return { ok: false, otp: false, reason: 'invalid-phone', phoneReason: phone.reason, message: phone.message };
      }
      return { ok: true, phone: phone.e164, otp: false };
    },
  };
}
