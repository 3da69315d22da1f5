import type { Plan } from '../../domain/plan.js';

/** Data plans. */
export interface PlanRepository {
  insert(plan: Plan): Promise<void>;
  get(id: string): Promise<Plan | null>;
  /** All plans, oldest first. */
  list(): Promise<Plan[]>;
}
