import type { Voucher, VoucherRecord } from '../domain/voucher.js';
import { HotspotKitError, isHotspotKitError } from '../errors.js';
import type { KitContext } from '../kit/kit-context.js';
import type { VoucherService } from '../kit/services.js';
import { normalizeMac } from '../mac/parse-mac.js';
import { voucherCodeKey } from './voucher-code.js';
import type { VoucherLifecycle } from './voucher-lifecycle.js';

// Usable vouchers one device can plausibly hold at once; more are read only when looking for ended ones.
const USABLE_PER_DEVICE = 20;

const usable = (v: Voucher): boolean => v.status === 'new' || v.status === 'active' || v.status === 'online';

/**
 * The lookups a login needs: by code as people type it, and by a bound device's MAC.
 * Each read goes through the lifecycle, so a voucher past a limit or its validity is seen
 * (and stored) as used or expired.
 */
export function createVoucherLookup(
  ctx: KitContext,
  lifecycle: VoucherLifecycle,
): Pick<VoucherService, 'getByCode' | 'findByMac'> {
  const { store } = ctx;

  async function byCode(text: string): Promise<VoucherRecord | null> {
    const exact = await store.vouchers.getByCode(text);
    if (exact) return exact;
    const key = voucherCodeKey(text);
    if (key === '') return null;
    // A short code (or a code without separators) typed with separators.
    if (key !== text) {
      const plain = await store.vouchers.getByCode(key);
      if (plain) return plain;
    }
    // A code with separators typed without them, or with others: only if one code matches.
    const loose = await store.vouchers.findByCodeKey(key, 2);
    return loose.length === 1 ? (loose[0] as VoucherRecord) : null;
  }

  return {
    async getByCode(code) {
      const text = typeof code === 'string' ? code.trim().toUpperCase() : '';
      if (text === '') {
        throw new HotspotKitError('INVALID_INPUT', 'Invalid code: must not be empty', {
          issues: [{ path: 'code', message: 'must not be empty' }],
        });
      }
      if (text.length > 200) return null;
      const record = await byCode(text);
      return record ? lifecycle.present(record) : null;
    },

    async findByMac(macInput, options = {}) {
      let mac: string;
      try {
        mac = normalizeMac(macInput);
      } catch (error) {
        if (!isHotspotKitError(error)) throw error;
        throw new HotspotKitError('INVALID_MAC', `Invalid mac: ${error.message}`, {
          details: error.details,
          issues: [{ path: 'mac', message: error.message }],
        });
      }
      const candidates = await store.vouchers.listByDevice(mac, {
        states: ['new', 'active'],
        limit: USABLE_PER_DEVICE,
      });
      for (const record of candidates) {
        const voucher = await lifecycle.present(record);
        if (usable(voucher)) return voucher;
      }
      if (!options.includeEnded) return null;
      const [latest] = await store.vouchers.listByDevice(mac, { limit: 1 });
      return latest ? lifecycle.present(latest) : null;
    },
  };
}
