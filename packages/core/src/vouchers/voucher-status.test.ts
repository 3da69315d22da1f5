import { describe, expect, it } from 'vitest';
import type { PlanLimits } from '../domain/plan.js';
import type { VoucherRecord } from '../domain/voucher.js';
import { computeExpiresAt, evaluateVoucher, limitReached, remainingAllowance, statusRank } from './voucher-status.js';

const T0 = new Date('2026-03-01T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const usage = (downloadBytes: number, uploadBytes: number, onlineSeconds = 0) => ({
  downloadBytes,
  uploadBytes,
  onlineSeconds,
});

function record(state: VoucherRecord['state'], limits: Partial<PlanLimits> = {}, expiresAt?: Date) {
  return {
    state,
    limits: { simultaneousDevices: 1, expiry: { kind: 'after-activation', seconds: 3600 }, ...limits } as PlanLimits,
    ...(expiresAt ? { expiresAt } : {}),
  };
}

describe('computeExpiresAt', () => {
  it('fixed: at validUntil whatever the activation', () => {
    const validUntil = new Date('2026-12-31T00:00:00Z');
    expect(computeExpiresAt({ kind: 'fixed', validUntil }, { createdAt: T0 })).toEqual(validUntil);
    expect(computeExpiresAt({ kind: 'fixed', validUntil }, { createdAt: T0, activatedAt: at(99) })).toEqual(validUntil);
  });
  it('after-creation: counted from creation, known before activation', () => {
    expect(computeExpiresAt({ kind: 'after-creation', seconds: 60 }, { createdAt: T0 })).toEqual(at(60));
    expect(computeExpiresAt({ kind: 'after-creation', seconds: 60 }, { createdAt: T0, activatedAt: at(30) })).toEqual(
      at(60),
    );
  });
  it('after-activation: unknown until activation, then counted from it', () => {
    expect(computeExpiresAt({ kind: 'after-activation', seconds: 60 }, { createdAt: T0 })).toBeUndefined();
    expect(computeExpiresAt({ kind: 'after-activation', seconds: 60 }, { createdAt: T0, activatedAt: at(30) })).toEqual(
      at(90),
    );
  });
});

describe('limitReached', () => {
  it('total traffic counts both directions', () => {
    const limits = record('active', { trafficLimit: { totalBytes: 1000 } }).limits;
    expect(limitReached(limits, usage(600, 399))).toBeNull();
    expect(limitReached(limits, usage(600, 400))).toBe('traffic');
  });
  it('separate caps: either direction at its cap ends the voucher', () => {
    const limits = record('active', { trafficLimit: { downloadBytes: 1000, uploadBytes: 100 } }).limits;
    expect(limitReached(limits, usage(999, 99))).toBeNull();
    expect(limitReached(limits, usage(1000, 0))).toBe('traffic');
    expect(limitReached(limits, usage(0, 100))).toBe('traffic');
  });
  it('online time, after traffic', () => {
    const limits = record('active', { onlineTimeSeconds: 60, trafficLimit: { totalBytes: 10 } }).limits;
    expect(limitReached(limits, usage(0, 0, 59))).toBeNull();
    expect(limitReached(limits, usage(0, 0, 60))).toBe('online-time');
    expect(limitReached(limits, usage(10, 0, 60))).toBe('traffic');
  });
  it('no limits: never', () => {
    expect(limitReached(record('active').limits, usage(2 ** 50, 2 ** 50, 10 ** 9))).toBeNull();
  });
});

