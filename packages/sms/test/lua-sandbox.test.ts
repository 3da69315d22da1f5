// What a gateway script can and cannot reach. Every removed global fails with LUA_SANDBOX and
// the line of the offending statement; the safe libraries work.
import type { SmsError } from '@hotspot-kit/sms';
import { afterAll, describe, expect, it } from 'vitest';
import { createLuaHookRunner } from '../src/lua/index.js';
import { luaCtx, rejection } from './helpers/lua.js';

const lua = createLuaHookRunner();
afterAll(() => lua.close());

const ctx = luaCtx();

const failure = (script: string): Promise<SmsError> => rejection(lua.build(script, ctx));

const body = async (script: string) => {
  const built = await lua.build(script, ctx);
  return built.kind === 'payload' ? built.body : JSON.stringify(built);
};

const REMOVED: [string, string][] = [
  ['os.execute', 'os.execute("id")'],
  ['os.exit', 'os.exit(1)'],
  ['os.getenv', 'os.getenv("HOME")'],
  ['os.remove', 'os.remove("/tmp/x")'],
  ['io.open', 'io.open("/etc/passwd")'],
  ['io.popen', 'io.popen("id")'],
  ['require', 'require("os")'],
  ['load', 'load("return 1")()'],
  ['loadstring', 'loadstring("return 1")()'],
  ['dofile', 'dofile("/etc/passwd")'],
  ['loadfile', 'loadfile("/etc/passwd")'],
  ['debug.getinfo', 'debug.getinfo(1)'],
  ['debug.sethook', 'debug.sethook()'],
  ['debug.getregistry', 'debug.getregistry()'],
  ['string.dump', 'string.dump(build)'],
  ['(""):dump', '(""):dump()'],
  ['package.loadlib', 'package.loadlib("libc.so.6", "system")'],
  ['package.path', 'package.path = "/tmp/?.lua"'],
  ['collectgarbage', 'collectgarbage("count")'],
  ['print', 'print("secret")'],
];

describe('removed globals', () => {
  for (const [name, statement] of REMOVED) {
    it(`${name} fails with LUA_SANDBOX and the line number`, async () => {
      const e = await failure(`function build(ctx)\n  ${statement}\n  return "reached"\nend`);
      expect(e.code).toBe('LUA_SANDBOX');
      expect(e.luaLine).toBeGreaterThanOrEqual(2);
      expect(e.luaLine).toBeLessThanOrEqual(3);
      expect(e.message).toMatch(/line [23]/);
    });
  }

  it('are nil, and os keeps only time, date, clock and difftime', async () => {
    const names = [
      'io',
      'require',
      'load',
      'loadstring',
      'dofile',
      'loadfile',
      'debug',
      'package',
      'collectgarbage',
      'print',
    ];
    const checks = names.map((n) => `type(${n})`).join(', ');
    expect(await body(`function build(ctx) return table.concat({ ${checks} }, ",") end`)).toBe(
      names.map(() => 'nil').join(','),
    );
    expect(
      await body(`function build(ctx)
        local keys = {}
        for k in pairs(os) do keys[#keys + 1] = k end
        table.sort(keys)
        return table.concat(keys, ",") .. " " .. type(string.dump)
      end`),
    ).toBe('clock,date,difftime,time nil');
  });

  it('the real string library is out of reach (its metatable is protected)', async () => {
    expect(await body('function build(ctx) return tostring(getmetatable("")) end')).toBe('false');
  });

  it('precompiled bytecode is refused', async () => {
    await expect(lua.inspect('\x1bLua\x54\x00')).rejects.toMatchObject({ code: 'LUA_ERROR' });
  });
});

