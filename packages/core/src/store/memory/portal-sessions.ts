import type { PortalSessionRecord } from '../../domain/portal-session.js';
import type { PortalSessionRepository } from '../hotspot-store.js';
import { clone } from './clone.js';

/** Sessions this long past their end are dropped (checked every few hundred inserts). */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_INSERTS = 500;

/**
 * In-memory {@link PortalSessionRepository}: by id, with the ids of each phone indexed for
 * "sign out everywhere". Every guard is checked and written without an `await` between.
 */
export function createMemoryPortalSessionsRepository(): PortalSessionRepository {
  const byId = new Map<string, PortalSessionRecord>();
  const idsByPhone = new Map<string, Set<string>>();
  let insertsSincePrune = 0;

  function drop(record: PortalSessionRecord): void {
    byId.delete(record.id);
    const ids = idsByPhone.get(record.phone);
    ids?.delete(record.id);
    if (ids && ids.size === 0) idsByPhone.delete(record.phone);
  }

  // The store has no clock of its own: the newest session's creation time stands for "now".
  function prune(now: Date): void {
    const cutoff = now.getTime() - PRUNE_AFTER_MS;
    for (const record of [...byId.values()]) if (record.expiresAt.getTime() < cutoff) drop(record);
  }

  return {
    async insert(session) {
      if (byId.has(session.id)) throw new Error(`portal session ${session.id} exists already`);
      insertsSincePrune += 1;
      if (insertsSincePrune >= PRUNE_EVERY_INSERTS) {
        insertsSincePrune = 0;
        prune(session.createdAt);
      }
      byId.set(session.id, clone(session));
      let ids = idsByPhone.get(session.phone);
      if (!ids) {
        ids = new Set();
        idsByPhone.set(session.phone, ids);
      }
      ids.add(session.id);
    },

    async get(id) {
      const found = byId.get(id);
      return found ? clone(found) : null;
    },

    async revoke(id, at) {
      const found = byId.get(id);
      if (!found || found.revokedAt) return false;
      found.revokedAt = new Date(at.getTime());
      return true;
    },

    async revokeAll(phone, at, options = {}) {
      let revoked = 0;
      for (const id of idsByPhone.get(phone) ?? []) {
        const found = byId.get(id);
        if (!found || found.revokedAt || id === options.exceptId) continue;
        found.revokedAt = new Date(at.getTime());
        revoked += 1;
      }
      return revoked;
    },
  };
}
