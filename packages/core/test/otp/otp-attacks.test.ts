// The known OTP failure patterns (issue 3, "Done when"), each shown not to happen. Every
// test names the pattern it pins.
import { describe, expect, it } from 'vitest';
import { makeOtpHarness, startOk, wrongCode } from './harness.js';

const PHONE = '+14155552671';

describe('pattern: parallel wrong guesses exceeding the cap', () => {
  it('50 parallel wrong guesses: exactly maxAttempts are compared, the rest refused; the code is dead after', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => h.kit.otp.verify({ challengeId, code: wrongCode(code) })),
    );
    const reasons = results.map((r) => (r.ok ? 'ok' : r.reason));
    expect(reasons.filter((r) => r === 'wrong-code')).toHaveLength(5);
    expect(reasons.filter((r) => r === 'too-many-attempts')).toHaveLength(45);
    expect((await h.kit.store.otp.get(challengeId))?.attempts).toBe(5);
    expect(await h.kit.otp.verify({ challengeId, code })).toEqual({
      ok: false,
      reason: 'too-many-attempts',
      attemptsLeft: 0,
    });
  });

  it('a parallel sweep over many codes, the right one among them, gets at most maxAttempts comparisons', async () => {
    const h = makeOtpHarness({ otp: { codeLength: 4 } });
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    const guesses = Array.from({ length: 200 }, (_, i) => String(i).padStart(4, '0'));
    if (!guesses.includes(code)) guesses[137] = code;
    const results = await Promise.all(guesses.map((g) => h.kit.otp.verify({ challengeId, code: g })));
    const compared = results.filter((r) => r.ok || r.reason === 'wrong-code').length;
    expect(compared).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
  });

  it('the phone-wide failure budget holds under parallel guesses on both purposes', async () => {
    const h = makeOtpHarness({ otp: { lockout: { maxFailures: 3 } } });
    const splash = await startOk(h, { phone: PHONE, purpose: 'splash' });
    const portal = await startOk(h, { phone: PHONE, purpose: 'portal' });
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () =>
        h.kit.otp.verify({ challengeId: splash.challengeId, code: wrongCode(splash.code) }),
      ),
      ...Array.from({ length: 10 }, () =>
        h.kit.otp.verify({ challengeId: portal.challengeId, code: wrongCode(portal.code) }),
      ),
    ]);
    // A guess that was compared is 'wrong-code', or 'phone-locked' for the one that spent the budget.
    const compared = results.filter(
      (r) => !r.ok && (r.reason === 'wrong-code' || (r.reason === 'phone-locked' && r.attemptsLeft === 0)),
    ).length;
    const attempts =
      ((await h.kit.store.otp.get(splash.challengeId))?.attempts ?? 0) +
      ((await h.kit.store.otp.get(portal.challengeId))?.attempts ?? 0);
    expect(attempts).toBe(3);
    expect(compared).toBeLessThanOrEqual(3);
    for (const r of results) expect(['wrong-code', 'phone-locked', 'too-many-attempts']).toContain(!r.ok && r.reason);
  });
});

describe('pattern: one code used twice in parallel', () => {
  it('50 parallel verifies of the correct code: exactly one succeeds', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    const results = await Promise.all(Array.from({ length: 50 }, () => h.kit.otp.verify({ challengeId, code })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // The losers were refused before or after the winner consumed it; none was let in.
    for (const r of results.filter((r) => !r.ok)) {
      expect(['already-used', 'too-many-attempts']).toContain(!r.ok && r.reason);
    }
    await h.kit.settled();
    expect(h.events.filter((e) => e.name === 'otp.verified')).toHaveLength(1);
  });

  it('correct and wrong codes racing: one success, and correct guesses do not use up the cap', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.kit.otp.verify({ challengeId, code: i % 2 ? code : wrongCode(code) })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await h.kit.store.otp.get(challengeId))?.consumedAt).toBeInstanceOf(Date);
  });
});

describe('pattern: a code valid after success', () => {
  it('the same code again is already-used, and the challenge cannot be resent', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    expect((await h.kit.otp.verify({ challengeId, code })).ok).toBe(true);
    expect(await h.kit.otp.verify({ challengeId, code })).toEqual({ ok: false, reason: 'already-used' });
    h.clock.advance(60);
    expect(await h.kit.otp.verify({ challengeId, code })).toEqual({ ok: false, reason: 'already-used' });
    expect(await h.kit.otp.resend({ challengeId })).toMatchObject({ ok: false, reason: 'challenge-closed' });
  });
});

