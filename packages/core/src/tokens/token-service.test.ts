import { describe, expect, it } from 'vitest';
import type { KitContext } from '../kit/kit-context.js';
import type { TokenService } from '../kit/services.js';
import { createTokenService } from './token-service.js';

const OLD = 'an-old-secret-that-is-long-enough';
const NEW = 'the-new-secret-that-is-long-enough';

function tokens(secrets: string[], clock: { now: Date }): TokenService {
  return createTokenService({ secrets, clock: () => clock.now } as unknown as KitContext);
}

describe('kit.tokens', () => {
  it('round-trips a payload until it expires', async () => {
    const clock = { now: new Date('2026-01-01T00:00:00Z') };
    const t = tokens([NEW], clock);
    const token = await t.sign({ p: '+14155552671', purpose: 'portal-prefill', n: 3 }, 3600);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(await t.verify(token)).toEqual({ p: '+14155552671', purpose: 'portal-prefill', n: 3 });
    clock.now = new Date('2026-01-01T00:59:59Z');
    expect(await t.verify(token)).not.toBeNull();
    clock.now = new Date('2026-01-01T01:00:00Z');
    expect(await t.verify(token)).toBeNull();
  });

  it('is compact enough for an SMS link', async () => {
    const t = tokens([NEW], { now: new Date() });
    const token = await t.sign({ p: '+14155552671', purpose: 'portal-prefill' }, 7 * 86_400);
    expect(token.length).toBeLessThanOrEqual(95);
  });

  it('signs with the first secret and verifies with every secret (rotation)', async () => {
    const clock = { now: new Date('2026-01-01T00:00:00Z') };
    const before = await tokens([OLD], clock).sign({ p: 'x' }, 60);
    const rotated = tokens([NEW, OLD], clock);
    expect(await rotated.verify(before)).toEqual({ p: 'x' });
    const after = await rotated.sign({ p: 'y' }, 60);
    expect(await tokens([NEW], clock).verify(after)).toEqual({ p: 'y' });
    expect(await tokens([OLD], clock).verify(after)).toBeNull();
  });

  it('refuses tampered, truncated and foreign tokens', async () => {
    const clock = { now: new Date('2026-01-01T00:00:00Z') };
    const t = tokens([NEW], clock);
    const token = await t.sign({ p: '+14155552671' }, 600);
    const [body, exp, tag] = token.split('.') as [string, string, string];
    const otherBody = Buffer.from(JSON.stringify({ p: '+447700900123' })).toString('base64url');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const bad of [
      `${otherBody}.${exp}.${tag}`,
      `${body}.${(Number.parseInt(exp, 36) + 86_400).toString(36)}.${tag}`,
      `${body}.${exp}.${flip(tag)}`,
      `${body}.${exp}`,
      `${body}.${exp}.${tag}x`,
      '',
      'not a token',
      `${token}.extra`,
    ]) {
      expect(await t.verify(bad)).toBeNull();
    }
    expect(await tokens(['a-completely-different-secret'], clock).verify(token)).toBeNull();
    expect(await t.verify(undefined as unknown as string)).toBeNull();
  });

  it('refuses a bad ttl or payload with a typed error', async () => {
    const t = tokens([NEW], { now: new Date() });
    await expect(t.sign({ p: 'x' }, 0)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /ttlSeconds/ });
    await expect(t.sign({ p: 'x' }, 1.5)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(t.sign({ p: { nested: true } } as never, 60)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('signer: the first secret signs, every secret verifies, and purposes never share keys', async () => {
    const clock = { now: new Date() };
    const rotated = tokens([NEW, OLD], clock).signer('portal/session');
    const before = tokens([OLD], clock).signer('portal/session');
    const tag = await before.sign('v1.body');
    expect(tag).toHaveLength(32);
    expect(await rotated.verify('v1.body', tag)).toBe(true);
    expect(await rotated.verify('v1.bodx', tag)).toBe(false);
    expect(await tokens([NEW, OLD], clock).signer('portal/csrf').verify('v1.body', tag)).toBe(false);
    expect(await tokens([NEW], clock).signer('portal/session').verify('v1.body', tag)).toBe(false);
    expect(() => tokens([NEW], clock).signer('Has Space')).toThrow(/signer purpose/);
  });
});
