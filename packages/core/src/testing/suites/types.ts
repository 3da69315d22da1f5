import type { HotspotStore } from '../../store/hotspot-store.js';

/** Makes a fresh, empty store for one test. */
export type MakeStore = () => Promise<HotspotStore>;
