import { describe, expect, it } from 'vitest';
import type { OtpChallengeRecord } from '../../domain/otp.js';
import { testId } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const PHONE = '+14155552671';

function makeChallenge(overrides: Partial<OtpChallengeRecord> = {}): OtpChallengeRecord {
  return {
    id: testId('otp'),
    phone: PHONE,
    purpose: 'splash',
    codeHmac: 'ab'.repeat(32),
    createdAt: T0,
    expiresAt: at(300),
    attempts: 0,
    sends: 1,
    lastSentAt: T0,
    resendAfter: at(30),
    ...overrides,
  };
}

/**
 * Conformance cases of `store.otp`: the guarded attempt counter, the single-use
 * compare-and-set, the send guard and superseding, each also under 50 parallel calls.
 */
export function otpSuite(makeStore: MakeStore): void {
  describe('otp', () => {
    it('insert then get returns the challenge field for field (Dates as Dates)', () =>
      withStore(makeStore, async (store) => {
        const full = makeChallenge({ ip: '2001:0db8:0000:0000:0000:0000:0000:0001', locationId: 'loc-1' });
        const minimal = makeChallenge({ purpose: 'portal' });
        await store.otp.insert(full);
        await store.otp.insert(minimal);
        const got = await store.otp.get(full.id);
        expect(got).toEqual(full);
        expect(got?.expiresAt).toBeInstanceOf(Date);
        expect(got?.resendAfter).toBeInstanceOf(Date);
        const gotMinimal = await store.otp.get(minimal.id);
        expect(gotMinimal).toEqual(minimal);
        expect(gotMinimal?.consumedAt).toBeUndefined();
        expect(gotMinimal?.supersededAt).toBeUndefined();
        expect(gotMinimal?.ip).toBeUndefined();
        expect(await store.otp.get('no-such-challenge')).toBeNull();
      }));

    it('returned challenges do not alias the stored ones', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        challenge.attempts = 99;
        const got = await store.otp.get(challenge.id);
        expect(got?.attempts).toBe(0);
        if (got) got.attempts = 42;
        expect((await store.otp.get(challenge.id))?.attempts).toBe(0);
      }));

    it('registerAttempt counts up to maxAttempts and then refuses without changing anything', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        const counts: Array<number | null> = [];
        for (let i = 0; i < 5; i++) counts.push(await store.otp.registerAttempt(challenge.id, 3));
        expect(counts).toEqual([1, 2, 3, null, null]);
        expect((await store.otp.get(challenge.id))?.attempts).toBe(3);
        expect(await store.otp.registerAttempt('no-such-challenge', 3)).toBeNull();
      }));

    it('50 parallel registerAttempt calls never push attempts past the cap', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        const results = await Promise.all(Array.from({ length: 50 }, () => store.otp.registerAttempt(challenge.id, 5)));
        const granted = results.filter((r): r is number => r !== null);
        expect(granted).toHaveLength(5);
        expect([...granted].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
        expect((await store.otp.get(challenge.id))?.attempts).toBe(5);
      }));

    it('releaseAttempt gives a slot back and never goes below zero', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        expect(await store.otp.registerAttempt(challenge.id, 2)).toBe(1);
        expect(await store.otp.registerAttempt(challenge.id, 2)).toBe(2);
        expect(await store.otp.registerAttempt(challenge.id, 2)).toBeNull();
        await store.otp.releaseAttempt(challenge.id);
        expect((await store.otp.get(challenge.id))?.attempts).toBe(1);
        expect(await store.otp.registerAttempt(challenge.id, 2)).toBe(2);
        await store.otp.releaseAttempt(challenge.id);
        await store.otp.releaseAttempt(challenge.id);
        await store.otp.releaseAttempt(challenge.id);
        expect((await store.otp.get(challenge.id))?.attempts).toBe(0);
        await store.otp.releaseAttempt('no-such-challenge');
      }));

    it('consume succeeds once and records when', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        expect(await store.otp.consume(challenge.id, at(10))).toBe(true);
        expect(await store.otp.consume(challenge.id, at(11))).toBe(false);
        expect((await store.otp.get(challenge.id))?.consumedAt).toEqual(at(10));
        expect(await store.otp.consume('no-such-challenge', at(10))).toBe(false);
      }));

    it('50 parallel consume calls: exactly one returns true', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.otp.consume(challenge.id, at(i))));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect((await store.otp.get(challenge.id))?.consumedAt).toEqual(at(winner));
      }));

    it('a consumed challenge takes no more attempts or sends', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        expect(await store.otp.consume(challenge.id, at(5))).toBe(true);
        expect(await store.otp.registerAttempt(challenge.id, 5)).toBeNull();
        expect(
          await store.otp.registerSend(challenge.id, {
            expectedSends: 1,
            maxSends: 3,
            at: at(40),
            resendAfter: at(100),
          }),
        ).toBe(false);
        const got = await store.otp.get(challenge.id);
        expect(got?.attempts).toBe(0);
        expect(got?.sends).toBe(1);
      }));

    it('registerSend: counts one send and moves the cooldown, never touching attempts', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        await store.otp.registerAttempt(challenge.id, 5);
        await store.otp.registerAttempt(challenge.id, 5);
        expect(
          await store.otp.registerSend(challenge.id, {
            expectedSends: 1,
            maxSends: 3,
            at: at(40),
            resendAfter: at(100),
          }),
        ).toBe(true);
        const got = await store.otp.get(challenge.id);
        expect(got).toMatchObject({ sends: 2, attempts: 2, lastSentAt: at(40), resendAfter: at(100) });
        // Fields not given stay as they were.
        expect(got?.codeHmac).toBe(challenge.codeHmac);
        expect(got?.expiresAt).toEqual(challenge.expiresAt);
      }));

    it('registerSend replaces codeHmac and expiresAt when given, in the same step', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        const guard = {
          expectedSends: 1,
          maxSends: 3,
          at: at(40),
          resendAfter: at(100),
          codeHmac: 'cd'.repeat(32),
          expiresAt: at(340),
        };
        expect(await store.otp.registerSend(challenge.id, guard)).toBe(true);
        expect(await store.otp.get(challenge.id)).toMatchObject({
          sends: 2,
          codeHmac: 'cd'.repeat(32),
          expiresAt: at(340),
        });
        // A refused guard changes nothing, not even the code.
        expect(await store.otp.registerSend(challenge.id, { ...guard, codeHmac: 'ef'.repeat(32) })).toBe(false);
        expect((await store.otp.get(challenge.id))?.codeHmac).toBe('cd'.repeat(32));
      }));

    it('registerSend refuses a stale expectedSends, and sends at maxSends', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        const guard = (expectedSends: number) => ({ expectedSends, maxSends: 3, at: at(40), resendAfter: at(100) });
        expect(await store.otp.registerSend(challenge.id, guard(0))).toBe(false);
        expect(await store.otp.registerSend(challenge.id, guard(1))).toBe(true);
        expect(await store.otp.registerSend(challenge.id, guard(1))).toBe(false);
        expect(await store.otp.registerSend(challenge.id, guard(2))).toBe(true);
        expect(await store.otp.registerSend(challenge.id, guard(3))).toBe(false);
        expect((await store.otp.get(challenge.id))?.sends).toBe(3);
        expect(await store.otp.registerSend('no-such-challenge', guard(1))).toBe(false);
      }));

    it('50 parallel registerSend calls with the same expectedSends: exactly one counts', () =>
      withStore(makeStore, async (store) => {
        const challenge = makeChallenge();
        await store.otp.insert(challenge);
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            store.otp.registerSend(challenge.id, {
              expectedSends: 1,
              maxSends: 10,
              at: at(40),
              resendAfter: at(100),
              codeHmac: i.toString(16).padStart(2, '0').repeat(32),
            }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        const got = await store.otp.get(challenge.id);
        expect(got?.sends).toBe(2);
        expect(got?.codeHmac).toBe(winner.toString(16).padStart(2, '0').repeat(32));
      }));

    it('supersedeOthers closes the other open challenges of that phone and purpose only', () =>
      withStore(makeStore, async (store) => {
        const phone = `+1415${Math.floor(Math.random() * 9_000_000) + 1_000_000}`;
        const older = makeChallenge({ phone });
        const consumed = makeChallenge({ phone });
        const otherPurpose = makeChallenge({ phone, purpose: 'portal' });
        const otherPhone = makeChallenge({ phone: '+447400123456' });
        const keep = makeChallenge({ phone });
        for (const c of [older, consumed, otherPurpose, otherPhone, keep]) await store.otp.insert(c);
        await store.otp.consume(consumed.id, at(1));
        expect(await store.otp.supersedeOthers(phone, 'splash', keep.id, at(2))).toBe(1);
        expect((await store.otp.get(older.id))?.supersededAt).toEqual(at(2));
        expect((await store.otp.get(consumed.id))?.supersededAt).toBeUndefined();
        expect((await store.otp.get(otherPurpose.id))?.supersededAt).toBeUndefined();
        expect((await store.otp.get(otherPhone.id))?.supersededAt).toBeUndefined();
        expect((await store.otp.get(keep.id))?.supersededAt).toBeUndefined();
        expect(await store.otp.supersedeOthers(phone, 'splash', keep.id, at(3))).toBe(0);
      }));

    it('a superseded challenge takes no attempts, sends or consume, and keeps its attempt count', () =>
      withStore(makeStore, async (store) => {
        const phone = `+1415${Math.floor(Math.random() * 9_000_000) + 1_000_000}`;
        const old = makeChallenge({ phone });
        await store.otp.insert(old);
        expect(await store.otp.registerAttempt(old.id, 5)).toBe(1);
        const next = makeChallenge({ phone });
        await store.otp.insert(next);
        expect(await store.otp.supersedeOthers(phone, 'splash', next.id, at(5))).toBe(1);
        expect(await store.otp.registerAttempt(old.id, 5)).toBeNull();
        expect(await store.otp.consume(old.id, at(6))).toBe(false);
        expect(
          await store.otp.registerSend(old.id, { expectedSends: 1, maxSends: 3, at: at(40), resendAfter: at(100) }),
        ).toBe(false);
        expect(await store.otp.get(old.id)).toMatchObject({ attempts: 1, sends: 1, supersededAt: at(5) });
        expect((await store.otp.get(old.id))?.consumedAt).toBeUndefined();
      }));

    it('parallel consume and supersede: the challenge ends up either consumed or superseded, never both', () =>
      withStore(makeStore, async (store) => {
        const phone = `+1415${Math.floor(Math.random() * 9_000_000) + 1_000_000}`;
        const challenge = makeChallenge({ phone });
        const next = makeChallenge({ phone });
        await store.otp.insert(challenge);
        await store.otp.insert(next);
        const [consumed, superseded] = await Promise.all([
          store.otp.consume(challenge.id, at(1)),
          store.otp.supersedeOthers(phone, 'splash', next.id, at(1)),
        ]);
        const got = await store.otp.get(challenge.id);
        expect(consumed ? 1 : 0).toBe(got?.consumedAt ? 1 : 0);
        expect(superseded).toBe(got?.supersededAt ? 1 : 0);
        expect(Boolean(got?.consumedAt) !== Boolean(got?.supersededAt)).toBe(true);
      }));
  });
}
