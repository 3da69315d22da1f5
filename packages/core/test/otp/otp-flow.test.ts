// kit.otp and kit.splash as a host uses them: start, SMS text, verify, resend, expiry,
// superseding, templates and locales, configuration errors.
import { createHotspotKit, createMemoryStore, isHotspotKitError } from '@hotspot-kit/core';
import { describe, expect, it } from 'vitest';
import { makeOtpHarness, SECRET, startOk, T0, wrongCode } from './harness.js';

const PHONE = '+14155552671';

describe('kit.otp start and verify', () => {
  it('sends a 6-digit code by SMS and verifies it once', async () => {
    const h = makeOtpHarness();
    const started = await h.kit.otp.start({ phone: PHONE, purpose: 'splash', ip: '203.0.113.7' });
    expect(started).toEqual({
      ok: true,
      challengeId: expect.any(String),
      expiresAt: new Date(T0.getTime() + 300_000),
      resendAfter: new Date(T0.getTime() + 30_000),
    });
    expect(h.sms.messages).toHaveLength(1);
    const message = h.sms.messages[0];
    expect(message?.to).toBe(PHONE);
    expect(message?.purpose).toBe('otp');
    expect(message?.text).toMatch(/^Your WiFi code is \d{6}$/);
    expect(message?.logText).toBe('Your WiFi code is ******');
    expect(message?.meta).toEqual({ otpPurpose: 'splash', challengeId: started.ok ? started.challengeId : '' });

    const code = h.sms.lastCode();
    if (!started.ok) throw new Error('unreachable');
    expect(await h.kit.otp.verify({ challengeId: started.challengeId, code })).toEqual({
      ok: true,
      phone: PHONE,
      purpose: 'splash',
    });
  });

  it('normalizes the phone before anything: every spelling is the same E.164 number', async () => {
    const h = makeOtpHarness();
    await startOk(h, { phone: '+1 (415) 555-2671' });
    expect(h.sms.messages[0]?.to).toBe(PHONE);
  });

  it('uses codeLength and ttlSeconds, and codes keep their leading zeros', async () => {
    const h = makeOtpHarness({ otp: { codeLength: 8, ttlSeconds: 120 } });
    const { challengeId, code, expiresAt } = await startOk(h, { phone: PHONE });
    expect(code).toMatch(/^\d{8}$/);
    expect(expiresAt).toEqual(new Date(T0.getTime() + 120_000));
    expect((await h.kit.otp.verify({ challengeId, code })).ok).toBe(true);
  });

  it('accepts the code typed with spaces or dashes', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    const typed = ` ${code.slice(0, 3)} - ${code.slice(3)} `;
    expect((await h.kit.otp.verify({ challengeId, code: typed })).ok).toBe(true);
  });

  it('a code expires after ttlSeconds (default 5 minutes) without costing a guess', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    h.clock.advance(299);
    const stillOpen = await h.kit.store.otp.get(challengeId);
    expect(stillOpen?.expiresAt.getTime()).toBeGreaterThan(h.clock.now().getTime());
    h.clock.advance(1);
    expect(await h.kit.otp.verify({ challengeId, code })).toEqual({ ok: false, reason: 'expired' });
    expect((await h.kit.store.otp.get(challengeId))?.attempts).toBe(0);
  });

  it('an unknown challenge is not-found', async () => {
    const h = makeOtpHarness();
    expect(await h.kit.otp.verify({ challengeId: 'nope', code: '123456' })).toEqual({ ok: false, reason: 'not-found' });
  });

  it('a wrong code says how many attempts are left, and the right code still works after it', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    expect(await h.kit.otp.verify({ challengeId, code: wrongCode(code) })).toEqual({
      ok: false,
      reason: 'wrong-code',
      attemptsLeft: 4,
    });
    expect(await h.kit.otp.verify({ challengeId, code: 'abc' })).toEqual({
      ok: false,
      reason: 'wrong-code',
      attemptsLeft: 3,
    });
    expect((await h.kit.otp.verify({ challengeId, code })).ok).toBe(true);
  });

  it('stores only an HMAC of the code, never the code', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    const record = await h.kit.store.otp.get(challengeId);
    expect(record?.codeHmac).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(code);
  });

  it('emits otp.sent, otp.failed and otp.verified with no code in them', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE, purpose: 'portal' });
    await h.kit.otp.verify({ challengeId, code: wrongCode(code) });
    await h.kit.otp.verify({ challengeId, code });
    await h.kit.settled();
    expect(h.events.map((e) => e.name)).toEqual(['otp.sent', 'otp.failed', 'otp.verified']);
    expect(h.events[0]?.payload).toEqual({ challengeId, phone: PHONE, purpose: 'portal', at: T0 });
    expect(h.events[1]?.payload).toMatchObject({ challengeId, attemptsLeft: 4 });
    expect(JSON.stringify(h.events)).not.toContain(code);
  });
});

