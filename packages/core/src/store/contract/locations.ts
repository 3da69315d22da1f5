import type { Location } from '../../domain/location.js';

/** Locations (hotspot sites). */
export interface LocationRepository {
  /** Inserts or replaces the location with this id. */
  upsert(location: Location): Promise<void>;
  get(id: string): Promise<Location | null>;
  /** All locations, by name. */
  list(): Promise<Location[]>;
}
