import type { Location } from '../../domain/location.js';
import type { LocationRepository } from '../hotspot-store.js';
import { clone } from './clone.js';

/** In-memory {@link LocationRepository}. */
export function createMemoryLocationsRepository(): LocationRepository {
  const byId = new Map<string, Location>();
  return {
    async upsert(location) {
      byId.set(location.id, clone(location));
    },
    async get(id) {
      const found = byId.get(id);
      return found ? clone(found) : null;
    },
    async list() {
      return [...byId.values()]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(clone);
    },
  };
}
