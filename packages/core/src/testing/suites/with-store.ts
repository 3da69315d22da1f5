import type { HotspotStore } from '../../store/hotspot-store.js';
import type { MakeStore } from './types.js';

/** Runs `fn` with a fresh store and always closes it. */
export async function withStore(makeStore: MakeStore, fn: (store: HotspotStore) => Promise<void>): Promise<void> {
  const store = await makeStore();
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}
