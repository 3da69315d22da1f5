import type { KitContext } from '../kit/kit-context.js';
import type { LocationService } from '../kit/services.js';

// PLACEHOLDER: being implemented (see the issue that owns this file).
export function createLocationService(_ctx: KitContext): LocationService {
  throw new Error('createLocationService is not implemented yet');
}
