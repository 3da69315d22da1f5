// Hostile gateway scripts, sent through the router: each fails that gateway's attempt fast, the
// router fails over to the next gateway (itself a Lua gateway, so its success also shows the Lua
// runtime is healthy right after the attack), and the host's event loop never stalls (its
// delay while the attacks run is measured in bench/lua.bench.ts).
import { createSmsRouter } from '@hotspot-kit/sms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLuaHookRunner } from '../src/lua/index.js';
import { luaCtx } from './helpers/lua.js';
import { json, type StubServer, startStub } from './helpers/stub-server.js';

interface Attack {
  name: string;
  script: string;
  /** Codes the attempt's error may carry (some attacks hit the deadline or the memory cap first, by machine speed). */
  codes: string[];
  /** Line the error must name, when Lua can know it. */
  line?: number;
}

const ATTACKS: Attack[] = [
  {
    name: 'while true do end',
    script: 'function build(ctx)\n  while true do end\nend',
    codes: ['LUA_TIMEOUT'],
    line: 2,
  },
  {
    name: 'an infinite loop inside pcall inside a loop',
    script: 'function build(ctx)\n  while true do\n    pcall(function() while true do end end)\n  end\nend',
    codes: ['LUA_TIMEOUT'],
  },
  {
    name: 'xpcall with a looping handler',
    script:
      'function build(ctx)\n  while true do\n    xpcall(function() while true do end end, function() while true do end end)\n  end\nend',
    codes: ['LUA_TIMEOUT'],
  },
  {
    name: 'a __gc finalizer that loops',
    script:
      'function build(ctx)\n  for i = 1, 1e6 do\n    setmetatable({}, { __gc = function() while true do end end })\n  end\n  return "x"\nend',
    codes: ['LUA_SANDBOX'],
    line: 3,
  },
  {
    name: 'catastrophic pattern backtracking (one C call: the host terminates the worker)',
    script:
      'function build(ctx)\n  return tostring(string.find(string.rep("a", 40), string.rep("a*", 40) .. "b"))\nend',
    codes: ['LUA_TIMEOUT'],
  },
  {
    name: 'string.rep of a gigabyte',
    script: 'function build(ctx)\n  return string.rep("x", 1024 * 1024 * 1024)\nend',
    codes: ['LUA_MEMORY'],
  },
  {
    name: 'a table growing forever',
    script: 'function build(ctx)\n  local t = {}\n  while true do t[#t + 1] = { #t } end\nend',
    codes: ['LUA_MEMORY', 'LUA_TIMEOUT'],
  },
  {
    name: 'unbounded recursion',
    script: 'local function down(n) return 1 + down(n + 1) end\nfunction build(ctx)\n  return down(1)\nend',
    codes: ['LUA_ERROR', 'LUA_MEMORY', 'LUA_TIMEOUT'],
  },
  {
    name: 'os.execute',
    script: 'function build(ctx)\n  os.execute("touch /tmp/pwned")\nend',
    codes: ['LUA_SANDBOX'],
    line: 2,
  },
  {
    name: 'io.open',
    script: 'function build(ctx)\n  return io.open("/etc/passwd"):read("a")\nend',
    codes: ['LUA_SANDBOX'],
    line: 2,
  },
  {
    name: 'require',
    script: 'function build(ctx)\n  return require("os").getenv("HOME")\nend',
    codes: ['LUA_SANDBOX'],
    line: 2,
  },
  { name: 'load', script: 'function build(ctx)\n  return load("return 1")()\nend', codes: ['LUA_SANDBOX'], line: 2 },
  {
    name: 'dofile',
    script: 'function build(ctx)\n  return dofile("/etc/passwd")\nend',
    codes: ['LUA_SANDBOX'],
    line: 2,
  },
  { name: 'debug.*', script: 'function build(ctx)\n  debug.sethook()\nend', codes: ['LUA_SANDBOX'], line: 2 },
  {
    name: 'string.dump',
    script: 'function build(ctx)\n  return string.dump(build)\nend',
    codes: ['LUA_SANDBOX'],
    line: 2,
  },
  {
    name: 'package.*',
    script: 'function build(ctx)\n  return package.loadlib("libc.so.6", "system")\nend',
    codes: ['LUA_SANDBOX'],
    line: 2,
  },
];

const ctx = luaCtx();

const GOOD = 'function build(ctx)\n  return json.encode({ to = ctx.to, text = ctx.message })\nend';

let stub: StubServer;
const runner = createLuaHookRunner();

beforeAll(async () => {
  stub = await startStub((_req, res) => json(res, 200, { ok: true }));
  // A warm host: modules loaded, worker started, one message sent, as in a running server.
  const router = createSmsRouter({ gateways: [gateway('good', GOOD)], luaRunner: runner });
  await router.send({ to: '+14155550100', text: 'warm-up', purpose: 'test' });
  await router.close();
});
afterAll(async () => {
  await runner.close();
  await stub.close();
});

const gateway = (id: string, script: string) => ({
  id,
  type: 'custom',
  url: `${stub.origin}/${id}`,
  method: 'POST',
  contentType: 'json',
  useLuaScript: true,
  luaScript: script,
  timeoutMs: 5000,
});

describe('hostile scripts fail fast, fail over and leave the host healthy', () => {
  for (const attack of ATTACKS) {
    it(attack.name, async () => {
      const router = createSmsRouter({
        gateways: [gateway('evil', attack.script), gateway('good', GOOD)],
        luaRunner: runner,
        circuitBreaker: false,
      });
      try {
        const entry = await router.send({ to: '+14155550100', text: 'Привет 👋', purpose: 'test' });

        expect(entry.status).toBe('sent');
        expect(entry.gatewayId).toBe('good');
        const [evil, good] = entry.attempts;
        expect(evil).toMatchObject({ gatewayId: 'evil', outcome: 'error' });
        expect(good).toMatchObject({ gatewayId: 'good', outcome: 'sent' });
        expect(attack.codes.some((code) => evil!.error!.includes(code) || codeOf(evil!.error!) === code)).toBe(true);
        if (attack.line !== undefined) expect(evil!.error).toContain(`line ${attack.line}`);
        // The good gateway's request arrived intact: the runtime served it right after the attack.
        expect(JSON.parse(stub.requests.at(-1)!.text)).toEqual({ to: '+14155550100', text: 'Привет 👋' });
      } finally {
        await router.close();
      }
    });
  }
});

describe('the host event loop while a script runs', () => {
  it('never waits on a script: host timers keep firing while one spins until its deadline', async () => {
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 5);
    try {
      const spin = runner.build('function build(ctx)\n  while true do end\nend', ctx, { deadlineMs: 1000 });
      await expect(spin).rejects.toMatchObject({ code: 'LUA_TIMEOUT' });
    } finally {
      clearInterval(timer);
    }
    // A script run on the host's thread would leave no room for a single tick until it stopped.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });
});

/** The router keeps the SmsError message; map it back to the code it implies. */
function codeOf(message: string): string {
  if (/deadline/.test(message)) return 'LUA_TIMEOUT';
  if (/memory/.test(message)) return 'LUA_MEMORY';
  if (/sandbox/.test(message)) return 'LUA_SANDBOX';
  return 'LUA_ERROR';
}
