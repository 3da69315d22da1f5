import type { AttemptResult } from './run-attempt.js';

/** When the router stops trying a failing gateway, and for how long. */
export interface CircuitBreakerOptions {
  /** Failures within `windowMs` that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How far back failures count. Default 5 minutes. */
  windowMs?: number;
  /** How long an open circuit skips the gateway before one trial send. Default 2 minutes. */
  cooldownMs?: number;
}

/** A gateway's circuit: `closed` (used), `open` (skipped until `retryAt`), `half-open` (one trial). */
export interface CircuitState {
  state: 'closed' | 'open' | 'half-open';
  /** Failures counted in the window. */
  failures: number;
  /** When an open circuit lets a trial send through. */
  retryAt?: Date;
}

/**
 * How one attempt bears on its gateway: `ok` (sent), `gateway` (the gateway as a whole is
 * failing: it counts toward opening the circuit) or `message` (this message was refused: fail
 * over for it, but the gateway is fine for the others).
 */
export type AttemptScope = 'ok' | 'gateway' | 'message';

/** Per-gateway failure counting; state lives in this router instance (not in the store). */
export interface CircuitBreaker {
  /** `null` when the gateway may be tried now; otherwise why it is skipped. */
  check(gatewayId: string, now: number): { retryAt: Date; failures: number } | null;
  /** Whether `check` would skip the gateway now (no side effect). */
  isOpen(gatewayId: string, now: number): boolean;
  record(gatewayId: string, scope: AttemptScope, now: number): void;
  state(gatewayId: string, now: number): CircuitState;
  /** Forgets gateways not in `keep` (after a reload). */
  retain(keep: ReadonlySet<string>): void;
}

/**
 * The scope of an attempt. Gateway-wide: timeouts, connection, DNS and TLS errors, HTTP 5xx and
 * the credential refusals 401/403. About the message only: any other answer (a 4xx with an error
 * body, a 2xx without the success marker, Twilio's error JSON for that message, a `parse` hook
 * saying no) and a request that could not be built for it (template or Lua error): five OTPs to
 * one unroutable number must not push every other customer onto the backup gateway.
 */
export function attemptScope(result: Pick<AttemptResult, 'attempt' | 'request' | 'response'>): AttemptScope {
  const { attempt } = result;
  if (attempt.outcome === 'sent') return 'ok';
  if (attempt.outcome === 'timeout') return 'gateway';
  const status = result.response?.status ?? attempt.httpStatus;
  if (status !== undefined) return status >= 500 || status === 401 || status === 403 ? 'gateway' : 'message';
  // No answer: the network failed when a request was made; nothing was sent when none was built.
  return result.request ? 'gateway' : 'message';
}

interface Entry {
  failures: number[];
  openUntil?: number;
  trialInFlight?: boolean;
}

/** Makes a breaker; `false` options make one that never opens. */
export function createCircuitBreaker(options: CircuitBreakerOptions | false | undefined): CircuitBreaker {
  const threshold = options === false ? Number.POSITIVE_INFINITY : (options?.failureThreshold ?? 5);
  const windowMs = options === false ? 0 : (options?.windowMs ?? 5 * 60_000);
  const cooldownMs = options === false ? 0 : (options?.cooldownMs ?? 2 * 60_000);
  const entries = new Map<string, Entry>();

  const entry = (id: string) => {
    let e = entries.get(id);
    if (!e) {
      e = { failures: [] };
      entries.set(id, e);
    }
    return e;
  };
  const prune = (e: Entry, now: number) => {
    while (e.failures.length > 0 && (e.failures[0] as number) <= now - windowMs) e.failures.shift();
  };

  return {
    check(id, now) {
      const e = entries.get(id);
      if (!e || e.openUntil === undefined) return null;
      if (now < e.openUntil || e.trialInFlight) {
        return { retryAt: new Date(Math.max(now, e.openUntil)), failures: e.failures.length };
      }
      // Cooldown over: this send is the one trial (half-open); others keep skipping until it ends.
      e.trialInFlight = true;
      return null;
    },
    isOpen(id, now) {
      const e = entries.get(id);
      return e?.openUntil !== undefined && (now < e.openUntil || e.trialInFlight === true);
    },
    record(id, scope, now) {
      const e = entry(id);
      const wasTrial = e.trialInFlight === true;
      e.trialInFlight = false;
      if (scope === 'ok') {
        e.failures = [];
        delete e.openUntil;
        return;
      }
      if (scope === 'message') {
        // The gateway answered: a trial that got this far shows it is up again.
        if (wasTrial) delete e.openUntil;
        return;
      }
      e.failures.push(now);
      prune(e, now);
      if (wasTrial || e.failures.length >= threshold) e.openUntil = now + cooldownMs;
    },
    state(id, now) {
      const e = entries.get(id);
      if (!e) return { state: 'closed', failures: 0 };
      prune(e, now);
      if (e.openUntil === undefined) return { state: 'closed', failures: e.failures.length };
      if (now < e.openUntil) return { state: 'open', failures: e.failures.length, retryAt: new Date(e.openUntil) };
      return { state: 'half-open', failures: e.failures.length, retryAt: new Date(e.openUntil) };
    },
    retain(keep) {
      for (const id of entries.keys()) if (!keep.has(id)) entries.delete(id);
    },
  };
}
