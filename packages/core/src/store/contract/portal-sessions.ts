import type { PortalSessionRecord } from '../../domain/portal-session.js';

/**
 * Signed-in portal sessions, so that ending one holds on every app instance sharing the
 * store. The portal reads one record by id per signed-in request: keep `get` a primary-key
 * lookup. Records a day past their `expiresAt` may be dropped by the store at any time.
 */
export interface PortalSessionRepository {
  /** Adds a session. Ids are random; inserting an id that exists is an error. */
  insert(session: PortalSessionRecord): Promise<void>;
  get(id: string): Promise<PortalSessionRecord | null>;
  /**
   * Compare-and-set: sets `revokedAt = at` only if the session exists and is not revoked
   * yet. `true` for exactly one of any number of racing calls.
   */
  revoke(id: string, at: Date): Promise<boolean>;
  /**
   * Revokes every session of `phone` not revoked yet (except `exceptId`) at `at`, and
   * returns how many it revoked. Each session is counted by exactly one of racing calls.
   */
  revokeAll(phone: string, at: Date, options?: { exceptId?: string }): Promise<number>;
}
