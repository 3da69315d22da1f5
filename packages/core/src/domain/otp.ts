/** What an OTP challenge proves: a phone for the splash page, or a portal login. */
export type OtpPurpose = 'splash' | 'portal';

/** A one-time-password challenge as the store keeps it. The code itself is never stored. */
export interface OtpChallengeRecord {
  id: string;
  /** E.164. */
  phone: string;
  purpose: OtpPurpose;
  /** HMAC-SHA256 (hex) of (id, purpose, phone, code) under the first kit secret. */
  codeHmac: string;
  createdAt: Date;
  expiresAt: Date;
  /** Wrong guesses so far. */
  attempts: number;
  /** SMS sent for this challenge so far (first send included). */
  sends: number;
  lastSentAt: Date;
  /** No resend before this. */
  resendAfter: Date;
  consumedAt?: Date;
  /** Set when a newer challenge for the same phone and purpose replaced this one. */
  supersededAt?: Date;
  ip?: string;
  locationId?: string;
}
