import { z } from 'zod';
import { DEFAULT_OTP_TEMPLATES, otpTemplateProblem } from './otp-template.js';

// Owned by the OTP engine (issue 3); every parameter and default is listed in docs/otp-security.md.

const HOUR = 3600;
const MAX_WINDOW = 7 * 86_400;

/** A sliding-window limit: at most `limit` in any `windowSeconds`. */
function windowLimit(defaults: { limit: number; windowSeconds: number }) {
  return {
    limit: z.number().int().min(1).max(1_000_000_000).default(defaults.limit),
    windowSeconds: z.number().int().min(1).max(MAX_WINDOW).default(defaults.windowSeconds),
  };
}

const templateText = z
  .string()
  .max(1000)
  .superRefine((text, ctx) => {
    const problem = otpTemplateProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const localeKey = z
  .string()
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "pt-BR"');

const countryCode = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
  .transform((c) => c.toUpperCase());

/**
 * A limit that `false` turns off. A plain union reports some mistakes only as "Invalid input";
 * this names the field inside the object, e.g. `perCallingCode: overrides.+44: must be ...`.
 */
function toggleable<T extends z.ZodObject>(limit: T) {
  return z.union([z.literal(false), limit], {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      if (typeof issue.input !== 'object' || issue.input === null) return 'must be false or an object';
      const inner = (issue.errors as z.core.$ZodIssue[][])[1]?.[0];
      if (!inner) return undefined;
      const message = inner.code === 'invalid_key' ? (inner.issues[0]?.message ?? inner.message) : inner.message;
      const path = inner.path.map(String).join('.');
      return path ? `${path}: ${message}` : message;
    },
  });
}

const sendLimitsSchema = z
  .object({
    /** SMS per phone number (E.164, so every spelling of a number shares it). */
    perPhone: toggleable(z.object(windowLimit({ limit: 5, windowSeconds: HOUR })).strict()).prefault({}),
    /** SMS per client IP address (IPv6: the full address; see `perSubnet` for /64). */
    perIp: toggleable(z.object(windowLimit({ limit: 20, windowSeconds: HOUR })).strict()).prefault({}),
    /** SMS per client network: IPv4 /24 and IPv6 /64 by default. */
    perSubnet: toggleable(
      z
        .object({
          ...windowLimit({ limit: 60, windowSeconds: HOUR }),
          ipv4PrefixLength: z.number().int().min(8).max(32).default(24),
          ipv6PrefixLength: z.number().int().min(16).max(128).default(64),
        })
        .strict(),
    ).prefault({}),
    /** SMS per destination country calling code (`+44`), the usual SMS-pumping target. */
    perCallingCode: toggleable(
      z
        .object({
          ...windowLimit({ limit: 300, windowSeconds: HOUR }),
          /** Other limits for some calling codes (digits without `+`); 0 blocks the code. */
          overrides: z
            .record(
              z.string().regex(/^[1-9]\d{0,2}$/, 'must be a country calling code without +, e.g. "44"'),
              z.number().int().min(0).max(1_000_000_000),
            )
            .default({}),
        })
        .strict(),
    ).prefault({}),
    /** All OTP SMS of the kit (every instance sharing the store): the money cap. */
    global: toggleable(z.object(windowLimit({ limit: 1000, windowSeconds: HOUR })).strict()).prefault({}),
  })
  .strict();

/**
 * The OTP engine's options (`createHotspotKit({ otp })`). Every field is optional; the
 * defaults and the standard each answers are listed in `docs/otp-security.md`.
 */
export const otpOptionsSchema = z
  .object({
    /** Digits per code. */
    codeLength: z.number().int().min(4).max(10).default(6),
    /** How long a code is valid after it is sent (a resend gives the new code its own TTL). */
    ttlSeconds: z.number().int().min(30).max(600).default(300),
    /** Wrong guesses per challenge. */
    maxAttempts: z.number().int().min(1).max(10).default(5),
    /** Wait before the first resend. */
    resendCooldownSeconds: z.number().int().min(0).max(3600).default(30),
    /** Each further resend waits this many times longer (30 s, 60 s, 120 s, ...), at most an hour. */
    resendCooldownMultiplier: z.number().min(1).max(10).default(2),
    /** SMS per challenge, the first one included. */
    maxSends: z.number().int().min(1).max(10).default(3),
    /** Splash-page phone checks use OTP by default? (each call may still say). */
    splash: z.boolean().default(false),
    /**
     * Wrong guesses per phone across all its challenges and purposes, in a sliding window; when
     * spent, the phone is locked (no verify, no send) until old failures slide out. A correct
     * code clears it (the budget counts consecutive failures, as NIST SP 800-63B asks).
     */
    lockout: z
      .object({
        maxFailures: z.number().int().min(1).max(1000).default(10),
        windowSeconds: z.number().int().min(60).max(MAX_WINDOW).default(HOUR),
      })
      .strict()
      .prefault({}),
    /** Send limits; each may be `false` to turn it off. */
    limits: sendLimitsSchema.prefault({}),
    /** OTP SMS only to these countries (alpha-2); combined with `phone.allowedCountries` (both must allow). */
    allowedCountries: z.array(countryCode).min(1).optional(),
    /**
     * Message templates by locale, per purpose, e.g. `{ de: { splash: 'Ihr Code: {{ .code }}' } }`
     * (a string sets both purposes). Merged over the built-in languages. Variables:
     * `{{ .code }}` (required), `{{ .minutes }}` (TTL), `{{ .location }}` (location name).
     */
    templates: z
      .record(
        localeKey,
        z.union([
          templateText,
          z.object({ splash: templateText.optional(), portal: templateText.optional() }).strict(),
        ]),
      )
      .optional(),
    /** Locale used when a start names none, or one without templates. */
    defaultLocale: localeKey.default('en'),
    /**
     * Appends the WebOTP / Android SMS Retriever line `@domain #code` so browsers can fill the
     * code in, and only on this domain (a phishing site cannot receive it).
     */
    webOtpDomain: z
      .string()
      .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be a domain name')
      .optional(),
  })
  .strict()
  .superRefine((options, ctx) => {
    const locales = new Set(Object.keys(DEFAULT_OTP_TEMPLATES));
    for (const key of Object.keys(options.templates ?? {})) locales.add(key.toLowerCase());
    if (!locales.has(options.defaultLocale.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultLocale'],
        message: `has no templates (built in: ${Object.keys(DEFAULT_OTP_TEMPLATES).join(', ')}; add it to otp.templates)`,
      });
    }
  });

/** What `createHotspotKit({ otp })` accepts. */
export type OtpOptions = z.input<typeof otpOptionsSchema>;
/** The OTP options with every default applied. */
export type ResolvedOtpOptions = z.output<typeof otpOptionsSchema>;
