import type { OtpChallengeRecord, OtpPurpose, OtpRepository } from '@hotspot-kit/core';
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import { compact, opt, readInt, readOptTime, readTime } from '../sql/codec.js';
import type { OtpChallengesTable } from '../sql/database.js';
import { prepareQuery } from '../sql/prepared-query.js';
import type { SqlContext } from '../sql/sql-context.js';

function toChallenge(row: Selectable<OtpChallengesTable>): OtpChallengeRecord {
  return compact({
    id: row.id,
    phone: row.phone,
    purpose: row.purpose as OtpPurpose,
    codeHmac: row.code_hmac,
    createdAt: readTime(row.created_at),
    expiresAt: readTime(row.expires_at),
    attempts: readInt(row.attempts),
    sends: readInt(row.sends),
    lastSentAt: readTime(row.last_sent_at),
    resendAfter: readTime(row.resend_after),
    consumedAt: readOptTime(row.consumed_at),
    supersededAt: readOptTime(row.superseded_at),
    ip: opt(row.ip),
    locationId: opt(row.location_id),
  });
}

/** Challenges this long past their expiry are deleted (every few hundred inserts per process). */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_INSERTS = 500;

const COLUMNS = [
  'id',
  'phone',
  'purpose',
  'code_hmac',
  'created_at',
  'expires_at',
  'attempts',
  'sends',
  'last_sent_at',
  'resend_after',
  'consumed_at',
  'superseded_at',
  'ip',
  'location_id',
] as const;

// A challenge is open while it is neither consumed nor superseded; every guard below is one
// UPDATE whose WHERE clause is the guard, so it holds across processes and machines.
const open = sql<boolean>`consumed_at IS NULL AND superseded_at IS NULL`;

/** OTP challenges in `hotspot_otp_challenges`. */
export function createSqlOtpRepository({ db, codec }: SqlContext): OtpRepository {
  // The statements of every start and verify, compiled once (see prepareQuery).
  const insertChallenge = prepareQuery<Insertable<OtpChallengesTable>>((slot) =>
    db
      .insertInto('hotspot_otp_challenges')
      .values(Object.fromEntries(COLUMNS.map((c) => [c, slot(c)])) as Insertable<OtpChallengesTable>),
  );
  const selectChallenge = prepareQuery<{ id: string }, Selectable<OtpChallengesTable>>((slot) =>
    db.selectFrom('hotspot_otp_challenges').selectAll().where('id', '=', slot('id')),
  );
  // Guarded increment: the WHERE clause is the guard, RETURNING the new count.
  const takeAttempt = prepareQuery<{ id: string; max: number }, { attempts: unknown }>((slot) =>
    db
      .updateTable('hotspot_otp_challenges')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', slot('id'))
      .where('attempts', '<', slot('max'))
      .where(open)
      .returning('attempts'),
  );
  const consumeChallenge = prepareQuery<{ id: string; at: unknown }>((slot) =>
    db
      .updateTable('hotspot_otp_challenges')
      .set({ consumed_at: slot('at') })
      .where('id', '=', slot('id'))
      .where(open),
  );

  let insertsSincePrune = 0;

  return {
    async insert(c) {
      insertsSincePrune += 1;
      if (insertsSincePrune >= PRUNE_EVERY_INSERTS) {
        insertsSincePrune = 0;
        // The store has no clock: the new challenge's creation time stands for "now".
        await db
          .deleteFrom('hotspot_otp_challenges')
          .where('expires_at', '<', codec.time(new Date(c.createdAt.getTime() - PRUNE_AFTER_MS)))
          .execute();
      }
      await insertChallenge(db, {
        id: c.id,
        phone: c.phone,
        purpose: c.purpose,
        code_hmac: c.codeHmac,
        created_at: codec.time(c.createdAt),
        expires_at: codec.time(c.expiresAt),
        attempts: c.attempts,
        sends: c.sends,
        last_sent_at: codec.time(c.lastSentAt),
        resend_after: codec.time(c.resendAfter),
        consumed_at: codec.optTime(c.consumedAt),
        superseded_at: codec.optTime(c.supersededAt),
        ip: c.ip ?? null,
        location_id: c.locationId ?? null,
      });
    },

    async get(id) {
      const [row] = (await selectChallenge(db, { id })).rows;
      return row ? toChallenge(row) : null;
    },

    async registerAttempt(id, maxAttempts) {
      const [row] = (await takeAttempt(db, { id, max: maxAttempts })).rows;
      return row ? readInt(row.attempts) : null;
    },

    async releaseAttempt(id) {
      await db
        .updateTable('hotspot_otp_challenges')
        .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
        .where('id', '=', id)
        .where('attempts', '>', 0)
        .execute();
    },

    async consume(id, at) {
      const { numAffectedRows } = await consumeChallenge(db, { id, at: codec.time(at) });
      return numAffectedRows !== undefined && numAffectedRows > 0n;
    },

    async registerSend(id, { expectedSends, maxSends, at, resendAfter, codeHmac, expiresAt }) {
      if (expectedSends >= maxSends) return false;
      const result = await db
        .updateTable('hotspot_otp_challenges')
        .set({
          sends: expectedSends + 1,
          last_sent_at: codec.time(at),
          resend_after: codec.time(resendAfter),
          // A resend's new code and expiry land in the same guarded statement as the count.
          ...(codeHmac === undefined ? {} : { code_hmac: codeHmac }),
          ...(expiresAt === undefined ? {} : { expires_at: codec.time(expiresAt) }),
        })
        .where('id', '=', id)
        .where('sends', '=', expectedSends)
        .where(open)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async supersedeOthers(phone, purpose, keepId, at) {
      const result = await db
        .updateTable('hotspot_otp_challenges')
        .set({ superseded_at: codec.time(at) })
        .where('phone', '=', phone)
        .where('purpose', '=', purpose)
        .where('id', '<>', keepId)
        .where(open)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