describe('kit.otp resend', () => {
  it('waits for the cooldown, which grows with each resend, and stops after maxSends', async () => {
    const h = makeOtpHarness();
    const { challengeId } = await startOk(h, { phone: PHONE });
    const early = await h.kit.otp.resend({ challengeId });
    expect(early).toMatchObject({ ok: false, reason: 'resend-too-soon', retryAfterSeconds: 30 });
    expect(h.sms.messages).toHaveLength(1);

    h.clock.advance(30);
    const second = await h.kit.otp.resend({ challengeId });
    expect(second).toMatchObject({ ok: true, challengeId, resendAfter: new Date(h.clock.now().getTime() + 60_000) });
    h.clock.advance(59);
    expect(await h.kit.otp.resend({ challengeId })).toMatchObject({ reason: 'resend-too-soon', retryAfterSeconds: 1 });
    h.clock.advance(1);
    expect((await h.kit.otp.resend({ challengeId })).ok).toBe(true);
    h.clock.advance(3600);
    expect(await h.kit.otp.resend({ challengeId })).toMatchObject({ ok: false, reason: 'challenge-closed' });
    expect(h.sms.messages).toHaveLength(3);
  });

  it('sends a new code with a fresh TTL; the code it replaced stops working', async () => {
    const h = makeOtpHarness();
    const { challengeId, code: first } = await startOk(h, { phone: PHONE });
    h.clock.advance(200);
    const resent = await h.kit.otp.resend({ challengeId });
    expect(resent).toMatchObject({ ok: true, expiresAt: new Date(h.clock.now().getTime() + 300_000) });
    const second = h.sms.lastCode();
    if (first !== second) {
      expect(await h.kit.otp.verify({ challengeId, code: first })).toMatchObject({ reason: 'wrong-code' });
    }
    h.clock.advance(250); // past the first code's expiry, within the second's
    expect(await h.kit.otp.verify({ challengeId, code: second })).toMatchObject({ ok: true });
  });

  it('max-sends after maxSends SMS for one challenge', async () => {
    const h = makeOtpHarness({ otp: { maxSends: 2, ttlSeconds: 600 } });
    const { challengeId } = await startOk(h, { phone: PHONE });
    h.clock.advance(30);
    expect((await h.kit.otp.resend({ challengeId })).ok).toBe(true);
    h.clock.advance(120);
    expect(await h.kit.otp.resend({ challengeId })).toMatchObject({ ok: false, reason: 'max-sends' });
    expect(h.sms.messages).toHaveLength(2);
  });

  it('a resend of an unknown or used challenge is challenge-closed', async () => {
    const h = makeOtpHarness();
    expect(await h.kit.otp.resend({ challengeId: 'nope' })).toMatchObject({ ok: false, reason: 'challenge-closed' });
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    await h.kit.otp.verify({ challengeId, code });
    h.clock.advance(30);
    expect(await h.kit.otp.resend({ challengeId })).toMatchObject({ ok: false, reason: 'challenge-closed' });
  });
});

