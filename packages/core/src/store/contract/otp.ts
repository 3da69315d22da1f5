import type { OtpChallengeRecord, OtpPurpose } from '../../domain/otp.js';

/** OTP challenges. Every guard is a single atomic store operation. */
export interface OtpRepository {
  insert(challenge: OtpChallengeRecord): Promise<void>;
  get(id: string): Promise<OtpChallengeRecord | null>;
  /**
   * Guarded increment: adds one wrong-guess slot only while `attempts < maxAttempts` and the
   * challenge is neither consumed nor superseded, and returns the new count; returns `null`
   * (nothing changed) otherwise. Parallel calls can never push `attempts` past `maxAttempts`.
   * The OTP service takes a slot before it compares a code, so parallel guesses are capped too.
   */
  registerAttempt(id: string, maxAttempts: number): Promise<number | null>;
  /**
   * Gives back a slot taken by {@link registerAttempt} for a guess that turned out correct
   * (a correct code is not a wrong guess). Never below zero.
   */
  releaseAttempt(id: string): Promise<void>;
  /**
   * Compare-and-set: marks the challenge consumed at `at` only if it is not consumed or
   * superseded yet. `true` for exactly one of any number of racing calls.
   */
  consume(id: string, at: Date): Promise<boolean>;
  /**
   * Guarded send count: only if `sends` still equals `expectedSends`, `expectedSends <
   * maxSends` and the challenge is open, sets `sends = expectedSends + 1`, `lastSentAt = at`,
   * `resendAfter`, and, in the same atomic step, `codeHmac` and `expiresAt` when given (a
   * resend carries a new code: only its HMAC is stored, so the old code cannot be sent again).
   * `true` if it did. Never touches `attempts`.
   */
  registerSend(
    id: string,
    guard: {
      expectedSends: number;
      maxSends: number;
      at: Date;
      resendAfter: Date;
      /** Replaces the stored code HMAC (the resent code). */
      codeHmac?: string;
      /** Replaces the expiry (the resent code's own TTL). */
      expiresAt?: Date;
    },
  ): Promise<boolean>;
  /** Marks every other open challenge of this phone and purpose superseded at `at`; returns how many. */
  supersedeOthers(phone: string, purpose: OtpPurpose, keepId: string, at: Date): Promise<number>;
}
