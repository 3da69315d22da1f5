import type { DeliveryReceipt, SmsLogEntry } from '../../domain/sms.js';
import { HotspotKitError } from '../../errors.js';
import type { SmsLogFilter, SmsLogPage, SmsLogRepository } from '../hotspot-store.js';
import { clone } from './clone.js';
import {
  applyDeliveryReceipt,
  decodeSmsLogCursor,
  deliveryReceiptWins,
  encodeSmsLogCursor,
  newerFirst,
} from './sms-log-rules.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/**
 * The SMS log in memory. Receipts live in their own map keyed by provider message id and are
 * merged into entries on every read, so a receipt that arrives before the send that produced
 * it has been logged (or before the router wrote the provider id) is applied when it can be.
 */
export function createMemorySmsLogRepository(): SmsLogRepository {
  const entries = new Map<string, SmsLogEntry>();
  const receipts = new Map<string, DeliveryReceipt>();

  const read = (entry: SmsLogEntry): SmsLogEntry => {
    const receipt = entry.providerMessageId === undefined ? undefined : receipts.get(entry.providerMessageId);
    return applyDeliveryReceipt(clone(entry), receipt === undefined ? undefined : clone(receipt));
  };

  return {
    async insert(entry) {
      if (entries.has(entry.id)) {
        throw new HotspotKitError('CONFLICT', `SMS log entry ${entry.id} exists already`);
      }
      entries.set(entry.id, clone(entry));
    },

    async update(entry) {
      if (!entries.has(entry.id)) throw new HotspotKitError('NOT_FOUND', `No SMS log entry ${entry.id}`);
      entries.set(entry.id, clone(entry));
    },

    async get(id) {
      const entry = entries.get(id);
      return entry === undefined ? null : read(entry);
    },

    async list(filter: SmsLogFilter, page = {}): Promise<SmsLogPage> {
      const limit = pageLimit(page.limit);
      const after = page.cursor === undefined ? undefined : decodeSmsLogCursor(page.cursor);
      const matching: SmsLogEntry[] = [];
      for (const stored of entries.values()) {
        const entry = read(stored);
        if (matches(entry, filter)) matching.push(entry);
      }
      matching.sort(newerFirst);
      const start =
        after === undefined
          ? 0
          : matching.findIndex((e) => newerFirst(e, { createdAt: new Date(after.t), id: after.id }) > 0);
      const from = start < 0 ? matching.length : start;
      const items = matching.slice(from, from + limit);
      const last = items[items.length - 1];
      const hasMore = from + limit < matching.length;
      return hasMore && last ? { items, nextCursor: encodeSmsLogCursor(last) } : { items };
    },

    async recordReceipt(receipt) {
      const current = receipts.get(receipt.providerMessageId);
      if (current === undefined || deliveryReceiptWins(current, receipt)) {
        receipts.set(receipt.providerMessageId, clone(receipt));
      }
      for (const entry of entries.values()) {
        if (entry.providerMessageId === receipt.providerMessageId) return read(entry);
      }
      return null;
    },

    async findByProviderMessageId(providerMessageId) {
      for (const entry of entries.values()) {
        if (entry.providerMessageId === providerMessageId) return read(entry);
      }
      return null;
    },
  };
}

function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new HotspotKitError('INVALID_INPUT', `SMS log page limit must be a positive integer, got ${String(limit)}`, {
      issues: [{ path: 'limit', message: 'must be a positive integer' }],
    });
  }
  return Math.min(limit, MAX_LIMIT);
}

function matches(entry: SmsLogEntry, filter: SmsLogFilter): boolean {
  if (filter.to !== undefined && entry.to !== filter.to) return false;
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  if (filter.purpose !== undefined && entry.purpose !== filter.purpose) return false;
  if (filter.gatewayId !== undefined && entry.gatewayId !== filter.gatewayId) return false;
  if (filter.locationId !== undefined && entry.locationId !== filter.locationId) return false;
  if (filter.since !== undefined && entry.createdAt.getTime() < filter.since.getTime()) return false;
  if (filter.until !== undefined && entry.createdAt.getTime() >= filter.until.getTime()) return false;
  return true;
}