describe('a new challenge for the same phone and purpose', () => {
  it('supersedes the old one; the other purpose is untouched', async () => {
    const h = makeOtpHarness();
    const splash1 = await startOk(h, { phone: PHONE, purpose: 'splash' });
    const portal = await startOk(h, { phone: PHONE, purpose: 'portal' });
    const splash2 = await startOk(h, { phone: PHONE, purpose: 'splash' });
    expect(await h.kit.otp.verify({ challengeId: splash1.challengeId, code: splash1.code })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect((await h.kit.otp.verify({ challengeId: portal.challengeId, code: portal.code })).ok).toBe(true);
    expect((await h.kit.otp.verify({ challengeId: splash2.challengeId, code: splash2.code })).ok).toBe(true);
  });
});

describe('SMS failures', () => {
  it('a failed send is sms-failed, not success, and its challenge cannot be verified', async () => {
    const h = makeOtpHarness();
    h.sms.behaviour = 'failed';
    const result = await h.kit.otp.start({ phone: PHONE, purpose: 'splash' });
    expect(result).toMatchObject({ ok: false, reason: 'sms-failed', message: expect.any(String) });
    expect(h.logger.lines.some((l) => l.level === 'warn' && l.message.includes('not sent'))).toBe(true);
    await h.kit.settled();
    expect(h.events).toEqual([]);
  });

  it('a sender that throws is sms-failed too, and its error is logged with the code masked', async () => {
    const h = makeOtpHarness();
    h.sms.behaviour = 'throw';
    expect(await h.kit.otp.start({ phone: PHONE, purpose: 'splash' })).toMatchObject({
      ok: false,
      reason: 'sms-failed',
    });
    const code = h.sms.lastCode();
    const error = h.logger.lines.find((l) => l.level === 'error');
    expect(String(error?.fields?.error)).toContain('Your WiFi code is ******');
    expect(JSON.stringify(h.logger.lines)).not.toContain(code);
  });

  it('a queued SMS counts as sent', async () => {
    const h = makeOtpHarness();
    h.sms.behaviour = 'queued';
    expect((await h.kit.otp.start({ phone: PHONE, purpose: 'splash' })).ok).toBe(true);
  });

  it('a failed resend keeps the challenge open for the next resend, after the cooldown', async () => {
    const h = makeOtpHarness();
    const { challengeId } = await startOk(h, { phone: PHONE });
    h.clock.advance(30);
    h.sms.behaviour = 'failed';
    expect(await h.kit.otp.resend({ challengeId })).toMatchObject({
      ok: false,
      reason: 'sms-failed',
      retryAfterSeconds: 60,
    });
    h.sms.behaviour = 'sent';
    h.clock.advance(60);
    expect((await h.kit.otp.resend({ challengeId })).ok).toBe(true);
    expect((await h.kit.otp.verify({ challengeId, code: h.sms.lastCode() })).ok).toBe(true);
  });
});

describe('templates, locales, locations', () => {
  it('has a per-purpose default text in English and built-in languages', async () => {
    const h = makeOtpHarness();
    await startOk(h, { phone: PHONE, purpose: 'portal' });
    expect(h.sms.messages[0]?.text).toMatch(/^Your WiFi code is \d{6}\. Use it to sign in to your account\.$/);
    await startOk(h, { phone: '+4915123456789', purpose: 'splash', locale: 'de-AT' });
    expect(h.sms.messages[1]?.text).toMatch(/^Ihr WLAN-Code lautet \d{6}$/);
    expect(h.sms.messages[1]?.logText).toBe('Ihr WLAN-Code lautet ******');
  });

  it('takes operator templates per locale and purpose, with {{ .minutes }} and {{ .location }}', async () => {
    const h = makeOtpHarness({
      otp: {
        templates: {
          en: { splash: '{{ .location }} WiFi: {{ .code }} (valid {{ .minutes }} min)' },
          pt: 'Seu código: {{.code}}',
        },
        defaultLocale: 'pt',
      },
    });
    const location = await h.kit.locations.save({ name: 'Cafe Riga', senderId: 'CafeRiga' });
    await startOk(h, { phone: PHONE, locale: 'en', locationId: location.id });
    const sent = h.sms.messages[0];
    expect(sent?.text).toMatch(/^Cafe Riga WiFi: \d{6} \(valid 5 min\)$/);
    expect(sent?.logText).toBe('Cafe Riga WiFi: ****** (valid 5 min)');
    expect(sent?.sender).toBe('CafeRiga');
    expect(sent?.locationId).toBe(location.id);
    await startOk(h, { phone: '+447400123456' });
    expect(h.sms.messages[1]?.text).toMatch(/^Seu código: \d{6}$/);
    await startOk(h, { phone: '+4915123456789', purpose: 'portal', locale: 'en' });
    expect(h.sms.messages[2]?.text).toMatch(/sign in to your account/);
  });

  it('webOtpDomain adds the origin-bound line for browser autofill, masked in the log', async () => {
    const h = makeOtpHarness({ otp: { webOtpDomain: 'wifi.example.com' } });
    const { code } = await startOk(h, { phone: PHONE });
    expect(h.sms.messages[0]?.text).toBe(`Your WiFi code is ${code}\n\n@wifi.example.com #${code}`);
    expect(h.sms.messages[0]?.logText).toBe('Your WiFi code is ******\n\n@wifi.example.com #******');
  });

  it('a template without {{ .code }}, with an unknown variable, or a typo is a config error naming it', () => {
    const make = (templates: Record<string, unknown>) => () =>
      createHotspotKit({
        store: createMemoryStore(),
        secret: SECRET,
        otp: { templates: templates as never },
      });
    expect(make({ de: { splash: 'Hallo' } })).toThrow(/otp\.templates\.de\.splash: must contain \{\{ \.code \}\}/);
    expect(make({ en: 'Code {{ .code }} for {{ .customer.name }}' })).toThrow(/otp\.templates\.en: unknown variable/);
    expect(make({ en: 'Code {{code}}' })).toThrow(/otp\.templates\.en: .*malformed/);
  });
});

describe('options and configuration errors', () => {
  it('bad OTP options throw INVALID_CONFIG naming the field', () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ codeLength: 3 }, /otp\.codeLength/],
      [{ codeLength: 11 }, /otp\.codeLength/],
      [{ ttlSeconds: 601 }, /otp\.ttlSeconds/],
      [{ maxAttempts: 0 }, /otp\.maxAttempts/],
      [{ limits: { perIp: { limit: 0 } } }, /otp\.limits\.perIp(\.|: )limit/],
      [
        { limits: { perCallingCode: { overrides: { '+44': 5 } } } },
        /otp\.limits\.perCallingCode: overrides\.\+44: must be a country calling code/,
      ],
      [{ limits: { global: 'yes' } }, /otp\.limits\.global: must be false or an object/],
      [{ allowedCountries: ['Latvia'] }, /otp\.allowedCountries\[0\]/],
      [{ lockout: { maxFailures: 0 } }, /otp\.lockout\.maxFailures/],
      [{ unknownOption: true }, /otp/],
    ];
    for (const [otp, pattern] of bad) {
      let error: unknown;
      try {
        createHotspotKit({ store: createMemoryStore(), secret: SECRET, otp: otp as never });
      } catch (e) {
        error = e;
      }
      expect(isHotspotKitError(error), JSON.stringify(otp)).toBe(true);
      expect((error as { code: string }).code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toMatch(pattern);
    }
  });

  it('otp.splash or portal.otp on without an SMS sender is SMS_NOT_CONFIGURED naming the option', () => {
    const noSms = (options: Record<string, unknown>) => () =>
      createHotspotKit({ store: createMemoryStore(), secret: SECRET, ...options });
    expect(noSms({ otp: { splash: true } })).toThrow(expect.objectContaining({ code: 'SMS_NOT_CONFIGURED' }));
    expect(noSms({ otp: { splash: true } })).toThrow(/otp\.splash/);
    expect(noSms({ portal: { otp: true } })).toThrow(/portal\.otp/);
  });

  it('without an SMS sender, kit.otp.start throws SMS_NOT_CONFIGURED (a host bug, not a user refusal)', async () => {
    const kit = createHotspotKit({ store: createMemoryStore(), secret: SECRET });
    await expect(kit.otp.start({ phone: PHONE, purpose: 'portal' })).rejects.toMatchObject({
      code: 'SMS_NOT_CONFIGURED',
    });
  });

  it('bad input from the host throws INVALID_INPUT naming the field', async () => {
    const h = makeOtpHarness();
    await expect(h.kit.otp.start({ phone: PHONE, purpose: 'login' as never })).rejects.toThrow(/purpose/);
    await expect(h.kit.otp.start({ phone: PHONE, purpose: 'splash', ip: 'not-an-ip' })).rejects.toThrow(/ip/);
    await expect(h.kit.otp.verify({ challengeId: 'x', code: 123456 as never })).rejects.toThrow(/code/);
    expect(h.sms.messages).toHaveLength(0);
  });
});

