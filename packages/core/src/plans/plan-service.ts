import type { KitContext } from '../kit/kit-context.js';
import type { PlanService } from '../kit/services.js';

// PLACEHOLDER: being implemented (see the issue that owns this file).
export function createPlanService(_ctx: KitContext): PlanService {
  throw new Error('createPlanService is not implemented yet');
}
