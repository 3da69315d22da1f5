import type { KitContext } from '../kit/kit-context.js';
import type { VoucherService } from '../kit/services.js';

// PLACEHOLDER: being implemented (see the issue that owns this file).
export function createVoucherService(_ctx: KitContext): VoucherService {
  throw new Error('createVoucherService is not implemented yet');
}