describe('pattern: resend or a new challenge resetting the budget', () => {
  it('resend keeps the wrong-guess count', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    for (let i = 0; i < 3; i++) await h.kit.otp.verify({ challengeId, code: wrongCode(code) });
    h.clock.advance(30);
    expect((await h.kit.otp.resend({ challengeId })).ok).toBe(true);
    const fresh = h.sms.lastCode();
    expect((await h.kit.store.otp.get(challengeId))?.attempts).toBe(3);
    expect(await h.kit.otp.verify({ challengeId, code: wrongCode(fresh) })).toMatchObject({ attemptsLeft: 1 });
    expect(await h.kit.otp.verify({ challengeId, code: wrongCode(fresh) })).toMatchObject({ attemptsLeft: 0 });
    expect(await h.kit.otp.verify({ challengeId, code: fresh })).toMatchObject({ reason: 'too-many-attempts' });
  });

  it('a new challenge does not hand back a fresh phone budget: 10 failures lock the phone', async () => {
    const h = makeOtpHarness();
    const first = await startOk(h, { phone: PHONE });
    for (let i = 0; i < 5; i++) await h.kit.otp.verify({ challengeId: first.challengeId, code: wrongCode(first.code) });
    const second = await startOk(h, { phone: PHONE });
    const results = [];
    for (let i = 0; i < 5; i++) {
      results.push(await h.kit.otp.verify({ challengeId: second.challengeId, code: wrongCode(second.code) }));
    }
    expect(results.slice(0, 4).map((r) => !r.ok && r.reason)).toEqual(Array(4).fill('wrong-code'));
    expect(results[4]).toMatchObject({ ok: false, reason: 'phone-locked', attemptsLeft: 0 });
    const retry = (results[4] as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(retry).toBeGreaterThan(3000);

    // Locked: no new challenge (so no SMS), and not even the right code of a live challenge.
    const third = await h.kit.otp.start({ phone: PHONE, purpose: 'splash' });
    expect(third).toMatchObject({ ok: false, reason: 'phone-locked', retryAfterSeconds: expect.any(Number) });
    expect(third.ok === false && third.message).toMatch(/try again in \d+ min/);
    const portal = await h.kit.otp.start({ phone: PHONE, purpose: 'portal' });
    expect(portal).toMatchObject({ ok: false, reason: 'phone-locked' });
    expect(h.sms.messages).toHaveLength(2);
    await h.kit.settled();
    expect(h.events.filter((e) => e.name === 'otp.locked')).toEqual([
      {
        name: 'otp.locked',
        payload: expect.objectContaining({ phone: PHONE, purpose: 'splash', until: expect.any(Date) }),
      },
    ]);

    // Another phone is not affected.
    expect((await h.kit.otp.start({ phone: '+447400123456', purpose: 'splash' })).ok).toBe(true);
    // After the lock window the phone may try again.
    h.clock.advance(retry);
    expect((await h.kit.otp.start({ phone: PHONE, purpose: 'splash' })).ok).toBe(true);
  });

  it('the lock also refuses the right code of a challenge that was open before it', async () => {
    const h = makeOtpHarness({ otp: { lockout: { maxFailures: 5 } } });
    const portal = await startOk(h, { phone: PHONE, purpose: 'portal' });
    const splash = await startOk(h, { phone: PHONE, purpose: 'splash' });
    for (let i = 0; i < 5; i++)
      await h.kit.otp.verify({ challengeId: splash.challengeId, code: wrongCode(splash.code) });
    expect(await h.kit.otp.verify({ challengeId: portal.challengeId, code: portal.code })).toMatchObject({
      ok: false,
      reason: 'phone-locked',
      retryAfterSeconds: expect.any(Number),
    });
    // The refused try did not cost the portal challenge a guess.
    expect((await h.kit.store.otp.get(portal.challengeId))?.attempts).toBe(0);
  });

  it('a correct code clears the failure count (consecutive failures, NIST SP 800-63B)', async () => {
    const h = makeOtpHarness({ otp: { lockout: { maxFailures: 6 } } });
    const first = await startOk(h, { phone: PHONE });
    for (let i = 0; i < 4; i++) await h.kit.otp.verify({ challengeId: first.challengeId, code: wrongCode(first.code) });
    expect((await h.kit.otp.verify(first)).ok).toBe(true);
    const second = await startOk(h, { phone: PHONE });
    for (let i = 0; i < 4; i++) {
      expect(await h.kit.otp.verify({ challengeId: second.challengeId, code: wrongCode(second.code) })).toMatchObject({
        reason: 'wrong-code',
      });
    }
  });
});

