import type { UsageTotals } from '../domain/usage.js';
import type { Voucher, VoucherRecord } from '../domain/voucher.js';
import { HotspotKitError } from '../errors.js';
import { requireId } from '../kit/input-schemas.js';
import type { KitContext } from '../kit/kit-context.js';
import type { VoucherPage, VoucherPageOptions } from '../kit/services.js';
import type { VoucherLifecycle } from './voucher-lifecycle.js';
import { evaluateVoucher, statusRank } from './voucher-status.js';

/** Vouchers on a page when the caller does not say. */
export const DEFAULT_VOUCHER_PAGE = 10;
/** Most vouchers on one page. */
export const MAX_VOUCHER_PAGE = 100;

const ZERO: UsageTotals = { downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 };

interface Ranked {
  record: VoucherRecord;
  rank: number;
}

/** Whether `a` comes before `b` in the list order: status group, then newest first, then id. */
function compare(a: { rank: number; at: number; id: string }, b: { rank: number; at: number; id: string }): number {
  return a.rank - b.rank || b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

const keyOf = (r: Ranked) => ({ rank: r.rank, at: r.record.createdAt.getTime(), id: r.record.id });

function encodeCursor(r: Ranked): string {
  const { rank, at, id } = keyOf(r);
  return btoa(`${rank}.${at}.${id}`).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

function decodeCursor(cursor: string): { rank: number; at: number; id: string } {
  let text = '';
  try {
    text = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    text = '';
  }
  const match = /^([0-9]+)\.(-?[0-9]+)\.(.+)$/s.exec(text);
  if (!match) {
    throw new HotspotKitError('INVALID_INPUT', 'Invalid voucher page cursor', {
      issues: [{ path: 'cursor', message: 'is not a cursor this list handed out; start again without it' }],
    });
  }
  return { rank: Number(match[1]), at: Number(match[2]), id: match[3] as string };
}

/**
 * `kit.vouchers.pageForCustomer`: one page of a customer's vouchers in `listForCustomer`'s
 * order, so a customer with hundreds of vouchers costs a page, not hundreds of read models.
 * The order needs the status of the vouchers that may still be open (new or active: a few)
 * and the stored state of the rest; only the page's vouchers get totals, open sessions and a
 * read model. The cursor is the position after the last voucher handed out (status group,
 * creation time, id), so pages neither repeat nor skip while the list stays as it is.
 */
export function createVoucherPages(ctx: KitContext, lifecycle: VoucherLifecycle) {
  return async function pageForCustomer(customerId: string, options: VoucherPageOptions = {}): Promise<VoucherPage> {
    const id = requireId(customerId, 'customerId');
    const limit = options.limit ?? DEFAULT_VOUCHER_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_VOUCHER_PAGE) {
      throw new HotspotKitError('INVALID_INPUT', `Invalid voucher page limit: ${String(limit)}`, {
        issues: [{ path: 'limit', message: `must be a whole number from 1 to ${MAX_VOUCHER_PAGE}` }],
      });
    }
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    const records = await ctx.store.vouchers.listByCustomer(id);
    const open = records.filter((r) => r.state === 'new' || r.state === 'active').map((r) => r.id);
    const [openTotals, openOnline] = await Promise.all([
      ctx.store.usage.getTotalsMany(open),
      lifecycle.onlineCounts(open),
    ]);
    const now = ctx.clock();
    const ranked: Ranked[] = records.map((record) => {
      const totals = openTotals.get(record.id);
      if (!totals) return { record, rank: statusRank(record.state) };
      const online = openOnline.get(record.id) ?? 0;
      return { record, rank: statusRank(evaluateVoucher(record, totals, { now, onlineSessions: online }).status) };
    });
    ranked.sort((a, b) => compare(keyOf(a), keyOf(b)));
    const start = after ? ranked.findIndex((r) => compare(keyOf(r), after) > 0) : 0;
    const page = start < 0 ? [] : ranked.slice(start, start + limit);

    const ended = page.filter((r) => !openTotals.has(r.record.id)).map((r) => r.record.id);
    const [endedTotals, endedOnline] = await Promise.all([
      ctx.store.usage.getTotalsMany(ended),
      lifecycle.onlineCounts(ended),
    ]);
    const vouchers: Voucher[] = await Promise.all(
      page.map(({ record }) =>
        lifecycle.present(
          record,
          openTotals.get(record.id) ?? endedTotals.get(record.id) ?? ZERO,
          openOnline.get(record.id) ?? endedOnline.get(record.id) ?? 0,
        ),
      ),
    );
    const last = page[page.length - 1];
    const more = start >= 0 && start + limit < ranked.length;
    return {
      vouchers,
      total: records.length,
      voucherIds: ranked.map((r) => r.record.id),
      next: more && last ? encodeCursor(last) : null,
    };
  };
}
