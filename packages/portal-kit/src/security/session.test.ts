import { describe, expect, it, vi } from 'vitest';
import { createSessionCodec, type PortalSession, signersFromSecrets } from './session.js';

const now = 1_800_000_000;
const session: PortalSession = { id: 'abc', stage: 'signed-in', phone: '+14155552671', expiresAt: now + 60 };

describe('session codec', () => {
  it('round-trips a session and refuses a tampered or expired one', async () => {
    const codec = createSessionCodec(signersFromSecrets(['a-very-long-portal-secret']));
    const value = await codec.encode(session);
    expect(await codec.decode(value, now)).toEqual(session);
    const [v, body, sig] = value.split('.');
    const forged = Buffer.from(JSON.stringify({ i: 'abc', s: 'signed-in', p: '+1999', e: now + 60 })).toString(
      'base64url',
    );
    expect(await codec.decode(`${v}.${forged}.${sig}`, now)).toBeNull();
    expect(await codec.decode(`${v}.${body}.${sig}x`, now)).toBeNull();
    expect(await codec.decode(value, now + 61)).toBeNull();
    expect(await codec.decode('garbage', now)).toBeNull();
  });

  it('verifies with an older secret after rotation, and ties CSRF tokens to the session id', async () => {
    const old = createSessionCodec(signersFromSecrets(['old-secret-0123456789']));
    const rotated = createSessionCodec(signersFromSecrets(['new-secret-0123456789', 'old-secret-0123456789']));
    const value = await old.encode(session);
    expect(await rotated.decode(value, now)).toEqual(session);
    expect(await createSessionCodec(signersFromSecrets(['new-secret-0123456789'])).decode(value, now)).toBeNull();

    const token = await rotated.csrfToken(session);
    expect(await rotated.checkCsrf(session, token)).toBe(true);
    expect(await rotated.checkCsrf({ ...session, id: 'other' }, token)).toBe(false);
    expect(await rotated.checkCsrf(session, '')).toBe(false);
    expect(await rotated.checkCsrf(session, null)).toBe(false);
  });

  it('checks the HMAC of a cookie value once, then serves it from the cache (expiry still checked)', async () => {
    const codec = createSessionCodec(signersFromSecrets(['a-very-long-portal-secret']));
    const value = await codec.encode(session);
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    try {
      expect(await codec.decode(value, now)).toEqual(session);
      const afterFirst = sign.mock.calls.length;
      expect(afterFirst).toBeGreaterThan(0);
      const again = await codec.decode(value, now);
      expect(again).toEqual(session);
      expect(sign.mock.calls.length).toBe(afterFirst);
      if (again) again.phone = 'mutated'; // callers get copies
      expect((await codec.decode(value, now))?.phone).toBe(session.phone);
      expect(await codec.decode(value, now + 61)).toBeNull();
    } finally {
      sign.mockRestore();
    }
  });
});
