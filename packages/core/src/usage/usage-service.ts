import type { KitContext } from '../kit/kit-context.js';
import type { UsageService } from '../kit/services.js';

// PLACEHOLDER: being implemented (see the issue that owns this file).
export function createUsageService(_ctx: KitContext): UsageService {
  throw new Error('createUsageService is not implemented yet');
}
