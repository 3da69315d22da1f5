import {
  createHotspotKit,
  createMemoryStore,
  type HotspotEventName,
  type HotspotEvents,
  type HotspotKit,
  type HotspotKitOptions,
  type HotspotStore,
} from '@hotspot-kit/core';

export const T0 = new Date('2026-03-01T10:00:00.000Z');
export const TEST_SECRET = 'a-test-secret-that-is-long-enough';

/** A clock that only moves when told to. */
export interface ManualClock {
  now(): Date;
  advance(seconds: number): void;
  set(at: Date): void;
}

export function createManualClock(start = T0): ManualClock {
  let ms = start.getTime();
  return {
    now: () => new Date(ms),
    advance(seconds) {
      ms += seconds * 1000;
    },
    set(at) {
      ms = at.getTime();
    },
  };
}

/** Every payload of the named events, in emission order. */
export type CapturedEvents = { [K in HotspotEventName]: HotspotEvents[K][] };

export interface TestKit {
  kit: HotspotKit;
  store: HotspotStore;
  clock: ManualClock;
  events: CapturedEvents;
}

/** A kit over a fresh memory store (or `store`), a manual clock and captured events. */
export function createTestKit(options: Partial<Omit<HotspotKitOptions, 'clock'>> = {}): TestKit {
  const clock = createManualClock();
  const store = options.store ?? createMemoryStore();
  const kit = createHotspotKit({ secret: TEST_SECRET, ...options, store, clock: clock.now });
  const events = new Proxy({} as CapturedEvents, {
    get(target, name: string) {
      const key = name as HotspotEventName;
      if (!(key in target)) {
        const list: unknown[] = [];
        (target as Record<string, unknown[]>)[key] = list;
        kit.events.on(key, (payload) => {
          list.push(payload);
        });
      }
      return (target as Record<string, unknown[]>)[key];
    },
  });
  // Subscribe to every event the domain emits up front, so nothing is missed before a first read.
  for (const name of [
    'voucher.created',
    'voucher.activated',
    'voucher.exhausted',
    'voucher.expired',
    'device.added',
    'device.updated',
    'device.removed',
    'usage.updated',
    'session.closed',
  ] as const) {
    void events[name];
  }
  return { kit, store, clock, events };
}

/** The error a promise rejects with (as a record, to read `code`, `issues`, ...); fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}
