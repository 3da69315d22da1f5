import type { DailyUsage, SessionRecord, UsageTotals } from '../../domain/usage.js';
import type {
  AccountingVoucher,
  LocationRepository,
  UsageRepository,
  VoucherRepository,
  VoucherUsageState,
} from '../hotspot-store.js';
import { checkDistinctSessions } from '../usage-batch.js';
import { clone } from './clone.js';

const zero = (): UsageTotals => ({ downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 });

function add(into: UsageTotals, delta: UsageTotals): void {
  into.downloadBytes += delta.downloadBytes;
  into.uploadBytes += delta.uploadBytes;
  into.onlineSeconds += delta.onlineSeconds;
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

// By last event, then id: a stable order for sweeps and listings.
function oldestFirst(a: SessionRecord, b: SessionRecord): number {
  return a.lastEventAt.getTime() - b.lastEventAt.getTime() || (a.sessionId < b.sessionId ? -1 : 1);
}

const isZero = (t: UsageTotals): boolean => t.downloadBytes === 0 && t.uploadBytes === 0 && t.onlineSeconds === 0;

/** The repositories the usage repository reads vouchers and time zones from. */
export interface MemoryUsageDependencies {
  vouchers: VoucherRepository;
  locations: LocationRepository;
}

/**
 * In-memory {@link UsageRepository}: sessions, running totals per voucher and per-day
 * buckets. `applySessionUpdate` and `applyEvents` check each guard and write everything
 * without an `await` in between, which makes them atomic within the process; `applyEvents`
 * reads the vouchers after its writes.
 */
export function createMemoryUsageRepository({ vouchers, locations }: MemoryUsageDependencies): UsageRepository {
  const sessions = new Map<string, SessionRecord>();
  const sessionIdsByVoucher = new Map<string, Set<string>>();
  const openSessionIds = new Set<string>();
  const totals = new Map<string, UsageTotals>();
  const days = new Map<string, Map<string, UsageTotals>>();

  /** Guarded write of one session and its day deltas; synchronous, so atomic in-process. */
  function write(
    session: SessionRecord,
    expectedVersion: number | null,
    deltas: ReadonlyArray<{ day: string; delta: UsageTotals }>,
  ): boolean {
    const current = sessions.get(session.sessionId);
    if (expectedVersion === null ? current !== undefined : current?.version !== expectedVersion) return false;
    const stored = clone({ ...session, version: expectedVersion === null ? 0 : expectedVersion + 1 });
    sessions.set(stored.sessionId, stored);
    if (stored.closedAt) openSessionIds.delete(stored.sessionId);
    else openSessionIds.add(stored.sessionId);
    getOrAdd(sessionIdsByVoucher, stored.voucherId, () => new Set<string>()).add(stored.sessionId);
    for (const { day, delta } of deltas) {
      if (isZero(delta)) continue;
      add(getOrAdd(totals, stored.voucherId, zero), delta);
      const byDay = getOrAdd(days, stored.voucherId, () => new Map<string, UsageTotals>());
      add(getOrAdd(byDay, day, zero), delta);
    }
    return true;
  }

  function onlineCount(voucherId: string, after: Date): number {
    let n = 0;
    for (const id of sessionIdsByVoucher.get(voucherId) ?? []) {
      const s = sessions.get(id) as SessionRecord;
      if (!s.closedAt && s.lastEventAt.getTime() > after.getTime()) n += 1;
    }
    return n;
  }

  return {
    async getSession(sessionId) {
      const found = sessions.get(sessionId);
      return found ? clone(found) : null;
    },
    async applySessionUpdate({ session, expectedVersion, delta, day }) {
      return write(session, expectedVersion, [{ day, delta }]);
    },
    async loadForEvents(sessionIds, voucherIds) {
      const found = new Map<string, SessionRecord>();
      for (const id of sessionIds) {
        const s = sessions.get(id);
        if (s) found.set(id, clone(s));
      }
      const known = new Map<string, AccountingVoucher>();
      for (const id of new Set(voucherIds)) {
        const voucher = await vouchers.get(id);
        if (!voucher) continue;
        const location = voucher.locationId === undefined ? null : await locations.get(voucher.locationId);
        const entry: AccountingVoucher = { timeZone: location?.timezone ?? 'UTC' };
        if (voucher.customerId !== undefined) entry.customerId = voucher.customerId;
        if (voucher.locationId !== undefined) entry.locationId = voucher.locationId;
        known.set(id, entry);
      }
      return { sessions: found, vouchers: known };
    },
    async applyEvents({ writes, voucherIds, onlineAfter }) {
      checkDistinctSessions(writes);
      const applied = writes.map((w) => write(w.session, w.expectedVersion, w.days));
      const states = new Map<string, VoucherUsageState>();
      for (const id of new Set(voucherIds)) {
        const voucher = await vouchers.get(id);
        if (!voucher) continue;
        states.set(id, {
          voucher,
          totals: { ...(totals.get(id) ?? zero()) },
          onlineSessions: onlineCount(id, onlineAfter),
        });
      }
      return { applied, vouchers: states };
    },
    async getTotals(voucherId) {
      return { ...(totals.get(voucherId) ?? zero()) };
    },
    async getTotalsMany(voucherIds) {
      const out = new Map<string, UsageTotals>();
      for (const id of voucherIds) out.set(id, { ...(totals.get(id) ?? zero()) });
      return out;
    },
    async dailyHistory(voucherIds, from, to) {
      const sum = new Map<string, UsageTotals>();
      for (const id of new Set(voucherIds)) {
        const byDay = days.get(id);
        if (!byDay) continue;
        for (const [day, bucket] of byDay) {
          if (day < from || day > to) continue;
          add(getOrAdd(sum, day, zero), bucket);
        }
      }
      const out: DailyUsage[] = [];
      for (const [day, t] of sum) if (!isZero(t)) out.push({ day, ...t });
      return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    },
    async openSessions(voucherIds, seenAfter) {
      const out: SessionRecord[] = [];
      for (const voucherId of new Set(voucherIds)) {
        for (const id of sessionIdsByVoucher.get(voucherId) ?? []) {
          const s = sessions.get(id) as SessionRecord;
          if (!s.closedAt && s.lastEventAt.getTime() > seenAfter.getTime()) out.push(clone(s));
        }
      }
      return out;
    },
    async openSessionsByNas(nasId, limit) {
      const out: SessionRecord[] = [];
      for (const id of openSessionIds) {
        const s = sessions.get(id) as SessionRecord;
        if (s.nasId === nasId) out.push(s);
      }
      return out.sort(oldestFirst).slice(0, Math.max(0, limit)).map(clone);
    },
    async closeNasSessions(nasId, at) {
      const closed: SessionRecord[] = [];
      for (const id of [...openSessionIds]) {
        const s = sessions.get(id) as SessionRecord;
        if (s.nasId !== nasId || s.lastEventAt.getTime() > at.getTime()) continue;
        const next: SessionRecord = {
          ...s,
          closedAt: new Date(at),
          closedReason: 'nas-restart',
          version: s.version + 1,
        };
        sessions.set(id, next);
        openSessionIds.delete(id);
        closed.push(clone(next));
      }
      return closed.sort(oldestFirst);
    },
    async staleSessions(seenBefore, limit) {
      const out: SessionRecord[] = [];
      for (const id of openSessionIds) {
        const s = sessions.get(id) as SessionRecord;
        if (s.lastEventAt.getTime() <= seenBefore.getTime()) out.push(s);
      }
      return out
        .sort((a, b) => a.lastEventAt.getTime() - b.lastEventAt.getTime() || (a.sessionId < b.sessionId ? -1 : 1))
        .slice(0, Math.max(0, limit))
        .map(clone);
    },
  };
}
