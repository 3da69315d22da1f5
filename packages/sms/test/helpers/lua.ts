// What the Lua tests share: a build ctx and a way to catch the SmsError a call rejects with.
import { isSmsError, type LuaBuildContext, type SmsError } from '../../src/index.js';

/** A minimal `ctx` for `build(ctx)`; `over` replaces fields. */
export function luaCtx(over: Partial<LuaBuildContext> = {}): LuaBuildContext {
  return {
    to: '+14155550100',
    to_digits: '14155550100',
    message: 'hi',
    location: '',
    from: '',
    id: 'm1',
    now: 1_700_000_000,
    gateway: { secrets: {} },
    ...over,
  };
}

/** The `SmsError` that `p` rejects with (fails the test when it resolves or throws anything else). */
export async function rejection(p: Promise<unknown>): Promise<SmsError> {
  try {
    await p;
  } catch (e) {
    if (isSmsError(e)) return e;
    throw e;
  }
  throw new Error('expected the call to reject');
}
