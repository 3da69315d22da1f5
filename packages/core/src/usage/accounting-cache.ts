import type { SessionRecord } from '../domain/usage.js';
import type { AccountingVoucher, VoucherUsageState } from '../store/hotspot-store.js';

/** Sessions remembered (about 0.5 KB each): the open sessions of a large operator. */
export const CACHED_SESSIONS = 100_000;
/** Vouchers whose customer and time zone are remembered. */
export const CACHED_VOUCHERS = 100_000;
/** How long a voucher's location time zone is trusted before it is read again, in milliseconds. */
export const VOUCHER_CACHE_TTL_MS = 60_000;

/** A map that forgets the entry written longest ago when full (a write moves an entry to the young end). */
function boundedMap<V>(limit: number) {
  const map = new Map<string, V>();
  return {
    get: (key: string) => map.get(key),
    set(key: string, value: V): void {
      map.delete(key);
      if (map.size >= limit) map.delete(map.keys().next().value as string);
      map.set(key, value);
    },
    delete: (key: string) => map.delete(key),
  };
}

interface CachedVoucher {
  meta: AccountingVoucher;
  loadedAt: number;
}

/**
 * What the accounting queue remembers between batches, so that a batch of interim updates
 * for known sessions needs no read before its write:
 * - each session as this kit last stored it. It is only a guess: the write is guarded by the
 *   session's version, so when another instance (or the stale-session sweep) wrote it since,
 *   the guard fails, the entry is dropped and the session is read again. Never a wrong total.
 * - each voucher's customer and its location's time zone (what the session record and the day
 *   bucket need). Limits, state and expiry are never taken from here: they are read back in
 *   the write's own transaction. The customer is refreshed from every read-back; a changed
 *   location drops the entry; a location's new time zone is seen within
 *   {@link VOUCHER_CACHE_TTL_MS}.
 */
export function createAccountingCache(now: () => number = () => performance.now()) {
  const sessions = boundedMap<SessionRecord>(CACHED_SESSIONS);
  const vouchers = boundedMap<CachedVoucher>(CACHED_VOUCHERS);

  return {
    session: (sessionId: string) => sessions.get(sessionId),
    voucher(voucherId: string): AccountingVoucher | undefined {
      const entry = vouchers.get(voucherId);
      if (!entry) return undefined;
      if (now() - entry.loadedAt > VOUCHER_CACHE_TTL_MS) {
        vouchers.delete(voucherId);
        return undefined;
      }
      return entry.meta;
    },
    /** A session as stored by a write whose guard held (`version` as the store set it). */
    stored(session: SessionRecord): void {
      sessions.set(session.sessionId, session);
    },
    /** A session whose guard failed: read it again next time. */
    forget(sessionId: string): void {
      sessions.delete(sessionId);
    },
    loaded(voucherId: string, meta: AccountingVoucher): void {
      vouchers.set(voucherId, { meta, loadedAt: now() });
    },
    /** A voucher as read back after a write. */
    readBack(state: VoucherUsageState): void {
      const entry = vouchers.get(state.voucher.id);
      if (!entry) return;
      if (entry.meta.locationId !== state.voucher.locationId) vouchers.delete(state.voucher.id);
      else if (state.voucher.customerId !== undefined) entry.meta.customerId = state.voucher.customerId;
    },
  };
}

/** The accounting queue's memory (see {@link createAccountingCache}). */
export type AccountingCache = ReturnType<typeof createAccountingCache>;
