import type { SmsAttempt } from '@hotspot-kit/core';
import { describe, expect, it } from 'vitest';
import { attemptScope, createCircuitBreaker } from './circuit-breaker.js';

const REQUEST = { method: 'POST', url: 'https://sms.example/send', headers: {} };
const answered = (outcome: SmsAttempt['outcome'], status: number, body = '') => ({
  attempt: { gatewayId: 'g', startedAt: new Date(0), durationMs: 1, outcome, httpStatus: status },
  request: REQUEST,
  response: { status, headers: {}, body },
});
const unanswered = (outcome: SmsAttempt['outcome'], built: boolean) => ({
  attempt: { gatewayId: 'g', startedAt: new Date(0), durationMs: 1, outcome },
  ...(built ? { request: REQUEST } : {}),
});

describe('circuit breaker', () => {
  it('opens after the threshold within the window, lets one trial through after the cooldown', () => {
    const b = createCircuitBreaker({ failureThreshold: 2, windowMs: 1000, cooldownMs: 5000 });
    b.record('g', 'gateway', 0);
    expect(b.check('g', 10)).toBeNull();
    b.record('g', 'gateway', 20);
    expect(b.isOpen('g', 30)).toBe(true);
    expect(b.check('g', 30)).toMatchObject({ failures: 2 });
    expect(b.state('g', 30).state).toBe('open');
    // cooldown over: exactly one trial
    expect(b.check('g', 5100)).toBeNull();
    expect(b.check('g', 5101)).not.toBeNull();
    b.record('g', 'gateway', 5200);
    expect(b.check('g', 5300)).not.toBeNull();
    expect(b.check('g', 10_300)).toBeNull();
    b.record('g', 'ok', 10_400);
    expect(b.state('g', 10_500)).toEqual({ state: 'closed', failures: 0 });
  });

  it('forgets failures older than the window', () => {
    const b = createCircuitBreaker({ failureThreshold: 2, windowMs: 1000, cooldownMs: 5000 });
    b.record('g', 'gateway', 0);
    b.record('g', 'gateway', 1500);
    expect(b.check('g', 1600)).toBeNull();
  });

  it('never opens on refusals of single messages, and can be turned off', () => {
    const b = createCircuitBreaker({ failureThreshold: 2, windowMs: 1000, cooldownMs: 5000 });
    for (let i = 0; i < 20; i++) b.record('g', 'message', i);
    expect(b.state('g', 30)).toEqual({ state: 'closed', failures: 0 });
    const off = createCircuitBreaker(false);
    for (let i = 0; i < 50; i++) off.record('g', 'gateway', i);
    expect(off.check('g', 60)).toBeNull();
  });
});

describe('attemptScope: only gateway-wide failures count toward the breaker', () => {
  it('counts timeouts, connection/TLS errors, 5xx and 401/403 credential refusals', () => {
    expect(attemptScope(unanswered('timeout', true))).toBe('gateway');
    expect(attemptScope(unanswered('timeout', false))).toBe('gateway');
    expect(attemptScope(unanswered('error', true))).toBe('gateway');
    for (const status of [500, 502, 503, 504, 401, 403]) {
      expect(attemptScope(answered('rejected', status, '{"error":"x"}'))).toBe('gateway');
    }
  });

  it('does not count refusals of one message: 4xx error bodies, 2xx without the marker, Twilio error JSON, build errors', () => {
    for (const status of [400, 404, 409, 410, 422, 429]) {
      expect(attemptScope(answered('rejected', status, '{"error":"unroutable"}'))).toBe('message');
    }
    expect(attemptScope(answered('rejected', 200, '{"status":"rejected"}'))).toBe('message');
    const twilio = '{"code":21612,"message":"The To phone number is not currently reachable","status":400}';
    expect(attemptScope(answered('rejected', 400, twilio))).toBe('message');
    // A parse hook that threw over a 2xx answer, and a Lua build error (nothing was sent).
    expect(attemptScope(answered('error', 200, 'ok'))).toBe('message');
    expect(attemptScope(unanswered('error', false))).toBe('message');
    expect(attemptScope(answered('sent', 200))).toBe('ok');
  });
});
