import { HotspotKitError } from '../errors.js';
import type { SessionEventsWrite } from './contract/usage.js';

/**
 * Refuses a batch for `usage.applyEvents` that names one session twice: a batch carries at
 * most one write per session (the kit folds a session's events into one), and a store that
 * writes a batch as one statement could not tell which of two writes' guards held. Shared
 * by every store so they refuse alike.
 */
export function checkDistinctSessions(writes: readonly SessionEventsWrite[]): void {
  const seen = new Set<string>();
  for (const [i, w] of writes.entries()) {
    if (seen.has(w.session.sessionId)) {
      throw new HotspotKitError(
        'INVALID_INPUT',
        `Invalid events batch: session '${w.session.sessionId}' is written twice`,
        {
          issues: [{ path: `writes[${i}].session.sessionId`, message: 'at most one write per session in a batch' }],
        },
      );
    }
    seen.add(w.session.sessionId);
  }
}
