import { describe, expect, it } from 'vitest';
import { countsAsGatewayFailure, createCircuitBreaker } from './circuit-breaker.js';

describe('circuit breaker', () => {
  it('opens after the threshold within the window, lets one trial through after the cooldown', () => {
    const b = createCircuitBreaker({ failureThreshold: 2, windowMs: 1000, cooldownMs: 5000 });
    b.record('g', { outcome: 'timeout' }, 0);
    expect(b.check('g', 10)).toBeNull();
    b.record('g', { outcome: 'error' }, 20);
    expect(b.isOpen('g', 30)).toBe(true);
    expect(b.check('g', 30)).toMatchObject({ failures: 2 });
    expect(b.state('g', 30).state).toBe('open');
    // cooldown over: exactly one trial
    expect(b.check('g', 5100)).toBeNull();
    expect(b.check('g', 5101)).not.toBeNull();
    b.record('g', { outcome: 'rejected', httpStatus: 500 }, 5200);
    expect(b.check('g', 5300)).not.toBeNull();
    expect(b.check('g', 10_300)).toBeNull();
    b.record('g', { outcome: 'sent', httpStatus: 200 }, 10_400);
    expect(b.state('g', 10_500)).toEqual({ state: 'closed', failures: 0 });
  });

  it('forgets failures older than the window', () => {
    const b = createCircuitBreaker({ failureThreshold: 2, windowMs: 1000, cooldownMs: 5000 });
    b.record('g', { outcome: 'timeout' }, 0);
    b.record('g', { outcome: 'timeout' }, 1500);
    expect(b.check('g', 1600)).toBeNull();
  });

  it('does not count rejections about the message itself, and can be turned off', () => {
    expect(countsAsGatewayFailure({ outcome: 'rejected', httpStatus: 400 })).toBe(false);
    expect(countsAsGatewayFailure({ outcome: 'rejected', httpStatus: 401 })).toBe(true);
    expect(countsAsGatewayFailure({ outcome: 'rejected', httpStatus: 200 })).toBe(true);
    const off = createCircuitBreaker(false);
    for (let i = 0; i < 50; i++) off.record('g', { outcome: 'error' }, i);
    expect(off.check('g', 60)).toBeNull();
  });
});