describe('pattern: per-IP-only limits', () => {
  it('rotating IPs does not get past the per-phone limit', async () => {
    const h = makeOtpHarness({ otp: { limits: { perPhone: { limit: 3 } } } });
    const results = [];
    for (let i = 0; i < 10; i++) {
      results.push(await h.kit.otp.start({ phone: PHONE, purpose: i % 2 ? 'splash' : 'portal', ip: `198.51.${i}.7` }));
    }
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results[3]).toMatchObject({ ok: false, reason: 'rate-limited', retryAfterSeconds: expect.any(Number) });
    expect(h.sms.countTo(PHONE)).toBe(3);
  });

  it('hosts of one /24 share a limit, and so do the addresses of one IPv6 /64', async () => {
    const h = makeOtpHarness({ otp: { limits: { perSubnet: { limit: 2 } } } });
    const phones = ['+447400123451', '+447400123452', '+447400123453', '+447400123454', '+447400123455'];
    const v4 = [];
    for (let i = 0; i < 3; i++)
      v4.push(await h.kit.otp.start({ phone: phones[i] as string, purpose: 'splash', ip: `203.0.113.${10 + i}` }));
    expect(v4.map((r) => r.ok)).toEqual([true, true, false]);
    const v6 = [];
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2:ffff::9', '2001:db8:1:2:abcd:1:2:3']) {
      v6.push(await h.kit.otp.start({ phone: phones[v6.length + 3] ?? '+447400123456', purpose: 'splash', ip }));
    }
    expect(v6.map((r) => r.ok)).toEqual([true, true, false]);
    // A different /24 is a different network.
    expect((await h.kit.otp.start({ phone: '+447400123459', purpose: 'splash', ip: '203.0.114.10' })).ok).toBe(true);
  });

  it('many phones and networks into one country calling code hit the per-calling-code limit', async () => {
    const h = makeOtpHarness({ otp: { limits: { perCallingCode: { limit: 3, overrides: { '371': 100 } } } } });
    const results = [];
    for (let i = 0; i < 5; i++) {
      results.push(await h.kit.otp.start({ phone: `+4474001234${10 + i}`, purpose: 'splash', ip: `10.${i}.0.1` }));
    }
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, false]);
    // Another calling code has its own count (and an override).
    for (let i = 0; i < 5; i++) {
      expect((await h.kit.otp.start({ phone: `+3712000000${i}`, purpose: 'splash', ip: `10.9.${i}.1` })).ok).toBe(true);
    }
  });

  it('a calling code with an override of 0 is refused before anything is counted', async () => {
    const h = makeOtpHarness({ otp: { limits: { perCallingCode: { overrides: { '44': 0 } } } } });
    expect(await h.kit.otp.start({ phone: '+447400123456', purpose: 'splash' })).toMatchObject({
      ok: false,
      reason: 'invalid-phone',
      phoneReason: 'country-not-allowed',
    });
    expect(h.sms.messages).toHaveLength(0);
  });

  it('the global hourly budget caps everything together', async () => {
    const h = makeOtpHarness({ otp: { limits: { global: { limit: 4 } } } });
    const results = [];
    for (let i = 0; i < 6; i++) {
      results.push(await h.kit.otp.start({ phone: `+4474001234${20 + i}`, purpose: 'portal', ip: `192.0.${i}.1` }));
    }
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'budget-exhausted',
      'budget-exhausted',
    ]);
    expect(h.logger.lines.some((l) => l.level === 'warn' && l.message.includes('global SMS budget'))).toBe(true);
    expect(h.sms.messages).toHaveLength(4);
  });

  it('a spent IP limit refuses without charging the victim phone, so an attacker cannot lock a number out', async () => {
    const h = makeOtpHarness({ otp: { limits: { perIp: { limit: 1 }, perPhone: { limit: 2 } } } });
    expect((await h.kit.otp.start({ phone: '+447400123456', purpose: 'splash', ip: '198.51.100.1' })).ok).toBe(true);
    for (let i = 0; i < 5; i++) {
      expect(await h.kit.otp.start({ phone: PHONE, purpose: 'splash', ip: '198.51.100.1' })).toMatchObject({
        reason: 'rate-limited',
      });
    }
    expect((await h.kit.otp.start({ phone: PHONE, purpose: 'splash', ip: '192.0.2.1' })).ok).toBe(true);
    expect((await h.kit.otp.start({ phone: PHONE, purpose: 'splash', ip: '192.0.2.2' })).ok).toBe(true);
  });

  it('the window slides: a burst at a fixed-window boundary does not double the limit', async () => {
    const h = makeOtpHarness({ otp: { limits: { perPhone: { limit: 3 } } } });
    h.clock.set(new Date('2026-03-02T09:59:50.000Z'));
    for (let i = 0; i < 3; i++) expect((await h.kit.otp.start({ phone: PHONE, purpose: 'splash' })).ok).toBe(true);
    h.clock.set(new Date('2026-03-02T10:00:10.000Z'));
    const refused = await h.kit.otp.start({ phone: PHONE, purpose: 'splash' });
    expect(refused).toMatchObject({ ok: false, reason: 'rate-limited' });
    // One slot frees up once a third of the old burst has slid out of the hour.
    const wait = (refused as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThan(1000);
    expect(wait).toBeLessThanOrEqual(3600);
    h.clock.advance(wait - 5);
    expect((await h.kit.otp.start({ phone: PHONE, purpose: 'splash' })).ok).toBe(false);
    h.clock.advance(5);
    expect((await h.kit.otp.start({ phone: PHONE, purpose: 'splash' })).ok).toBe(true);
  });

  it('parallel starts never pass a send limit', async () => {
    const h = makeOtpHarness({ otp: { limits: { perIp: { limit: 4 } } } });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        h.kit.otp.start({ phone: `+4474001234${String(i).padStart(2, '0')}`, purpose: 'splash', ip: '203.0.113.50' }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    expect(h.sms.messages).toHaveLength(4);
  });
});

