// Pattern: timing-unsafe comparison.
//
// Why a spy and not a stopwatch: a statistical timing test over a JavaScript engine on a
// shared 2-core machine measures the scheduler more than the comparison, and would be flaky
// or toothless. What can be proven deterministically is the structure that makes the check
// constant-time: (1) the decision is taken by `timingSafeEqual` alone (forcing it to answer
// false refuses the right code, forcing true accepts a wrong one, so no `===` on codes or
// HMACs decides anywhere); (2) it always compares two 32-byte HMACs, never the typed code,
// so the input length cannot leak through it either; (3) every secret is compared, even
// after one matched; and (4) `timingSafeEqual` itself has no data-dependent exit.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as crypto from '../../src/platform/crypto.js';
import { makeOtpHarness, SECRET, startOk, wrongCode } from './harness.js';

const override = vi.hoisted(() => ({ answer: undefined as boolean | undefined }));

vi.mock('../../src/platform/crypto.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/platform/crypto.js')>();
  return {
    ...real,
    timingSafeEqual: vi.fn((a: Uint8Array, b: Uint8Array) => {
      const result = real.timingSafeEqual(a, b);
      return override.answer ?? result;
    }),
  };
});

const spy = vi.mocked(crypto.timingSafeEqual);
const PHONE = '+14155552671';

beforeEach(() => {
  override.answer = undefined;
  spy.mockClear();
});

describe('pattern: timing-unsafe comparison', () => {
  it('every verify compares two 32-byte HMACs through timingSafeEqual, whatever was typed', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    for (const typed of [wrongCode(code), '1', '123456789012345678901234567890']) {
      spy.mockClear();
      await h.kit.otp.verify({ challengeId, code: typed });
      expect(spy).toHaveBeenCalledTimes(1);
      const [a, b] = spy.mock.calls[0] as [Uint8Array, Uint8Array];
      expect(a).toHaveLength(32);
      expect(b).toHaveLength(32);
    }
  });

  it('the decision is timingSafeEqual alone: forced false refuses the right code', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    override.answer = false;
    expect(await h.kit.otp.verify({ challengeId, code })).toMatchObject({ ok: false, reason: 'wrong-code' });
  });

  it('the decision is timingSafeEqual alone: forced true accepts a wrong code', async () => {
    const h = makeOtpHarness();
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    override.answer = true;
    expect(await h.kit.otp.verify({ challengeId, code: wrongCode(code) })).toMatchObject({ ok: true });
  });

  it('with several secrets, all are compared even when the first matches (rotation without a timing tell)', async () => {
    const h = makeOtpHarness({
      secret: [SECRET, 'older-secret-9876543210-zyxwvuts', 'oldest-secret-abcdefghijklmnop'],
    });
    const { challengeId, code } = await startOk(h, { phone: PHONE });
    spy.mockClear();
    expect((await h.kit.otp.verify({ challengeId, code })).ok).toBe(true);
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('a code signed under an older secret still verifies after rotation (first signs, all verify)', async () => {
    const before = makeOtpHarness({ secret: 'older-secret-9876543210-zyxwvuts' });
    const { challengeId, code } = await startOk(before, { phone: PHONE });
    const record = await before.kit.store.otp.get(challengeId);
    // The same store, now under a kit whose first secret is new and which still lists the old one.
    const after = makeOtpHarness({ store: before.kit.store, secret: [SECRET, 'older-secret-9876543210-zyxwvuts'] });
    expect(record).not.toBeNull();
    expect(await after.kit.otp.verify({ challengeId, code })).toMatchObject({ ok: true });
    // A kit that dropped the old secret no longer accepts codes it signed.
    const { challengeId: id2, code: code2 } = await startOk(before, { phone: '+447400123456' });
    const dropped = makeOtpHarness({ store: before.kit.store, secret: SECRET });
    expect(await dropped.kit.otp.verify({ challengeId: id2, code: code2 })).toMatchObject({ reason: 'wrong-code' });
  });
});

describe('timingSafeEqual itself', () => {
  it('is correct, and walks the whole input even when the first byte differs', async () => {
    const real = await vi.importActual<typeof import('../../src/platform/crypto.js')>('../../src/platform/crypto.js');
    const a = new Uint8Array(32).fill(7);
    expect(real.timingSafeEqual(a, new Uint8Array(32).fill(7))).toBe(true);
    const firstDiffers = new Uint8Array(32).fill(7);
    firstDiffers[0] = 8;
    const lastDiffers = new Uint8Array(32).fill(7);
    lastDiffers[31] = 8;
    expect(real.timingSafeEqual(a, firstDiffers)).toBe(false);
    expect(real.timingSafeEqual(a, lastDiffers)).toBe(false);
    expect(real.timingSafeEqual(a, new Uint8Array(31))).toBe(false);
    // Count element reads: an early-exit loop would read 1 byte of each for `firstDiffers`.
    let reads = 0;
    const counting = (bytes: Uint8Array) =>
      new Proxy(bytes, {
        get(target, prop) {
          if (typeof prop === 'string' && /^\d+$/.test(prop)) reads += 1;
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    real.timingSafeEqual(counting(a), counting(firstDiffers));
    expect(reads).toBe(64);
  });
});
