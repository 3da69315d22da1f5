import type { KitContext } from '../kit/kit-context.js';
import type { CustomerService } from '../kit/services.js';

// PLACEHOLDER: being implemented (see the issue that owns this file).
export function createCustomerService(_ctx: KitContext): CustomerService {
  throw new Error('createCustomerService is not implemented yet');
}