describe('pattern: limits bypassed by formatting the same number differently', () => {
  it('+1 (415) 555-2671, +14155552671, 001 415 555 2671 and tel:+1-415-555-2671 share one limit', async () => {
    const h = makeOtpHarness({ otp: { limits: { perPhone: { limit: 2 } } } });
    const spellings = [
      '+1 (415) 555-2671',
      '+14155552671',
      '001 415 555 2671',
      'tel:+1-415-555-2671',
      '+1.415.555.2671',
    ];
    const results = [];
    for (const [i, phone] of spellings.entries()) {
      results.push(await h.kit.otp.start({ phone, purpose: 'splash', ip: `198.51.100.${i + 1}` }));
    }
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      'ok',
      'ok',
      'rate-limited',
      'rate-limited',
      'rate-limited',
    ]);
    expect(new Set(h.sms.messages.map((m) => m.to))).toEqual(new Set([PHONE]));
  });

  it('a national-format number with the default country counts with its E.164 form', async () => {
    const h = makeOtpHarness({ phone: { defaultCountry: 'US' }, otp: { limits: { perPhone: { limit: 1 } } } });
    expect((await h.kit.otp.start({ phone: '(415) 555-2671', purpose: 'splash' })).ok).toBe(true);
    expect(await h.kit.otp.start({ phone: '+14155552671', purpose: 'portal' })).toMatchObject({
      reason: 'rate-limited',
    });
  });

  it('an IPv4 address written as IPv4-mapped IPv6, and IPv6 written two ways, are one client', async () => {
    const h = makeOtpHarness({ otp: { limits: { perIp: { limit: 1 }, perSubnet: false } } });
    expect((await h.kit.otp.start({ phone: '+447400123401', purpose: 'splash', ip: '203.0.113.7' })).ok).toBe(true);
    expect(
      await h.kit.otp.start({ phone: '+447400123402', purpose: 'splash', ip: '::ffff:203.0.113.7' }),
    ).toMatchObject({ reason: 'rate-limited' });
    expect((await h.kit.otp.start({ phone: '+447400123403', purpose: 'splash', ip: '2001:db8::1' })).ok).toBe(true);
    expect(
      await h.kit.otp.start({ phone: '+447400123404', purpose: 'splash', ip: '2001:DB8:0:0:0:0:0:1' }),
    ).toMatchObject({ reason: 'rate-limited' });
    expect(
      await h.kit.otp.start({ phone: '+447400123405', purpose: 'splash', ip: '[2001:db8::1%eth0]' }),
    ).toMatchObject({ reason: 'rate-limited' });
  });
});

