import type { SmsAttempt } from '@hotspot-kit/core';
import type { OutgoingSms } from '../gateways/gateway-driver.js';
import { attemptScope, type CircuitBreaker } from './circuit-breaker.js';
import type { GatewaySender } from './gateway-sender.js';
import type { LoggedText } from './logged-text.js';

/** Sends one message through a list of gateways; resolves to every attempt made, in order. */
export interface FailoverSender {
  send(sms: OutgoingSms, logged: LoggedText): Promise<SmsAttempt[]>;
}

/**
 * A sender over a list of senders, in priority order (notifme's fallback strategy): each is tried
 * until one accepts the message. Gateways whose circuit is open are skipped, with an attempt
 * `skipped: 'circuit-open'` that says so, unless every one is open (skipping all would fail for
 * sure). Every attempt feeds the breaker with its scope (see {@link attemptScope}).
 */
export function createFailoverSender(
  senders: readonly GatewaySender[],
  options: { breaker: CircuitBreaker; clock: () => Date },
): FailoverSender {
  const { breaker, clock } = options;
  const now = () => clock().getTime();
  return {
    async send(sms, logged) {
      const attempts: SmsAttempt[] = [];
      const useBreaker = !senders.every((s) => breaker.isOpen(s.config.id, now()));
      for (const sender of senders) {
        const { config } = sender;
        const open = useBreaker ? breaker.check(config.id, now()) : null;
        if (open) {
          const skipped: SmsAttempt = {
            gatewayId: config.id,
            startedAt: clock(),
            durationMs: 0,
            outcome: 'error',
            error: `skipped: circuit open after ${open.failures} recent failures; next try after ${open.retryAt.toISOString()}`,
            skipped: 'circuit-open',
          };
          if (config.name !== undefined) skipped.gatewayName = config.name;
          attempts.push(skipped);
          continue;
        }
        const result = await sender.send(sms, logged);
        breaker.record(config.id, attemptScope(result), now());
        attempts.push(result.attempt);
        if (result.attempt.outcome === 'sent') break;
      }
      return attempts;
    },
  };
}