describe('what scripts can use', () => {
  it('string, table, math, utf8, coroutine, os.time/date/clock/difftime, pcall/xpcall', async () => {
    const out = await body(`function build(ctx)
      local parts = {}
      parts[#parts + 1] = string.format("%05.1f|%s", 3.14159, ("abc"):upper())
      parts[#parts + 1] = table.concat({ 3, 1, 2 }, "")
      parts[#parts + 1] = tostring(math.max(1, 7, 3)) .. math.type(1)
      parts[#parts + 1] = tostring(utf8.len("Привет"))
      parts[#parts + 1] = os.date("!%Y-%m-%dT%H:%M:%SZ", ctx.now)
      parts[#parts + 1] = tostring(os.time({ year = 2024, month = 1, day = 1, hour = 0 }) > 0)
      parts[#parts + 1] = tostring(os.difftime(10, 4)) .. tostring(os.clock() >= 0)
      local co = coroutine.wrap(function(a) coroutine.yield(a * 2) end)
      parts[#parts + 1] = tostring(co(21))
      local ok, err = pcall(error, "boom", 0)
      parts[#parts + 1] = tostring(ok) .. err
      local ok2, handled = xpcall(function() error("x", 0) end, function(m) return "handled " .. m end)
      parts[#parts + 1] = tostring(ok2) .. " " .. handled
      return table.concat(parts, ";")
    end`);
    expect(out).toBe('003.1|ABC;312;7integer;6;2023-11-14T22:13:20Z;true;6.0true;42;falseboom;false handled x');
  });

  it('a metatable with __gc is refused (finalizers would run without a deadline)', async () => {
    const e = await failure('function build(ctx)\n  setmetatable({}, { __gc = function() end })\nend');
    expect(e.code).toBe('LUA_SANDBOX');
    expect(e.luaLine).toBe(2);
    expect(await body('function build(ctx) return tostring(setmetatable({}, { __index = { a = "ok" } }).a) end')).toBe(
      'ok',
    );
  });

  it('one script cannot change the libraries another script sees', async () => {
    await body(`function build(ctx)
      string.upper = function() return "pwned" end
      json.encode = function() return "pwned" end
      table.concat = nil
      return "x"
    end`);
    expect(
      await body(
        'function build(ctx) return string.upper("a") .. ("b"):upper() .. json.encode({ 1 }) .. table.concat({ "c" }) end',
      ),
    ).toBe('AB[1]c');
  });
});

describe('other ways to outlast the deadline or the memory cap', () => {
  const CASES: [string, string, string][] = [
    [
      'a looping __close handler',
      'local x <close> = setmetatable({}, { __close = function() while true do end end })\nwhile true do end',
      'LUA_TIMEOUT',
    ],
    [
      'a looping __tostring',
      'return tostring(setmetatable({}, { __tostring = function() while true do end end }))',
      'LUA_TIMEOUT',
    ],
    [
      'loops in coroutines made before the deadline',
      'for i = 1, 20 do coroutine.wrap(function() while true do coroutine.yield() end end)() end\nwhile true do end',
      'LUA_TIMEOUT',
    ],
    ['quadratic string building', 'local s = "" for i = 1, 1e7 do s = s .. "x" end return s', 'LUA_TIMEOUT'],
    ['json.decode of a huge array', 'return json.encode(json.decode("[" .. ("0,"):rep(5e6) .. "0]"))', 'LUA_MEMORY'],
    [
      'table.concat of a gigabyte',
      'local mb, t = ("x"):rep(1e6), {}\nfor i = 1, 1000 do t[i] = mb end\nreturn table.concat(t)',
      'LUA_MEMORY',
    ],
  ];
  for (const [name, statements, code] of CASES) {
    it(`${name} fails with ${code}`, async () => {
      const e = await failure(`function build(ctx)\n${statements}\nend`);
      expect(e.code).toBe(code);
      expect(await body('function build(ctx) return "still alive" end')).toBe('still alive');
    });
  }
});

describe('helpers refuse an input whose result cannot fit in the memory left, before working on it', () => {
  // 10 MB of JSON that is invalid at its very end: a helper that parsed first would answer a
  // syntax error (LUA_ERROR); refused up front, it is LUA_MEMORY whatever the machine's load.
  const HUGE = '("0,"):rep(5e6) .. "x"';
  const CASES: [string, string][] = [
    ['json.decode', `json.decode("[" .. ${HUGE})`],
    ['json.encode', 'local mb, t = ("x"):rep(1e6), {}\nfor i = 1, 100 do t[i] = mb end\nreturn json.encode(t)'],
    ['url.encode', 'return url.encode(("\\0"):rep(12e6))'],
    ['base64.encode', 'local s = ("x"):rep(15e6)\nreturn base64.encode(s) .. base64.encode(s)'],
  ];
  for (const [helper, statements] of CASES) {
    it(helper, async () => {
      const e = await failure(`function build(ctx)\n${statements}\nend`);
      expect(e.code).toBe('LUA_MEMORY');
      expect(e.message).toMatch(/needs about .* left of the Lua memory limit|larger than the Lua memory limit allows/);
      expect(await body('function build(ctx) return "still alive" end')).toBe('still alive');
    });
  }

  it('an input that fits is decoded and encoded', async () => {
    expect(
      await body('function build(ctx) return json.encode(json.decode("[" .. ("0,"):rep(1e4) .. "1]")) end'),
    ).toMatch(/^\[0,0,.*,1\]$/);
  });
});