describe('pattern: a code accepted for another purpose', () => {
  it("a splash code does not verify the same phone's portal challenge", async () => {
    const h = makeOtpHarness();
    const splash = await startOk(h, { phone: PHONE, purpose: 'splash' });
    const portal = await startOk(h, { phone: PHONE, purpose: 'portal' });
    if (splash.code !== portal.code) {
      expect(await h.kit.otp.verify({ challengeId: portal.challengeId, code: splash.code })).toMatchObject({
        reason: 'wrong-code',
      });
    }
    expect(await h.kit.otp.verify({ challengeId: splash.challengeId, code: splash.code })).toEqual({
      ok: true,
      phone: PHONE,
      purpose: 'splash',
    });
  });

  it('the HMAC binds the purpose: the same code and HMAC under a portal challenge never match', async () => {
    const h = makeOtpHarness();
    const splash = await startOk(h, { phone: PHONE, purpose: 'splash' });
    const record = await h.kit.store.otp.get(splash.challengeId);
    if (!record) throw new Error('unreachable');
    // An attacker who could copy the stored HMAC into a portal challenge with the same id still fails.
    const forged = { ...record, id: `${record.id}-forged`, purpose: 'portal' as const };
    await h.kit.store.otp.insert(forged);
    expect(await h.kit.otp.verify({ challengeId: forged.id, code: splash.code })).toMatchObject({
      reason: 'wrong-code',
    });
    const samePurposeOtherId = { ...record, id: `${record.id}-copy` };
    await h.kit.store.otp.insert(samePurposeOtherId);
    expect(await h.kit.otp.verify({ challengeId: samePurposeOtherId.id, code: splash.code })).toMatchObject({
      reason: 'wrong-code',
    });
  });

  it('verify with purpose: a challenge of the other purpose is not-found and costs no guess', async () => {
    const h = makeOtpHarness();
    const splash = await startOk(h, { phone: PHONE, purpose: 'splash' });
    expect(await h.kit.otp.verify({ challengeId: splash.challengeId, code: splash.code, purpose: 'portal' })).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect((await h.kit.store.otp.get(splash.challengeId))?.attempts).toBe(0);
    expect(
      await h.kit.otp.verify({ challengeId: splash.challengeId, code: splash.code, purpose: 'splash' }),
    ).toMatchObject({ ok: true });
  });
});

describe('pattern: codes in logs or responses', () => {
  it('no code in any log line (debug included), event, result, error or SMS log text', async () => {
    const h = makeOtpHarness({ otp: { lockout: { maxFailures: 6 } } });
    const seen: unknown[] = [];
    const a = await startOk(h, { phone: PHONE, purpose: 'portal', ip: '203.0.113.9' });
    seen.push(a.challengeId, a.expiresAt);
    seen.push(await h.kit.otp.verify({ challengeId: a.challengeId, code: wrongCode(a.code) }));
    h.clock.advance(30);
    seen.push(await h.kit.otp.resend({ challengeId: a.challengeId }));
    const b = h.sms.lastCode();
    seen.push(await h.kit.otp.verify({ challengeId: a.challengeId, code: b }));
    seen.push(await h.kit.otp.verify({ challengeId: a.challengeId, code: b }));
    const c = await startOk(h, { phone: PHONE, purpose: 'splash' });
    for (let i = 0; i < 5; i++)
      seen.push(await h.kit.otp.verify({ challengeId: c.challengeId, code: wrongCode(c.code) }));
    h.sms.behaviour = 'failed';
    seen.push(await h.kit.otp.start({ phone: '+447400123456', purpose: 'splash' }));
    h.sms.behaviour = 'throw';
    seen.push(await h.kit.otp.start({ phone: '+447400123457', purpose: 'splash' }));
    try {
      await h.kit.otp.verify({ challengeId: a.challengeId, code: b, ip: 'nonsense' });
    } catch (error) {
      seen.push(String(error), (error as Error).stack);
    }
    await h.kit.settled();

    const codes = h.sms.messages.map((m) => m.text.match(/\d{6}/)?.[0] as string);
    expect(codes.length).toBe(5);
    const haystack = JSON.stringify({
      logs: h.logger.lines,
      events: h.events,
      seen,
      smsLog: h.sms.entries,
      logTexts: h.sms.messages.map((m) => m.logText),
      meta: h.sms.messages.map((m) => m.meta),
      records: await Promise.all([a.challengeId, c.challengeId].map((id) => h.kit.store.otp.get(id))),
    });
    expect(h.logger.lines.length).toBeGreaterThan(5);
    for (const code of codes) expect(haystack).not.toContain(code);
    expect(h.sms.entries.every((e) => e.text.includes('******'))).toBe(true);
  });
});

