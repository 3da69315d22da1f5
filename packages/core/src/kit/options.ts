import { z } from 'zod';
import { notificationOptionsSchema } from '../notifications/notification-options.js';
import { otpOptionsSchema } from '../otp/otp-options.js';

const countryCode = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
  .transform((c) => c.toUpperCase());

/** Kit-wide phone rules (`kit.phone.normalize`, OTP, customers). */
export const phoneOptionsSchema = z
  .object({
    defaultCountry: countryCode.optional(),
    allowedCountries: z.array(countryCode).optional(),
  })
  .strict();

/** What the portal may do; `@hotspot-kit/portal-kit` reads these. */
export const portalOptionsSchema = z
  .object({
    /**
     * Portal login needs an SMS code. Default: on when the kit has an SMS sender. Off: the
     * phone alone opens a read-only page (see the portal docs for what that exposes).
     */
    otp: z.boolean().optional(),
    /** Customers may add, rename and remove devices (needs `otp`). */
    associatedDevices: z.boolean().default(true),
  })
  .strict();

export const usageOptionsSchema = z
  .object({
    /** A session with no accounting event for this long is closed (lost stop). Default 15 min. */
    staleSessionSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .default(900),
  })
  .strict();

export const voucherOptionsSchema = z
  .object({
    code: z
      .object({
        length: z.number().int().min(4).max(32).optional(),
        alphabet: z.string().min(8).optional(),
        prefix: z.string().max(16).optional(),
        shortCodeLength: z.number().int().min(4).max(12).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

const secretSchema = z.string().min(16, 'must be at least 16 characters (use 32 random bytes)');

/** The options of `createHotspotKit` other than live objects (store, sms sender, clock, logger). */
export const kitOptionsSchema = z
  .object({
    secret: z.union([secretSchema, z.array(secretSchema).min(1, 'needs at least one secret')], {
      error: (issue) =>
        issue.input === undefined
          ? 'is required: a random string of at least 16 characters (or an array of them, first signs)'
          : 'must be a string of at least 16 characters, or a non-empty array of them',
    }),
    otp: otpOptionsSchema.default(otpOptionsSchema.parse({})),
    portal: portalOptionsSchema.default({ associatedDevices: true }),
    notifications: notificationOptionsSchema.default(notificationOptionsSchema.parse({})),
    phone: phoneOptionsSchema.default({}),
    usage: usageOptionsSchema.default({ staleSessionSeconds: 900 }),
    vouchers: voucherOptionsSchema.default({ code: {} }),
  })
  .strict();

export type PhoneKitOptions = z.input<typeof phoneOptionsSchema>;
export type PortalOptions = z.input<typeof portalOptionsSchema>;
export type UsageOptions = z.input<typeof usageOptionsSchema>;
export type VoucherOptions = z.input<typeof voucherOptionsSchema>;
type ParsedKitOptions = z.output<typeof kitOptionsSchema>;

/** Options after validation and defaults, as `kit.options` shows them (the secrets are not among them). */
export type ResolvedKitOptions = Omit<ParsedKitOptions, 'portal' | 'secret'> & {
  portal: {
    otp: boolean;
    /** Whether `portal.otp` was set by the host rather than defaulted. */
    otpExplicit: boolean;
    associatedDevices: boolean;
  };
};

/** Applies the defaults that depend on whether the kit has an SMS sender. */
export function resolveKitOptions(parsed: Omit<ParsedKitOptions, 'secret'>, hasSms: boolean): ResolvedKitOptions {
  const otpExplicit = parsed.portal.otp !== undefined;
  return {
    ...parsed,
    portal: { ...parsed.portal, otp: parsed.portal.otp ?? hasSms, otpExplicit },
  };
}
