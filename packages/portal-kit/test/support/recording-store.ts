import type { HotspotStore } from '@hotspot-kit/core';

/** A store that can write down every repository call (`otp.insert`, `rateLimits.consume`, ...). */
export interface RecordingStore {
  store: HotspotStore;
  /** Runs `fn` and returns the repository calls it made, in order. */
  record(fn: () => Promise<unknown>): Promise<string[]>;
}

/** Wraps `inner` so that calls made while `record` runs are listed (the data is untouched). */
export function recordingStore(inner: HotspotStore): RecordingStore {
  let calls: string[] | null = null;
  const store = Object.fromEntries(
    Object.entries(inner).map(([name, repo]) => {
      if (typeof repo !== 'object' || repo === null) return [name, repo];
      const wrapped = Object.fromEntries(
        Object.entries(repo as Record<string, unknown>).map(([method, fn]) => [
          method,
          typeof fn === 'function'
            ? (...args: unknown[]) => {
                calls?.push(`${name}.${method}`);
                return (fn as (...a: unknown[]) => unknown).apply(repo, args);
              }
            : fn,
        ]),
      );
      return [name, wrapped];
    }),
  ) as unknown as HotspotStore;
  return {
    store,
    async record(fn) {
      calls = [];
      try {
        await fn();
        return calls;
      } finally {
        calls = null;
      }
    },
  };
}
