import type { SmsLogEntry, SmsLogRepository, SmsMessage, SmsSender } from '@hotspot-kit/core';

/** An SmsSender for tests: records every message, and fails when told to. */
export interface CapturingSmsSender extends SmsSender {
  /** Every send call, failed ones included, in order. */
  readonly calls: SmsMessage[];
  /** The messages that were "sent". */
  readonly sent: SmsMessage[];
  /** Fail the next `n` sends (as if every gateway refused them). */
  failNext(n: number): void;
  /** Fail every send until set back to `false`. */
  failAll(on: boolean): void;
}

/**
 * Makes a capturing sender. With `log`, entries are written to an SMS log like the real
 * router does (`sending` first, then the outcome).
 */
export function createCapturingSmsSender(
  options: { log?: SmsLogRepository; delayMs?: number } = {},
): CapturingSmsSender {
  const calls: SmsMessage[] = [];
  const sent: SmsMessage[] = [];
  let failures = 0;
  let failing = false;
  let n = 0;
  return {
    calls,
    sent,
    failNext(count) {
      failures = count;
    },
    failAll(on) {
      failing = on;
    },
    async send(message) {
      calls.push(message);
      n += 1;
      const now = new Date();
      const entry: SmsLogEntry = {
        id: `sms-${n}`,
        to: message.to,
        text: message.logText ?? message.text,
        purpose: message.purpose,
        ...(message.locationId ? { locationId: message.locationId } : {}),
        ...(message.sender ? { sender: message.sender } : {}),
        status: 'sending',
        createdAt: now,
        updatedAt: now,
        attempts: [],
        ...(message.meta ? { meta: message.meta } : {}),
      };
      await options.log?.insert(entry);
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const fail = failing || failures > 0;
      if (failures > 0) failures -= 1;
      const done: SmsLogEntry = {
        ...entry,
        status: fail ? 'failed' : 'sent',
        gatewayId: 'capture',
        attempts: [
          {
            gatewayId: 'capture',
            startedAt: now,
            durationMs: 1,
            outcome: fail ? 'rejected' : 'sent',
            httpStatus: fail ? 503 : 200,
            ...(fail ? { error: 'test gateway refused' } : {}),
          },
        ],
      };
      await options.log?.update(done);
      if (!fail) sent.push(message);
      return done;
    },
  };
}
