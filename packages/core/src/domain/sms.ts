/** Why an SMS is sent. Custom purposes are allowed. */
export type SmsPurpose = 'otp' | 'status-page-link' | 'usage-threshold' | 'test' | (string & {});

/** Life of an SMS log entry. `delivered`/`undelivered` come from delivery receipts. */
export type SmsStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'delivered' | 'undelivered';

/** How one gateway attempt ended. */
export type SmsAttemptOutcome = 'sent' | 'rejected' | 'error' | 'timeout';

/** What an HTTP request to a provider looked like, secrets masked. */
export interface SmsRequestPreview {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** One try of one gateway for one message. */
export interface SmsAttempt {
  gatewayId: string;
  gatewayName?: string;
  startedAt: Date;
  durationMs: number;
  outcome: SmsAttemptOutcome;
  httpStatus?: number;
  /** The first few hundred characters of the response body, secrets masked. */
  responseSnippet?: string;
  /** Human-readable reason for a non-`sent` outcome. Never a secret or an OTP code. */
  error?: string;
  providerMessageId?: string;
  /** Error detail the provider returned (e.g. Twilio's `code`, `message`, `more_info`). */
  providerError?: { code?: string | number; message?: string; moreInfo?: string };
  request?: SmsRequestPreview;
  /**
   * Set when the gateway was not tried: its circuit breaker was open after repeated failures
   * (`outcome` is then `error` and `durationMs` 0).
   */
  skipped?: 'circuit-open';
}

/** One SMS as the log keeps it. `text` has OTP codes masked. */
export interface SmsLogEntry {
  id: string;
  to: string;
  text: string;
  purpose: SmsPurpose;
  locationId?: string;
  sender?: string;
  status: SmsStatus;
  /** The gateway that sent it (or the last one tried). */
  gatewayId?: string;
  providerMessageId?: string;
  createdAt: Date;
  updatedAt: Date;
  /** From a delivery receipt. */
  deliveredAt?: Date;
  /** Provider error code of a failed or undelivered message. */
  errorCode?: string;
  attempts: SmsAttempt[];
  meta?: Record<string, string>;
}

/** A delivery receipt (e.g. a Twilio status callback), kept until its message is logged. */
export interface DeliveryReceipt {
  providerMessageId: string;
  status: 'delivered' | 'undelivered' | 'sent' | 'failed' | 'queued';
  errorCode?: string;
  receivedAt: Date;
}

/** A message to send. */
export interface SmsMessage {
  to: string;
  text: string;
  purpose: SmsPurpose;
  locationId?: string;
  /** The location's sender id (`%LOCATION%`). */
  sender?: string;
  meta?: Record<string, string>;
  /** What the SMS log records instead of `text` (OTP codes masked). Defaults to `text`. */
  logText?: string;
}

/** Events an SMS sender may report (an optional capability of {@link SmsSender}). */
export type SmsSenderEvent = {
  type: 'sms.balance.low';
  gatewayId: string;
  amount: number;
  currency?: string;
  threshold: number;
  /** The address from the gateway's `balanceCheck.email`, for the host to notify. */
  email?: string;
  at: Date;
};

/**
 * Anything that can send an SMS; `createSmsRouter` from `@hotspot-kit/sms` is the real one.
 * `send` always resolves to the log entry (status `sent` or `failed`); it does not throw
 * for a refused message.
 */
export interface SmsSender {
  send(message: SmsMessage): Promise<SmsLogEntry>;
  /** Optional capability: events such as a low balance; returns an unsubscribe function. */
  subscribe?(listener: (event: SmsSenderEvent) => void): () => void;
}

/** A low-balance alert shown on the operator's dashboard until dismissed. */
export interface BalanceAlert {
  id: string;
  gatewayId: string;
  amount: number;
  currency?: string;
  threshold: number;
  createdAt: Date;
  dismissedAt?: Date;
}
