import type { Customer } from '../domain/customer.js';
import type { SessionRecord } from '../domain/usage.js';
import type { VoucherRecord } from '../domain/voucher.js';

let counter = 0;
/** A unique id for test records. */
export function testId(prefix = 'id'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A customer record with unique id and phone. */
export function makeCustomer(overrides: Partial<Customer> = {}): Customer {
  const n = Math.floor(Math.random() * 9_000_000) + 1_000_000;
  return { id: testId('cus'), phone: `+1415${n}`, createdAt: new Date('2026-01-01T00:00:00Z'), ...overrides };
}

/** A `new` voucher record with a unique id and code. */
export function makeVoucherRecord(overrides: Partial<VoucherRecord> = {}): VoucherRecord {
  const id = testId('vch');
  return {
    id,
    code: id
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(-12),
    planId: 'plan-1',
    planName: 'Day pass',
    limits: { simultaneousDevices: 2, expiry: { kind: 'after-activation', seconds: 86_400 } },
    state: 'new',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    devices: [],
    version: 0,
    ...overrides,
  };
}

/** An open accounting session of voucher `v-1` with a unique id, zero counters, last heard 2026-03-01T10:00Z. */
export function makeSessionRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const at = Date.parse('2026-03-01T10:00:00.000Z');
  return {
    sessionId: testId('sess'),
    voucherId: 'v-1',
    inputBytes: 0,
    outputBytes: 0,
    sessionTime: 0,
    rawInputOctets: 0,
    rawOutputOctets: 0,
    inputWraps: 0,
    outputWraps: 0,
    startedAt: new Date(at),
    lastEventAt: new Date(at),
    version: 0,
    ...overrides,
  };
}
