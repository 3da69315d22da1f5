import { z } from 'zod';

// Owned by the OTP engine (issue 3); every parameter and default is listed in docs/otp-security.md.
export const otpOptionsSchema = z
  .object({
    codeLength: z.number().int().min(4).max(10).default(6),
    ttlSeconds: z.number().int().min(30).max(600).default(300),
    maxAttempts: z.number().int().min(1).max(10).default(5),
    resendCooldownSeconds: z.number().int().min(0).max(3600).default(30),
    maxSends: z.number().int().min(1).max(10).default(3),
    /** Splash-page phone checks use OTP by default? (each call may still say). */
    splash: z.boolean().default(false),
  })
  .strict();

export type OtpOptions = z.input<typeof otpOptionsSchema>;
export type ResolvedOtpOptions = z.output<typeof otpOptionsSchema>;
