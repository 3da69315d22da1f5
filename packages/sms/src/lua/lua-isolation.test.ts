// What one script call can leave for another: nothing. Scopes (a gateway's config version) have
// Lua states and memory budgets of their own; a call's caller can give it up.
import { afterAll, describe, expect, it } from 'vitest';
import { luaCtx, rejection } from '../../test/helpers/lua.js';
import { createLuaHookRunner } from './index.js';

const lua = createLuaHookRunner();
afterAll(() => lua.close());

const ctx = (secret: string) => luaCtx({ gateway: { secrets: { api_key: secret } } });

const body = async (p: Promise<{ kind: string; body?: string }>) => (await p).body;

describe('scripts are isolated per call and per scope', () => {
  const CACHING = 'function build(ctx)\n  key = key or ctx.gateway.secrets.api_key\n  return key\nend';

  it('a secret cached in a global is not sent by the next call, in the same scope or another', async () => {
    expect(await body(lua.build(CACHING, ctx('key-A'), { scope: 'gw-a#1' }))).toBe('key-A');
    expect(await body(lua.build(CACHING, ctx('key-B'), { scope: 'gw-b#1' }))).toBe('key-B');
    // A reload that rotated gateway A's key: the new key goes out, never the old one.
    expect(await body(lua.build(CACHING, ctx('key-A2'), { scope: 'gw-a#1' }))).toBe('key-A2');
    expect(await body(lua.build(CACHING, ctx('key-A3'), { scope: 'gw-a#2' }))).toBe('key-A3');
  });

  // `mib(n)` builds n strings of 1 MiB in a table: no intermediate copy doubles the peak.
  const MIB =
    'local function mib(n)\n  local one, t = ("x"):rep(1024):rep(1024), {}\n  for i = 1, n do t[i] = one .. i end\n  return t\nend\n';

  it('one scope holding ~30 MiB of its memory budget leaves another scope its whole budget', async () => {
    const runner = createLuaHookRunner({ memoryLimitBytes: 32 * 1024 * 1024 });
    try {
      const hog = `${MIB}function build(ctx)\n  hoard = mib(29)\n  return #hoard .. ""\nend`;
      const victim = `${MIB}function build(ctx)\n  local t = mib(24)\n  return #t .. ""\nend`;
      expect(await body(runner.build(hog, ctx('k'), { scope: 'hog' }))).toBe('29');
      expect(await body(runner.build(victim, ctx('k'), { scope: 'victim' }))).toBe('24');
      expect(await body(runner.build(hog, ctx('k'), { scope: 'hog' }))).toBe('29');
      expect(await body(runner.build(victim, ctx('k'), { scope: 'victim' }))).toBe('24');
    } finally {
      await runner.close();
    }
  });

  it('the script over its budget is the one that fails and is reset; the others are unaffected', async () => {
    const runner = createLuaHookRunner({ memoryLimitBytes: 16 * 1024 * 1024 });
    try {
      const greedy = `${MIB}function build(ctx)\n  local t = mib(64)\n  return "x"\nend`;
      const steady = `${MIB}function build(ctx)\n  return #mib(8) .. ""\nend`;
      expect(await body(runner.build(steady, ctx('k'), { scope: 'steady' }))).toBe('8');
      const e = await rejection(runner.build(greedy, ctx('k'), { scope: 'greedy' }));
      expect(e.code).toBe('LUA_MEMORY');
      expect(await body(runner.build(steady, ctx('k'), { scope: 'steady' }))).toBe('8');
      // Reset, not poisoned: the greedy scope's next call starts from a new state.
      expect(await body(runner.build('function build(ctx) return "ok" end', ctx('k'), { scope: 'greedy' }))).toBe('ok');
    } finally {
      await runner.close();
    }
  });
});

describe('a caller can give up a call', () => {
  it('an aborted call still queued is dropped: the script never runs and the queue does not wait for it', async () => {
    const spin = 'function build(ctx)\n  while true do end\nend';
    const first = lua.build(spin, ctx('k'), { deadlineMs: 300 });
    const controller = new AbortController();
    // If this one ran, it would hold the worker for 30 s.
    const dropped = lua.build(spin, ctx('k'), { deadlineMs: 30_000, signal: controller.signal });
    const after = lua.build('function build(ctx) return "next" end', ctx('k'));
    controller.abort(new Error('attempt timed out'));
    const e = await rejection(dropped);
    expect(e.code).toBe('LUA_ERROR');
    expect(e.message).toMatch(/aborted/);
    expect((await rejection(first)).code).toBe('LUA_TIMEOUT');
    const settled = await Promise.race([
      after.then((r) => (r as { body: string }).body),
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000).unref()),
    ]);
    expect(settled).toBe('next');
  }, 20_000);

  it('an aborted running call is not waited for, and the runner serves the next call', async () => {
    const controller = new AbortController();
    const running = lua.build('function build(ctx)\n  while true do end\nend', ctx('k'), {
      deadlineMs: 500,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    const e = await rejection(running);
    expect(e.message).toMatch(/aborted/);
    expect(await body(lua.build('function build(ctx) return "next" end', ctx('k')))).toBe('next');
  });

  it('a signal aborted before the call rejects at once', async () => {
    const e = await rejection(
      lua.build('function build(ctx) return "x" end', ctx('k'), { signal: AbortSignal.abort() }),
    );
    expect(e.message).toMatch(/aborted/);
  });
});