describe('evaluateVoucher: every status', () => {
  const ctx = (onlineSessions = 0, now = T0) => ({ now, onlineSessions });
  it('new', () => {
    const ev = evaluateVoucher(record('new'), usage(0, 0), ctx());
    expect(ev.status).toBe('new');
    expect(ev.due).toBeUndefined();
  });
  it('active, and online while a session is open', () => {
    const r = record('active', {}, at(3600));
    expect(evaluateVoucher(r, usage(0, 0), ctx()).status).toBe('active');
    expect(evaluateVoucher(r, usage(0, 0), ctx(2)).status).toBe('online');
  });
  it('used and expired as stored, never online', () => {
    expect(evaluateVoucher(record('used'), usage(0, 0), ctx(1)).status).toBe('used');
    expect(evaluateVoucher(record('expired'), usage(0, 0), ctx(1)).status).toBe('expired');
  });
  it('active past expiresAt is due expired (at the instant itself too)', () => {
    const r = record('active', {}, at(60));
    expect(evaluateVoucher(r, usage(0, 0), ctx(1, at(59))).status).toBe('online');
    expect(evaluateVoucher(r, usage(0, 0), ctx(1, at(60)))).toMatchObject({
      status: 'expired',
      due: { state: 'expired', reason: 'validity' },
    });
  });
  it('new past expiresAt (after-creation / fixed) is due expired', () => {
    const r = record('new', { expiry: { kind: 'after-creation', seconds: 60 } }, at(60));
    expect(evaluateVoucher(r, usage(0, 0), ctx(0, at(61)))).toMatchObject({
      status: 'expired',
      due: { state: 'expired' },
    });
  });
  it('active at a limit is due used with the reason; validity wins over limits', () => {
    const r = record('active', { trafficLimit: { totalBytes: 100 }, onlineTimeSeconds: 10 }, at(60));
    expect(evaluateVoucher(r, usage(100, 0), ctx(1))).toMatchObject({
      status: 'used',
      due: { state: 'used', reason: 'traffic' },
    });
    expect(evaluateVoucher(r, usage(0, 0, 10), ctx())).toMatchObject({ due: { reason: 'online-time' } });
    expect(evaluateVoucher(r, usage(100, 0), ctx(0, at(60)))).toMatchObject({ due: { state: 'expired' } });
  });
  it('a new voucher is not used up by usage before activation', () => {
    expect(evaluateVoucher(record('new', { trafficLimit: { totalBytes: 1 } }), usage(5, 5), ctx()).due).toBeUndefined();
  });
});

describe('remainingAllowance', () => {
  it('total cap: total left, directions null; unlimited time is null', () => {
    expect(
      remainingAllowance(record('active', { trafficLimit: { totalBytes: 1000 } }, at(100)), usage(300, 200, 5), T0),
    ).toEqual({
      totalBytes: 500,
      downloadBytes: null,
      uploadBytes: null,
      onlineSeconds: null,
      validitySeconds: 100,
    });
  });
  it('separate caps: each direction and their sum; never negative', () => {
    const r = record(
      'active',
      { trafficLimit: { downloadBytes: 1000, uploadBytes: 100 }, onlineTimeSeconds: 60 },
      at(10),
    );
    expect(remainingAllowance(r, usage(400, 150, 70), T0)).toEqual({
      totalBytes: 600,
      downloadBytes: 600,
      uploadBytes: 0,
      onlineSeconds: 0,
      validitySeconds: 10,
    });
  });
  it('validity: whole period before an after-activation voucher starts, 0 when expired, null without end', () => {
    expect(remainingAllowance(record('new'), usage(0, 0), T0).validitySeconds).toBe(3600);
    expect(remainingAllowance(record('expired', {}, at(-5)), usage(0, 0), T0).validitySeconds).toBe(0);
    expect(remainingAllowance(record('active', {}, at(-5)), usage(0, 0), T0).validitySeconds).toBe(0);
  });
});

describe('statusRank', () => {
  it('orders online, active, new, then used and expired', () => {
    const sorted = (['used', 'new', 'expired', 'online', 'active'] as const)
      .slice()
      .sort((a, b) => statusRank(a) - statusRank(b));
    expect(sorted.slice(0, 3)).toEqual(['online', 'active', 'new']);
    expect(new Set(sorted.slice(3))).toEqual(new Set(['used', 'expired']));
  });
});
