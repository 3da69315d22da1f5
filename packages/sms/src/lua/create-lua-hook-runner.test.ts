import { createHash, createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { rejection } from '../../test/helpers/lua.js';
import { createLuaHookRunner } from './index.js';
import type { LuaBuildContext } from './lua-hook-runner.js';

const lua = createLuaHookRunner();
afterAll(() => lua.close());

const ctx = (over: Partial<LuaBuildContext> = {}): LuaBuildContext => ({
  to: '+14155550100',
  to_digits: '14155550100',
  message: 'Your code is 123456',
  location: 'Cafe',
  from: 'HotspotKit',
  id: 'msg-1',
  now: 1_700_000_000,
  gateway: {
    id: 'gw',
    url: 'https://sms.example.com/send',
    method: 'POST',
    contentType: 'json',
    secrets: { apiKey: 'k-123456' },
  },
  ...over,
});
const res = (body: string, status = 200, headers: Record<string, string> = {}) => ({ status, headers, body });

/** Runs `expr` inside build() and returns what it evaluated to, as a string. */
const evalLua = async (body: string, c = ctx()) => {
  const built = await lua.build(`function build(ctx)\n${body}\nend`, c);
  if (built.kind !== 'payload') throw new Error('expected a payload');
  return built.body;
};

describe('hooks', () => {
  it('inspect reports which hooks a script defines', async () => {
    expect(await lua.inspect('function build(ctx) return "" end\nfunction balance(res) return 1 end')).toEqual({
      build: true,
      parse: false,
      balance: true,
    });
  });

  it('build returns a payload string', async () => {
    const built = await lua.build('function build(ctx) return "to=" .. url.encode(ctx.to) end', ctx());
    expect(built).toEqual({ kind: 'payload', body: 'to=%2B14155550100' });
  });

  it('build returns a request table (method upper-cased, header numbers as text)', async () => {
    const script = `function build(ctx)
      return { url = ctx.gateway.url .. "?id=" .. ctx.id, method = "put",
               headers = { ["X-Key"] = ctx.gateway.secrets.apiKey, ["X-Count"] = 2 }, body = json.encode({ to = ctx.to }) }
    end`;
    expect(await lua.build(script, ctx())).toEqual({
      kind: 'request',
      url: 'https://sms.example.com/send?id=msg-1',
      method: 'PUT',
      headers: { 'X-Key': 'k-123456', 'X-Count': '2' },
      body: '{"to":"+14155550100"}',
    });
  });

  it('ctx carries every field of the contract; now is an integer; gateway.secrets is always a table', async () => {
    const script = `function build(ctx)
      return table.concat({ ctx.to, ctx.to_digits, ctx.message, ctx.location, ctx.from, ctx.id,
        tostring(ctx.now), math.type(ctx.now), ctx.gateway.url, type(ctx.gateway.secrets) }, "|")
    end`;
    const c = ctx();
    const noSecrets = { ...c, gateway: { id: 'gw', url: 'https://x.test/' } } as unknown as LuaBuildContext;
    expect((await lua.build(script, c)) as { body: string }).toMatchObject({
      body: '+14155550100|14155550100|Your code is 123456|Cafe|HotspotKit|msg-1|1700000000|integer|https://sms.example.com/send|table',
    });
    expect(((await lua.build(script, noSecrets)) as { body: string }).body.endsWith('|https://x.test/|table')).toBe(
      true,
    );
  });

  it('parse reads { status, headers, body } and returns { ok, id?, error? }', async () => {
    const script = `function parse(res)
      local d = json.decode(res.body)
      if res.status ~= 200 or d.status ~= "queued" then return { ok = false, error = d.message or ("HTTP " .. res.status) } end
      return { ok = true, id = d.id, extra = res.headers["x-request-id"] }
    end`;
    expect(await lua.parse(script, res('{"status":"queued","id":42}', 200, { 'x-request-id': 'r1' }))).toEqual({
      ok: true,
      id: '42',
    });
    expect(await lua.parse(script, res('{"status":"failed","message":"bad number"}'))).toEqual({
      ok: false,
      error: 'bad number',
    });
    expect(await lua.parse(script, res('{"status":"failed","message":null}', 400))).toEqual({
      ok: false,
      error: 'HTTP 400',
    });
    expect(await lua.parse('function parse(res) return res.status == 200 end', res(''))).toEqual({ ok: true });
  });

  it('balance returns a number (a numeric string is read as one)', async () => {
    expect(
      await lua.balance('function balance(res) return json.decode(res.body).credit end', res('{"credit":12.5}')),
    ).toBe(12.5);
    expect(
      await lua.balance('function balance(res) return res.body:match("[%d.]+") end', res('Balance: 7.25 EUR')),
    ).toBe(7.25);
  });

  it('a hook the script does not define: parse and balance give null, build is an error', async () => {
    const script = 'function build(ctx) return "x" end';
    expect(await lua.parse(script, res(''))).toBeNull();
    expect(await lua.balance(script, res(''))).toBeNull();
    const e = await rejection(lua.build('function parse(res) return true end', ctx()));
    expect(e.code).toBe('LUA_ERROR');
    expect(e.message).toMatch(/no build\(ctx\)/);
  });

  it('rejects results of the wrong shape with a message saying what is expected', async () => {
    const cases: [string, RegExp][] = [
      ['return nil', /returned nothing/],
      ['return { bodyy = "x" }', /unknown field 'bodyy'/],
      ['return { url = "file:///etc/passwd", body = "" }', /only http and https/],
      ['return { headers = { ["X-A"] = "a\\r\\nX-B: b" }, body = "" }', /line break/],
      ['return { body = { a = 1 } }', /json\.encode/],
      ['return function() end', /cannot be used/],
    ];
    for (const [body, message] of cases) {
      const e = await rejection(lua.build(`function build(ctx) ${body} end`, ctx()));
      expect(e.code, body).toBe('LUA_ERROR');
      expect(e.message, body).toMatch(message);
    }
    expect((await rejection(lua.parse('function parse(res) return { id = 1 } end', res('')))).message).toMatch(
      /ok = true\|false/,
    );
    expect((await rejection(lua.balance('function balance(res) return "n/a" end', res('')))).message).toMatch(/number/);
  });

  it('no global survives from one call to the next: every call starts from a fresh environment', async () => {
    const script =
      'loads = (loads or 0) + 1\ncalls = calls or 0\nfunction build(ctx) calls = calls + 1 kept = kept or ctx.id return loads .. ":" .. calls .. ":" .. kept end';
    expect(await lua.build(script, ctx({ id: 'a' }))).toEqual({ kind: 'payload', body: '1:1:a' });
    expect(await lua.build(script, ctx({ id: 'b' }))).toEqual({ kind: 'payload', body: '1:1:b' });
    expect(await lua.build(script, ctx({ id: 'c' }), { scope: 'gw-1' })).toEqual({ kind: 'payload', body: '1:1:c' });
  });

  it('runs calls issued together one after another, each with its own ctx', async () => {
    const script = 'function build(ctx) return ctx.id end';
    const ids = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const bodies = await Promise.all(ids.map((id) => lua.build(script, ctx({ id }))));
    expect(bodies.map((b) => (b as { body: string }).body)).toEqual(ids);
  });
});

describe('values cross by copy', () => {
  it('Lua gets plain tables: no metatable, no JS prototype, and changes stay in Lua', async () => {
    const c = ctx();
    const body = await evalLua(
      `ctx.gateway.secrets.apiKey = "changed"; ctx.to = "x"
       return tostring(getmetatable(ctx)) .. " " .. tostring(ctx.constructor) .. " " .. tostring(ctx.__proto__) .. " " .. type(ctx.gateway)`,
      c,
    );
    expect(body).toBe('nil nil nil table');
    expect(c.gateway.secrets.apiKey).toBe('k-123456');
    expect(c.to).toBe('+14155550100');
  });

  it('non-ASCII works in scripts and in values (UTF-8 bytes pass through)', async () => {
    const script = `function build(ctx)
      local greeting = "Привет, мир 👋"
      return json.encode({ text = greeting .. " " .. ctx.message, bytes = #"👋", chars = utf8.len(ctx.message) })
    end`;
    const built = await lua.build(script, ctx({ message: 'Код: 42 🎉' }));
    expect(JSON.parse((built as { body: string }).body)).toEqual({
      text: 'Привет, мир 👋 Код: 42 🎉',
      bytes: 4,
      chars: 9,
    });
  });

  // lua-in-js turned Lua string literals into JS template literals, so this ran host JavaScript.
  const JS_INTERPOLATION = ['$', '{process.version} `$', '{1+1}` $', '{globalThis}'].join('');
  it('$' + '{...} in a Lua string is literal text, never JavaScript', async () => {
    expect(await evalLua(`return "${JS_INTERPOLATION}"`)).toBe(JS_INTERPOLATION);
    const longString = ['$', "{require('fs')}"].join('');
    expect(await evalLua(`return [[${longString}]]`)).toBe(longString);
  });
});

describe('helpers', () => {
  it('json.encode: sorted keys, arrays, nesting, escapes, json.null', async () => {
    expect(
      await evalLua(
        'return json.encode({ b = 1, a = { 1, 2, "x" }, c = { d = true }, e = json.null, s = "q\\"\\n✓" })',
      ),
    ).toBe('{"a":[1,2,"x"],"b":1,"c":{"d":true},"e":null,"s":"q\\"\\n✓"}');
    expect(await evalLua('return json.encode({}) .. json.encode("x") .. json.encode(1.5) .. json.encode(nil)')).toBe(
      '{}"x"1.5null',
    );
    const e = await rejection(evalLua('local t = {} t.self = t\nreturn json.encode(t)'));
    expect(e.message).toMatch(/json\.encode: .*circular/);
    expect(e.luaLine).toBe(3);
  });

  it('json.decode: null is nil in objects and json.null in arrays (so # is right)', async () => {
    expect(
      await evalLua(`local d = json.decode('{"a":null,"b":[1,null,3],"n":12,"f":1.5,"s":"ü"}')
        return tostring(d.a) .. " " .. #d.b .. " " .. tostring(d.b[2] == json.null) .. " " .. math.type(d.n) .. " " .. d.f .. " " .. d.s`),
    ).toBe('nil 3 true integer 1.5 ü');
    const e = await rejection(evalLua('\nreturn json.decode("{oops")'));
    expect(e.code).toBe('LUA_ERROR');
    expect(e.message).toMatch(/json\.decode/);
    expect(e.luaLine).toBe(3);
  });

  it('url.encode percent-encodes UTF-8 bytes (RFC 3986 unreserved kept); url.decode reverses it', async () => {
    expect(await evalLua('return url.encode("a b&c=d/é~_.-+")')).toBe('a%20b%26c%3Dd%2F%C3%A9~_.-%2B');
    expect(await evalLua('return url.decode("a%20b+c%C3%A9")')).toBe('a b cé');
  });

  it('base64 round-trips text and binary', async () => {
    expect(await evalLua('return base64.encode("user:pässword")')).toBe(
      Buffer.from('user:pässword').toString('base64'),
    );
    expect(
      await evalLua(
        'local raw = base64.decode("AP8Q") return #raw .. ":" .. raw:byte(1) .. "," .. raw:byte(2) .. "," .. raw:byte(3)',
      ),
    ).toBe('3:0,255,16');
  });

  it('crypto digests match node:crypto (RFC 4231 HMAC vector, sha256, md5)', async () => {
    const out = await evalLua(
      'return crypto.hmac_sha256_hex("Jefe", "what do ya want for nothing?") .. " " .. crypto.sha256_hex("abc") .. " " .. crypto.md5_hex("Привет") .. " " .. base64.encode(crypto.hmac_sha256("k", "m"))',
    );
    expect(out.split(' ')).toEqual([
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      createHash('sha256').update('abc').digest('hex'),
      createHash('md5').update('Привет').digest('hex'),
      createHmac('sha256', 'k').update('m').digest('base64'),
    ]);
  });
});

describe('errors', () => {
  it('a syntax error is LUA_ERROR with the line number', async () => {
    const e = await rejection(lua.inspect('function build(ctx)\n  local x = \nend'));
    expect(e.code).toBe('LUA_ERROR');
    expect(e.luaLine).toBe(3);
    expect(e.message).toMatch(/line 3/);
  });

  it('a runtime error carries the line of the failing statement', async () => {
    const e = await rejection(lua.build('function build(ctx)\n  local t = nil\n  return t.x\nend', ctx()));
    expect(e).toMatchObject({ code: 'LUA_ERROR', luaLine: 3 });
    expect(e.message).toMatch(/^Lua build\(\) failed at line 3: attempt to index a nil value/);
    const custom = await rejection(lua.build('function build(ctx)\n\n  error({ code = 1 })\nend', ctx()));
    expect(custom.luaLine).toBe(3);
    expect(custom.message).toMatch(/error object is a table/);
  });

  it('never puts a gateway secret in an error message', async () => {
    const e = await rejection(
      lua.build('function build(ctx) error("key is " .. ctx.gateway.secrets.apiKey) end', ctx()),
    );
    expect(e.message).not.toContain('k-123456');
    expect(e.message).toContain('key is ****');
  });

  it('honours a per-call deadline', async () => {
    const e = await rejection(lua.build('function build(ctx)\n while true do end\nend', ctx(), { deadlineMs: 40 }));
    expect(e.code).toBe('LUA_TIMEOUT');
    expect(e.message).toMatch(/40 ms deadline at line 2/);
  });

  it('after close() every call is refused', async () => {
    const runner = createLuaHookRunner();
    expect(await runner.inspect('x = 1')).toEqual({ build: false, parse: false, balance: false });
    await runner.close();
    const e = await rejection(runner.inspect('x = 1'));
    expect(e.message).toMatch(/closed/);
  });
});

describe('bad arguments', () => {
  it('a ctx that cannot be copied fails that call only', async () => {
    const bad = { ...ctx(), gateway: { secrets: {}, hook: () => 1 } } as unknown as LuaBuildContext;
    const e = await rejection(lua.build('function build(ctx) return "x" end', bad));
    expect(e.code).toBe('LUA_ERROR');
    expect(await lua.build('function build(ctx) return "x" end', ctx())).toEqual({ kind: 'payload', body: 'x' });
  });

  it('an empty script or a missing ctx is a LUA_ERROR', async () => {
    expect((await rejection(lua.inspect('  '))).message).toMatch(/empty/);
    expect(
      (await rejection(lua.build('function build(ctx) return "" end', null as unknown as LuaBuildContext))).message,
    ).toMatch(/ctx/);
  });
});
