// The SMS log semantics every store shares: how a delivery receipt changes an entry when read,
// which of two receipts for one message is kept, and the opaque page cursor (newest first).
import type { DeliveryReceipt, SmsLogEntry } from '../../domain/sms.js';
import { HotspotKitError } from '../../errors.js';
import { fromBase64Url, toBase64Url, utf8 } from '../../platform/crypto.js';

const FINAL: ReadonlySet<DeliveryReceipt['status']> = new Set(['delivered', 'undelivered', 'failed']);

/**
 * Whether `next` replaces `current` as the kept receipt of one message: the latest wins,
 * except that a final status (`delivered`, `undelivered`, `failed`) is never replaced by an
 * earlier-stage one (`queued`, `sent`) that arrived late.
 */
export function deliveryReceiptWins(current: DeliveryReceipt, next: DeliveryReceipt): boolean {
  return !(FINAL.has(current.status) && !FINAL.has(next.status));
}

/**
 * `entry` as read with `receipt` merged: a final receipt sets the status (and `deliveredAt`
 * or `errorCode`); `queued`/`sent` receipts leave the status alone. Mutates and returns `entry`.
 */
export function applyDeliveryReceipt(entry: SmsLogEntry, receipt: DeliveryReceipt | undefined): SmsLogEntry {
  if (receipt === undefined) return entry;
  if (receipt.status === 'delivered') {
    entry.status = 'delivered';
    entry.deliveredAt = receipt.receivedAt;
    if (receipt.errorCode !== undefined) entry.errorCode = receipt.errorCode;
  } else if (receipt.status === 'undelivered' || receipt.status === 'failed') {
    entry.status = receipt.status;
    if (receipt.errorCode !== undefined) entry.errorCode = receipt.errorCode;
  }
  return entry;
}

/** Sort order of the SMS log: newest `createdAt` first, then id descending (stable pages). */
export function newerFirst(a: Pick<SmsLogEntry, 'createdAt' | 'id'>, b: Pick<SmsLogEntry, 'createdAt' | 'id'>): number {
  const dt = b.createdAt.getTime() - a.createdAt.getTime();
  if (dt !== 0) return dt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The cursor that continues a page after `last`. */
export function encodeSmsLogCursor(last: Pick<SmsLogEntry, 'createdAt' | 'id'>): string {
  return toBase64Url(utf8(JSON.stringify({ t: last.createdAt.getTime(), id: last.id })));
}

/** Reads a cursor made by {@link encodeSmsLogCursor}; a malformed one is an `INVALID_INPUT` error. */
export function decodeSmsLogCursor(cursor: string): { t: number; id: string } {
  try {
    const value = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))) as { t?: unknown; id?: unknown };
    if (typeof value.t === 'number' && Number.isFinite(value.t) && typeof value.id === 'string') {
      return { t: value.t, id: value.id };
    }
  } catch {
    // fall through to the typed error
  }
  throw new HotspotKitError('INVALID_INPUT', 'Invalid SMS log cursor', {
    issues: [{ path: 'cursor', message: 'is not a cursor returned by list()' }],
  });
}