describe('kit.splash.checkPhone', () => {
  it('otp off: checks format and type only, returns E.164, sends and counts nothing', async () => {
    const h = makeOtpHarness({ otp: { limits: { perPhone: { limit: 1 } } } });
    for (let i = 0; i < 3; i++) {
      expect(await h.kit.splash.checkPhone({ phone: '+1 (415) 555-2671', otp: false, ip: '203.0.113.7' })).toEqual({
        ok: true,
        phone: PHONE,
        otp: false,
      });
    }
    expect(h.sms.messages).toHaveLength(0);
    // Checking did not use up the phone's send budget.
    expect((await h.kit.otp.start({ phone: PHONE, purpose: 'splash' })).ok).toBe(true);
  });

  it('otp off: a refused number says why', async () => {
    const h = makeOtpHarness();
    expect(await h.kit.splash.checkPhone({ phone: '+44 909 876 5432', otp: false })).toEqual({
      ok: false,
      otp: false,
      reason: 'invalid-phone',
      phoneReason: 'premium-rate',
      message: expect.any(String),
    });
    expect(await h.kit.splash.checkPhone({ phone: 'call me', otp: false })).toMatchObject({
      ok: false,
      phoneReason: 'not-a-phone-number',
    });
  });

  it('otp on: starts a splash challenge whose code verifies', async () => {
    const h = makeOtpHarness();
    const result = await h.kit.splash.checkPhone({ phone: '+1 415 555 2671', otp: true, ip: '203.0.113.7' });
    expect(result).toMatchObject({ ok: true, otp: true, challengeId: expect.any(String) });
    if (!result.ok || !result.otp) throw new Error('unreachable');
    expect(await h.kit.otp.verify({ challengeId: result.challengeId, code: h.sms.lastCode() })).toEqual({
      ok: true,
      phone: PHONE,
      purpose: 'splash',
    });
  });

  it('otp on: a refused number costs no SMS', async () => {
    const h = makeOtpHarness();
    expect(await h.kit.splash.checkPhone({ phone: '+1 900 555 0199', otp: true })).toMatchObject({
      ok: false,
      otp: true,
      reason: 'invalid-phone',
      phoneReason: 'premium-rate',
    });
    expect(h.sms.messages).toHaveLength(0);
  });

  it('otp left out follows the otp.splash option', async () => {
    const h = makeOtpHarness({ otp: { splash: true } });
    const result = await h.kit.splash.checkPhone({ phone: PHONE } as never);
    expect(result).toMatchObject({ ok: true, otp: true });
  });

  it('allowed countries apply with otp off and on', async () => {
    const h = makeOtpHarness({ otp: { allowedCountries: ['LV', 'EE'] } });
    expect(await h.kit.splash.checkPhone({ phone: PHONE, otp: false })).toMatchObject({
      ok: false,
      phoneReason: 'country-not-allowed',
    });
    expect(await h.kit.splash.checkPhone({ phone: PHONE, otp: true })).toMatchObject({
      ok: false,
      phoneReason: 'country-not-allowed',
    });
    expect(await h.kit.splash.checkPhone({ phone: '+37120000000', otp: false })).toMatchObject({ ok: true });
    expect(h.sms.messages).toHaveLength(0);
  });
});
