import type { OtpChallengeRecord, OtpPurpose } from '../../domain/otp.js';
import type { OtpRepository } from '../hotspot-store.js';
import { clone } from './clone.js';

/** Challenges this long past their expiry are dropped, so a long-running process does not grow forever. */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_INSERTS = 1000;

const isOpen = (c: OtpChallengeRecord): boolean => c.consumedAt === undefined && c.supersededAt === undefined;

/**
 * In-memory {@link OtpRepository}. Every guard reads and writes without an `await` in between,
 * so the guarded increment, compare-and-set and send guard hold within the process.
 */
export function createMemoryOtpRepository(): OtpRepository {
  const byId = new Map<string, OtpChallengeRecord>();
  // Only open challenges are indexed: supersedeOthers never needs closed ones.
  const openIdsByPhonePurpose = new Map<string, Set<string>>();
  let insertsSincePrune = 0;

  const indexKey = (phone: string, purpose: OtpPurpose): string => `${purpose}\u0000${phone}`;

  function unindex(record: OtpChallengeRecord): void {
    const key = indexKey(record.phone, record.purpose);
    const ids = openIdsByPhonePurpose.get(key);
    ids?.delete(record.id);
    if (ids && ids.size === 0) openIdsByPhonePurpose.delete(key);
  }

  function drop(record: OtpChallengeRecord): void {
    byId.delete(record.id);
    unindex(record);
  }

  // The store has no clock of its own: the newest record's creation time stands for "now".
  function pruneOlderThan(now: Date): void {
    const cutoff = now.getTime() - PRUNE_AFTER_MS;
    for (const record of [...byId.values()]) if (record.expiresAt.getTime() < cutoff) drop(record);
  }

  return {
    async insert(challenge) {
      if (byId.has(challenge.id)) throw new Error(`OTP challenge ${challenge.id} exists already`);
      insertsSincePrune += 1;
      if (insertsSincePrune >= PRUNE_EVERY_INSERTS) {
        insertsSincePrune = 0;
        pruneOlderThan(challenge.createdAt);
      }
      const record = clone(challenge);
      byId.set(record.id, record);
      if (!isOpen(record)) return;
      const key = indexKey(record.phone, record.purpose);
      let ids = openIdsByPhonePurpose.get(key);
      if (!ids) {
        ids = new Set();
        openIdsByPhonePurpose.set(key, ids);
      }
      ids.add(record.id);
    },

    async get(id) {
      const record = byId.get(id);
      return record ? clone(record) : null;
    },

    async registerAttempt(id, maxAttempts) {
      const record = byId.get(id);
      if (!record || !isOpen(record) || record.attempts >= maxAttempts) return null;
      record.attempts += 1;
      return record.attempts;
    },

    async releaseAttempt(id) {
      const record = byId.get(id);
      if (record && record.attempts > 0) record.attempts -= 1;
    },

    async consume(id, at) {
      const record = byId.get(id);
      if (!record || !isOpen(record)) return false;
      record.consumedAt = new Date(at.getTime());
      unindex(record);
      return true;
    },

    async registerSend(id, guard) {
      const record = byId.get(id);
      if (!record || !isOpen(record)) return false;
      if (record.sends !== guard.expectedSends || guard.expectedSends >= guard.maxSends) return false;
      record.sends = guard.expectedSends + 1;
      record.lastSentAt = new Date(guard.at.getTime());
      record.resendAfter = new Date(guard.resendAfter.getTime());
      if (guard.codeHmac !== undefined) record.codeHmac = guard.codeHmac;
      if (guard.expiresAt !== undefined) record.expiresAt = new Date(guard.expiresAt.getTime());
      return true;
    },

    async supersedeOthers(phone, purpose, keepId, at) {
      const ids = openIdsByPhonePurpose.get(indexKey(phone, purpose));
      if (!ids) return 0;
      let count = 0;
      for (const id of [...ids]) {
        const record = byId.get(id);
        if (!record || id === keepId || !isOpen(record)) continue;
        record.supersededAt = new Date(at.getTime());
        unindex(record);
        count += 1;
      }
      return count;
    },
  };
}
