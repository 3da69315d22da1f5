import type { KitContext } from '../kit/kit-context.js';
import type { OtpService } from '../kit/services.js';

// PLACEHOLDER: being implemented (see the issue that owns this file).
export function createOtpService(_ctx: KitContext): OtpService {
  throw new Error('createOtpService is not implemented yet');
}
