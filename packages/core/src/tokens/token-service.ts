import type { KitContext } from '../kit/kit-context.js';
import type { TokenService } from '../kit/services.js';

// PLACEHOLDER: being implemented (see the issue that owns this file).
export function createTokenService(_ctx: KitContext): TokenService {
  throw new Error('createTokenService is not implemented yet');
}
