import { describe, expect, it } from 'vitest';
import type { PortalSessionRecord } from '../../domain/portal-session.js';
import { testId } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const PHONE = '+14155552671';
const OTHER_PHONE = '+14155550100';

function makeSession(overrides: Partial<PortalSessionRecord> = {}): PortalSessionRecord {
  return { id: testId('ps'), phone: PHONE, createdAt: T0, expiresAt: at(12 * 3600), ...overrides };
}

/**
 * Conformance cases of `store.portalSessions`: records round-trip, revoking one is a
 * compare-and-set, "sign out everywhere" revokes a phone's sessions only, and each session
 * is counted once under 50 parallel calls.
 */
export function portalSessionsSuite(makeStore: MakeStore): void {
  describe('portal-sessions', () => {
    it('insert then get returns the session field for field (Dates as Dates), null when unknown', () =>
      withStore(makeStore, async (store) => {
        const session = makeSession();
        await store.portalSessions.insert(session);
        const got = await store.portalSessions.get(session.id);
        expect(got).toEqual(session);
        expect(got?.expiresAt).toBeInstanceOf(Date);
        expect(got?.revokedAt).toBeUndefined();
        expect(await store.portalSessions.get('no-such-session')).toBeNull();
      }));

    it('returned sessions do not alias the stored ones', () =>
      withStore(makeStore, async (store) => {
        const session = makeSession();
        await store.portalSessions.insert(session);
        session.phone = '+10000000000';
        const got = await store.portalSessions.get(session.id);
        expect(got?.phone).toBe(PHONE);
        if (got) got.revokedAt = at(1);
        expect((await store.portalSessions.get(session.id))?.revokedAt).toBeUndefined();
      }));

    it('inserting an id that exists fails and keeps the first record', () =>
      withStore(makeStore, async (store) => {
        const session = makeSession();
        await store.portalSessions.insert(session);
        await expect(store.portalSessions.insert({ ...session, phone: OTHER_PHONE })).rejects.toThrow();
        expect((await store.portalSessions.get(session.id))?.phone).toBe(PHONE);
      }));

    it('revoke marks a session once: true the first time, false after, and for unknown ids', () =>
      withStore(makeStore, async (store) => {
        const session = makeSession();
        await store.portalSessions.insert(session);
        expect(await store.portalSessions.revoke(session.id, at(60))).toBe(true);
        expect(await store.portalSessions.revoke(session.id, at(120))).toBe(false);
        expect((await store.portalSessions.get(session.id))?.revokedAt).toEqual(at(60));
        expect(await store.portalSessions.revoke('no-such-session', at(60))).toBe(false);
      }));

    it('revokeAll ends every open session of one phone, keeps exceptId, and leaves other phones alone', () =>
      withStore(makeStore, async (store) => {
        const mine = [makeSession(), makeSession(), makeSession()];
        const kept = makeSession();
        const theirs = makeSession({ phone: OTHER_PHONE });
        for (const s of [...mine, kept, theirs]) await store.portalSessions.insert(s);
        await store.portalSessions.revoke((mine[0] as PortalSessionRecord).id, at(10));
        expect(await store.portalSessions.revokeAll(PHONE, at(60), { exceptId: kept.id })).toBe(2);
        expect((await store.portalSessions.get((mine[0] as PortalSessionRecord).id))?.revokedAt).toEqual(at(10));
        expect((await store.portalSessions.get((mine[1] as PortalSessionRecord).id))?.revokedAt).toEqual(at(60));
        expect((await store.portalSessions.get(kept.id))?.revokedAt).toBeUndefined();
        expect((await store.portalSessions.get(theirs.id))?.revokedAt).toBeUndefined();
        expect(await store.portalSessions.revokeAll(PHONE, at(70), { exceptId: kept.id })).toBe(0);
        expect(await store.portalSessions.revokeAll(PHONE, at(80))).toBe(1);
        expect(await store.portalSessions.revokeAll('+19999999999', at(80))).toBe(0);
      }));

    it('50 parallel revokes of one session: exactly one succeeds', () =>
      withStore(makeStore, async (store) => {
        const session = makeSession();
        await store.portalSessions.insert(session);
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.portalSessions.revoke(session.id, at(i + 1))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      }));

    it('parallel revokeAll and revoke calls count each session exactly once', () =>
      withStore(makeStore, async (store) => {
        const sessions = Array.from({ length: 10 }, () => makeSession());
        for (const s of sessions) await store.portalSessions.insert(s);
        const calls = Array.from({ length: 50 }, (_, i) =>
          i % 5 === 0
            ? store.portalSessions
                .revoke((sessions[i % sessions.length] as PortalSessionRecord).id, at(i))
                .then((ok) => (ok ? 1 : 0))
            : store.portalSessions.revokeAll(PHONE, at(i)),
        );
        const counted = (await Promise.all(calls)).reduce((sum, n) => sum + n, 0);
        expect(counted).toBe(sessions.length);
        for (const s of sessions) expect((await store.portalSessions.get(s.id))?.revokedAt).toBeInstanceOf(Date);
      }));
  });
}
