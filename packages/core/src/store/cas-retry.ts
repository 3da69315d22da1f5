import { HotspotKitError } from '../errors.js';

/** How often a compare-and-set loop re-reads and retries before giving up. */
export const MAX_CAS_ATTEMPTS = 100;

/**
 * Waits a little before retry number `attempt` of a compare-and-set loop: not at all for
 * the first few (in-process races resolve at once), then a short random pause so that many
 * instances hammering one row of a SQL store spread out.
 */
export async function casBackoff(attempt: number): Promise<void> {
  const ms = casBackoffMs(attempt);
  if (ms === 0) return;
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The pause {@link casBackoff} makes before retry number `attempt`, in milliseconds (0: none). */
export function casBackoffMs(attempt: number): number {
  return attempt < 3 ? 0 : Math.random() * Math.min(50, 2 ** (attempt - 2));
}

/** The error a compare-and-set loop throws when it keeps losing (extreme contention). */
export function casExhausted(what: string): HotspotKitError {
  return new HotspotKitError('CONFLICT', `${what} is being changed by many writers at once; try again`, {
    details: { retries: MAX_CAS_ATTEMPTS },
  });
}
