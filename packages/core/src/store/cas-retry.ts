import { HotspotKitError } from '../errors.js';

/** How often a compare-and-set loop re-reads and retries before giving up. */
export const MAX_CAS_ATTEMPTS = 100;

/**
 * Waits a little before retry number `attempt` of a compare-and-set loop: not at all for
 * the first few (in-process races resolve at once), then a short random pause so that many
 * instances hammering one row of a SQL store spread out.
 */
export async function casBackoff(attempt: number): Promise<void> {
  if (attempt < 3) return;
  const ms = Math.random() * Math.min(50, 2 ** (attempt - 2));
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The error a compare-and-set loop throws when it keeps losing (extreme contention). */
export function casExhausted(what: string): HotspotKitError {
  return new HotspotKitError('CONFLICT', `${what} is being changed by many writers at once; try again`, {
    details: { retries: MAX_CAS_ATTEMPTS },
  });
}