describe('pattern: unbounded resends', () => {
  it('at most maxSends SMS per challenge however long the caller keeps asking', async () => {
    const h = makeOtpHarness({ otp: { ttlSeconds: 600 } });
    const { challengeId } = await startOk(h, { phone: PHONE });
    const reasons = [];
    for (let i = 0; i < 20; i++) {
      h.clock.advance(10);
      const r = await h.kit.otp.resend({ challengeId });
      reasons.push(r.ok ? 'ok' : r.reason);
    }
    expect(h.sms.messages).toHaveLength(3);
    expect(reasons.filter((r) => r === 'ok')).toHaveLength(2);
    expect(reasons.at(-1)).toBe('max-sends');
  });

  it('50 parallel resends after the cooldown send one SMS', async () => {
    const h = makeOtpHarness();
    const { challengeId } = await startOk(h, { phone: PHONE });
    h.clock.advance(30);
    const results = await Promise.all(Array.from({ length: 50 }, () => h.kit.otp.resend({ challengeId })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(h.sms.messages).toHaveLength(2);
    expect(results.filter((r) => !r.ok && r.reason === 'resend-too-soon')).toHaveLength(49);
  });

  it('resends count against the per-phone limit too', async () => {
    const h = makeOtpHarness({ otp: { limits: { perPhone: { limit: 2 } }, ttlSeconds: 600 } });
    const { challengeId } = await startOk(h, { phone: PHONE });
    h.clock.advance(30);
    expect((await h.kit.otp.resend({ challengeId })).ok).toBe(true);
    h.clock.advance(60);
    expect(await h.kit.otp.resend({ challengeId })).toMatchObject({ ok: false, reason: 'rate-limited' });
  });
});

describe('pattern: SMS sent to premium-rate numbers', () => {
  const refused: Array<[string, string]> = [
    ['+44 909 876 5432', 'premium-rate'],
    ['+1 900 555 0199', 'premium-rate'],
    ['+44 871 123 4567', 'premium-rate'],
    ['+33 8 36 65 65 65', 'premium-rate'],
    ['+371 90012345', 'premium-rate'],
    ['+1 800 555 0199', 'toll-free'],
    ['+44 56 1234 5678', 'voip'],
    ['+49 30 123456', 'fixed-line'],
    ['+1 415 555 2671 ext. 12', 'extension'],
  ];

  it.each(refused)('%s is refused as %s, with no SMS', async (phone, reason) => {
    const h = makeOtpHarness();
    const result = await h.kit.otp.start({ phone, purpose: 'splash', ip: '203.0.113.7' });
    expect(result).toMatchObject({
      ok: false,
      reason: 'invalid-phone',
      phoneReason: reason,
      message: expect.any(String),
    });
    expect(h.sms.messages).toHaveLength(0);
  });

  it('refused numbers count against nothing: the IP and global budgets are untouched', async () => {
    const h = makeOtpHarness({ otp: { limits: { perIp: { limit: 1 }, global: { limit: 1 } } } });
    for (const [phone] of refused) {
      expect((await h.kit.otp.start({ phone, purpose: 'splash', ip: '203.0.113.7' })).ok).toBe(false);
    }
    expect((await h.kit.otp.start({ phone: PHONE, purpose: 'splash', ip: '203.0.113.7' })).ok).toBe(true);
  });
});
