import type { Plan } from '../../domain/plan.js';
import { HotspotKitError } from '../../errors.js';
import type { PlanRepository } from '../hotspot-store.js';
import { clone } from './clone.js';

/** In-memory {@link PlanRepository}. */
export function createMemoryPlansRepository(): PlanRepository {
  const byId = new Map<string, Plan>();
  return {
    async insert(plan) {
      if (byId.has(plan.id)) throw new HotspotKitError('CONFLICT', `A plan with id '${plan.id}' exists already`);
      byId.set(plan.id, clone(plan));
    },
    async get(id) {
      const found = byId.get(id);
      return found ? clone(found) : null;
    },
    async list() {
      return [...byId.values()]
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(clone);
    },
  };
}
