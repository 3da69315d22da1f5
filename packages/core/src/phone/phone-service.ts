import type { KitContext } from '../kit/kit-context.js';
import type { PhoneService } from '../kit/services.js';
import { checkPhone, normalizePhone, type PhoneOptions } from './normalize-phone.js';

/** `kit.phone`: the standalone helpers with the kit's default country and allowed countries. */
export function createPhoneService(ctx: KitContext): PhoneService {
  const withDefaults = (options: PhoneOptions = {}): PhoneOptions => ({
    ...ctx.options.phone,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  });
  return {
    normalize: (input, options) => normalizePhone(input, withDefaults(options)),
    check: (input, options) => checkPhone(input, withDefaults(options)),
  };
}
