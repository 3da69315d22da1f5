import type { VoucherRecord } from '../../domain/voucher.js';
import { voucherCodeKey } from '../../vouchers/voucher-code.js';
import type { VoucherRepository } from '../hotspot-store.js';
import { clone } from './clone.js';

// Most recently activated first, then the newest; never-activated ones after activated ones.
function lastActivatedFirst(a: VoucherRecord, b: VoucherRecord): number {
  const at = (v: VoucherRecord) => v.activatedAt?.getTime() ?? -1;
  return at(b) - at(a) || newestFirst(a, b);
}

function newestFirst(a: VoucherRecord, b: VoucherRecord): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * In-memory {@link VoucherRepository}. Codes and short codes are each unique; every
 * check-then-write runs without an `await` in between, so compare-and-set holds in-process.
 */
export function createMemoryVouchersRepository(): VoucherRepository {
  const byId = new Map<string, VoucherRecord>();
  const idByCode = new Map<string, string>();
  const idByShortCode = new Map<string, string>();
  const idsByCustomer = new Map<string, Set<string>>();
  const idsByCodeKey = new Map<string, Set<string>>();
  const idsByMac = new Map<string, Set<string>>();

  const taken = (v: VoucherRecord): boolean =>
    byId.has(v.id) || idByCode.has(v.code) || (v.shortCode !== undefined && idByShortCode.has(v.shortCode));

  function indexCustomer(customerId: string | undefined, id: string, add: boolean): void {
    if (customerId === undefined) return;
    const set = idsByCustomer.get(customerId);
    if (!add) set?.delete(id);
    else if (set) set.add(id);
    else idsByCustomer.set(customerId, new Set([id]));
  }

  function index(map: Map<string, Set<string>>, key: string, id: string, add: boolean): void {
    const set = map.get(key);
    if (!add) {
      set?.delete(id);
      if (set?.size === 0) map.delete(key);
    } else if (set) set.add(id);
    else map.set(key, new Set([id]));
  }

  function indexLookups(v: VoucherRecord, add: boolean): void {
    index(idsByCodeKey, voucherCodeKey(v.code), v.id, add);
    for (const d of v.devices) index(idsByMac, d.mac, v.id, add);
  }

  function put(v: VoucherRecord): void {
    byId.set(v.id, clone(v));
    idByCode.set(v.code, v.id);
    if (v.shortCode !== undefined) idByShortCode.set(v.shortCode, v.id);
    indexCustomer(v.customerId, v.id, true);
    indexLookups(v, true);
  }

  const records = (ids: Set<string> | undefined): VoucherRecord[] =>
    [...(ids ?? [])].map((id) => byId.get(id) as VoucherRecord);

  return {
    async insert(voucher) {
      if (taken(voucher)) return false;
      put(voucher);
      return true;
    },
    async insertMany(vouchers) {
      const skipped: string[] = [];
      for (const v of vouchers) {
        if (taken(v)) skipped.push(v.id);
        else put(v);
      }
      return skipped;
    },
    async get(id) {
      const found = byId.get(id);
      return found ? clone(found) : null;
    },
    async getByCode(code) {
      const id = idByCode.get(code) ?? idByShortCode.get(code);
      const found = id === undefined ? undefined : byId.get(id);
      return found ? clone(found) : null;
    },
    async findByCodeKey(key, limit = 2) {
      return records(idsByCodeKey.get(key)).sort(newestFirst).slice(0, Math.max(0, limit)).map(clone);
    },
    async listByDevice(mac, options = {}) {
      const { states, limit } = options;
      return records(idsByMac.get(mac))
        .filter((v) => states === undefined || states.includes(v.state))
        .sort(lastActivatedFirst)
        .slice(0, limit === undefined ? undefined : Math.max(0, limit))
        .map(clone);
    },
    async listByCustomer(customerId) {
      const ids = idsByCustomer.get(customerId);
      if (!ids) return [];
      return [...ids]
        .map((id) => byId.get(id) as VoucherRecord)
        .sort(newestFirst)
        .map(clone);
    },
    async update(next, expectedVersion) {
      const current = byId.get(next.id);
      if (!current || current.version !== expectedVersion) return false;
      if (next.code !== current.code && idByCode.has(next.code)) return false;
      if (next.shortCode !== current.shortCode && next.shortCode !== undefined && idByShortCode.has(next.shortCode)) {
        return false;
      }
      idByCode.delete(current.code);
      if (current.shortCode !== undefined) idByShortCode.delete(current.shortCode);
      indexCustomer(current.customerId, current.id, false);
      indexLookups(current, false);
      put({ ...next, version: expectedVersion + 1 });
      return true;
    },
    async listExpiringBefore(at, limit) {
      const due: VoucherRecord[] = [];
      for (const v of byId.values()) {
        if ((v.state === 'new' || v.state === 'active') && v.expiresAt && v.expiresAt.getTime() <= at.getTime()) {
          due.push(v);
        }
      }
      return due
        .sort((a, b) => (a.expiresAt as Date).getTime() - (b.expiresAt as Date).getTime() || (a.id < b.id ? -1 : 1))
        .slice(0, Math.max(0, limit))
        .map(clone);
    },
  };
}
