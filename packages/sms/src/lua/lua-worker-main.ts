// The body of the Lua worker thread. The host does not load this file in the worker: it sends
// `luaWorkerMain.toString()` as an `eval: true` worker (see lua-worker-source.ts), which runs the
// same way from TypeScript sources (vitest, tsx) and from the built dist (ESM and CJS). So this
// function must be self-contained: it may use its parameter and globals, never a module-level
// binding or an import (only `import type`, which is erased).
//
// It drives Lua 5.4 (wasmoon's WebAssembly build) through the raw C API rather than wasmoon's
// engine: values cross by copy as plain tables and strings, no JS object is ever reachable from
// Lua, and every guard (instruction hook, allocator cap, sandbox) is ours.

import type {
  LuaFailureKind,
  LuaHookSet,
  LuaWorkerData,
  LuaWorkerReply,
  LuaWorkerRequest,
} from './lua-worker-protocol.js';

/** The wasm exports and Emscripten helpers this worker uses (wasm32: pointers are numbers, i64 are bigints). */
interface LuaModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  addFunction(fn: (...args: number[]) => number | undefined, signature: string): number;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _realloc(ptr: number, size: number): number;
  _lua_newstate(alloc: number, ud: number): number;
  _luaL_openlibs(L: number): void;
  _lua_atpanic(L: number, fn: number): number;
  _lua_gettop(L: number): number;
  _lua_settop(L: number, idx: number): void;
  _lua_absindex(L: number, idx: number): number;
  _lua_pushvalue(L: number, idx: number): void;
  _lua_checkstack(L: number, n: number): number;
  _lua_type(L: number, idx: number): number;
  _lua_tonumberx(L: number, idx: number, isnum: number): number;
  _lua_tointegerx(L: number, idx: number, isnum: number): bigint;
  _lua_isinteger(L: number, idx: number): number;
  _lua_toboolean(L: number, idx: number): number;
  _lua_tolstring(L: number, idx: number, len: number): number;
  _lua_rawlen(L: number, idx: number): bigint;
  _lua_touserdata(L: number, idx: number): number;
  _lua_topointer(L: number, idx: number): number;
  _lua_pushnil(L: number): void;
  _lua_pushnumber(L: number, n: number): void;
  _lua_pushinteger(L: number, n: bigint): void;
  _lua_pushlstring(L: number, s: number, len: number): number;
  _lua_pushboolean(L: number, b: number): void;
  _lua_pushlightuserdata(L: number, p: number): void;
  _lua_pushcclosure(L: number, fn: number, n: number): void;
  _lua_createtable(L: number, narr: number, nrec: number): void;
  _lua_rawget(L: number, idx: number): number;
  _lua_rawgeti(L: number, idx: number, n: bigint): number;
  _lua_rawset(L: number, idx: number): void;
  _lua_rawseti(L: number, idx: number, n: bigint): void;
  _lua_setupvalue(L: number, funcidx: number, n: number): number;
  _lua_next(L: number, idx: number): number;
  _lua_pcallk(L: number, nargs: number, nresults: number, msgh: number, ctx: number, k: number): number;
  _lua_error(L: number): number;
  _lua_concat(L: number, n: number): void;
  _lua_sethook(L: number, fn: number, mask: number, count: number): void;
  _luaL_ref(L: number, t: number): number;
  _luaL_unref(L: number, t: number, ref: number): void;
  _luaL_loadbufferx(L: number, buff: number, size: number, name: number, mode: number): number;
  _luaL_traceback(L: number, L1: number, msg: number, level: number): void;
  _luaL_where(L: number, level: number): void;
  _luaL_checklstring(L: number, arg: number, len: number): number;
}

type NodeRequireLike = (id: string) => unknown;

/**
 * Runs in the worker: starts Lua, builds the sandbox, then answers `LuaWorkerRequest`s one at a
 * time. A panic or an unexpected JS exception ends the worker (the host replaces it).
 */
export function luaWorkerMain(nodeRequire: NodeRequireLike): void {
  const { parentPort, workerData } = nodeRequire('node:worker_threads') as typeof import('node:worker_threads');
  const nodeCrypto = nodeRequire('node:crypto') as typeof import('node:crypto');
  const data = workerData as LuaWorkerData;
  const port = parentPort!;

  const LUA_REGISTRYINDEX = -1001000;
  const LUA_OK = 0;
  const LUA_ERRMEM = 4;
  const LUA_MASKCOUNT = 8;
  const T_NIL = 0;
  const T_BOOLEAN = 1;
  const T_LIGHTUSERDATA = 2;
  const T_NUMBER = 3;
  const T_STRING = 4;
  const T_TABLE = 5;
  const T_FUNCTION = 6;
  const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];
  /** Instructions between two deadline checks; after the deadline, every instruction errors. */
  const HOOK_EVERY = 1000;
  /** Nesting and size bounds for values crossing between Lua and JS (CPU outside the hook). */
  const MAX_DEPTH = 64;
  const MAX_ELEMENTS = 200_000;
  /** Room the host side gets above the scripts' cap, so marshalling never hits a panic. */
  const HOST_HEADROOM = 16 * 1024 * 1024;
  const HOOK_NAMES = ['build', 'parse', 'balance'] as const;
  const SANDBOX_MESSAGE =
    /attempt to (?:call|index) a nil value \((?:global '(?:io|require|load|loadstring|loadfile|dofile|debug|package|collectgarbage|print|warn)'|field '(?:execute|exit|getenv|remove|rename|tmpname|setlocale|dump)'|method 'dump')\)|not allowed in the sandbox/;

  // The trusted prelude runs once with the full standard library and returns the factory of
  // per-script environments. Scripts never see the real globals: each gets its own table holding
  // copies of the safe libraries, so one script cannot tamper with another's.
  const PRELUDE = `
local helpers = ...
local pairs, ipairs, type, rawget, error, pcall = pairs, ipairs, type, rawget, error, pcall
local pack, unpack = table.pack, table.unpack
local raw_setmetatable = setmetatable

-- string methods ("x"):upper() resolve through the real string table, unreachable once the
-- string metatable is protected; dump goes from it too.
string.dump = nil
getmetatable('').__metatable = false

local function copy(t)
  local r = {}
  for k, v in pairs(t) do r[k] = v end
  return r
end

-- __gc finalizers run with hooks off (no deadline) and their errors are swallowed: refuse them.
local function sandbox_setmetatable(t, mt)
  if type(mt) == 'table' and rawget(mt, '__gc') ~= nil then
    error('__gc metamethods are not allowed in the sandbox', 2)
  end
  return raw_setmetatable(t, mt)
end

-- A real xpcall runs its handler inside the failing call, where an error raised by the
-- deadline hook leaves hooks off: a looping handler would never be stopped. This one calls the
-- handler after unwinding, with the deadline in force.
local function sandbox_xpcall(f, handler, ...)
  local r = pack(pcall(f, ...))
  if r[1] then return unpack(r, 1, r.n) end
  local ok, handled = pcall(handler, r[2])
  return false, handled
end

local base = {
  'assert', 'error', 'ipairs', 'next', 'pairs', 'pcall', 'rawequal', 'rawget', 'rawlen', 'rawset',
  'select', 'tonumber', 'tostring', 'type', 'getmetatable', '_VERSION',
}
local libs = {
  string = copy(string), table = copy(table), math = copy(math), utf8 = copy(utf8),
  coroutine = copy(coroutine),
  os = { time = os.time, date = os.date, clock = os.clock, difftime = os.difftime },
  json = helpers.json, url = helpers.url, base64 = helpers.base64, crypto = helpers.crypto,
}
local G = _G

return function()
  local env = {}
  for _, name in ipairs(base) do env[name] = G[name] end
  env.setmetatable = sandbox_setmetatable
  env.xpcall = sandbox_xpcall
  for name, lib in pairs(libs) do env[name] = copy(lib) end
  env._G = env
  return env
end, collectgarbage
`;

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let m: LuaModule;
  let L = 0;

  // Allocator state: `limit` is the scripts' cap while a script runs, higher while we marshal.
  const scriptLimit = data.memoryLimitBytes;
  const hostLimit = data.memoryLimitBytes + HOST_HEADROOM;
  let used = 0;
  let limit = hostLimit;
  let memHit = false;

  // Per-call state read by the hook and the message handler.
  let deadline = 0;
  let timedOut = false;
  let traceback = '';

  let lenPtr = 0;
  let scratchPtr = 0;
  let scratchSize = 0;
  let chunkNamePtr = 0;
  let textModePtr = 0;
  let hookPtr = 0;
  let msghPtr = 0;
  let makeEnvRef = 0;
  let collectRef = 0;

  interface CompiledScript {
    envRef: number;
    refs: { build: number; parse: number; balance: number };
    hooks: LuaHookSet;
  }
  const cache = new Map<string, CompiledScript>();

  /** A helper or a result refused for its size (reported as LUA_MEMORY). */
  class MemoryRefused extends Error {}

  class LuaFailure extends Error {
    constructor(
      readonly kind: LuaFailureKind,
      message: string,
      readonly line?: number,
    ) {
      super(message);
    }
  }

  const scratch = (size: number): number => {
    if (size > scratchSize) {
      if (scratchPtr) m._free(scratchPtr);
      scratchSize = Math.max(size, scratchSize * 2, 4096);
      scratchPtr = m._malloc(scratchSize);
      if (!scratchPtr) throw new Error('out of wasm memory');
    }
    return scratchPtr;
  };

  const cString = (text: string): number => {
    const bytes = encoder.encode(`${text}\0`);
    const ptr = m._malloc(bytes.length);
    m.HEAPU8.set(bytes, ptr);
    return ptr;
  };

  const pushBytes = (state: number, bytes: Uint8Array): void => {
    if (bytes.length === 0) {
      m._lua_pushlstring(state, 0, 0);
      return;
    }
    const ptr = scratch(bytes.length);
    m.HEAPU8.set(bytes, ptr);
    m._lua_pushlstring(state, ptr, bytes.length);
  };

  const pushString = (state: number, text: string): void => {
    if (text.length === 0) {
      m._lua_pushlstring(state, 0, 0);
      return;
    }
    const max = text.length > 4096 ? Buffer.byteLength(text, 'utf8') : text.length * 3;
    const ptr = scratch(max);
    const { written } = encoder.encodeInto(text, m.HEAPU8.subarray(ptr, ptr + max));
    m._lua_pushlstring(state, ptr, written);
  };

  /** The bytes of the string at `idx` (callers check the type: this must not convert a number in place). */
  const viewBytes = (state: number, idx: number): Uint8Array => {
    const ptr = m._lua_tolstring(state, idx, lenPtr);
    const len = m.HEAPU32[lenPtr >> 2]!;
    return m.HEAPU8.subarray(ptr, ptr + len);
  };
  const readString = (state: number, idx: number): string => decoder.decode(viewBytes(state, idx));

  const numberAt = (state: number, idx: number): number =>
    m._lua_isinteger(state, idx) ? Number(m._lua_tointegerx(state, idx, 0)) : m._lua_tonumberx(state, idx, 0);

  // ---- Lua -> JS, by copy, raw access only (no metamethod ever runs from here) ----

  interface ToJsBudget {
    /** Table entries left. */
    left: number;
    /** String bytes left: what the copy may take, however often a table repeats one string. */
    bytes: number;
  }

  /**
   * Refuses work whose result would not fit in what is left of the script's memory, before doing
   * it: a helper handed a huge input fails at once with LUA_MEMORY instead of parsing, copying and
   * building until the allocator or the deadline stops it.
   */
  const reserve = (state: number, bytes: number, what: string): void => {
    if (used + bytes <= limit) return;
    // Garbage (the temporaries that built the input) may be what stands in the way.
    m._lua_rawgeti(state, LUA_REGISTRYINDEX, BigInt(collectRef));
    pushString(state, 'collect');
    m._lua_pcallk(state, 1, 0, 0, 0, 0);
    if (used + bytes <= limit) return;
    throw new MemoryRefused(
      `${what} needs about ${formatBytes(bytes)}, more than the ${formatBytes(Math.max(0, limit - used))} left of the Lua memory limit`,
    );
  };
  const toJs = (state: number, index: number, depth: number, seen: Set<number>, budget: ToJsBudget): unknown => {
    const type = m._lua_type(state, index);
    switch (type) {
      case T_NIL:
        return undefined;
      case T_BOOLEAN:
        return m._lua_toboolean(state, index) !== 0;
      case T_NUMBER: {
        const n = numberAt(state, index);
        return n;
      }
      case T_STRING: {
        const bytes = viewBytes(state, index);
        budget.bytes -= bytes.length;
        if (budget.bytes < 0) throw new MemoryRefused('the value is larger than the Lua memory limit allows');
        return decoder.decode(bytes);
      }
      case T_LIGHTUSERDATA:
        if (m._lua_touserdata(state, index) === 0) return null; // json.null
        throw new Error('a userdata value cannot be converted');
      case T_TABLE:
        break;
      default:
        throw new Error(`a ${TYPE_NAMES[type] ?? 'unknown'} value cannot be converted`);
    }
    const idx = m._lua_absindex(state, index);
    const ptr = m._lua_topointer(state, idx);
    if (seen.has(ptr)) throw new Error('a table refers to itself (circular reference)');
    if (depth >= MAX_DEPTH) throw new Error(`tables are nested deeper than ${MAX_DEPTH} levels`);
    if (!m._lua_checkstack(state, 4)) throw new Error('Lua stack exhausted');
    seen.add(ptr);
    const length = Number(m._lua_rawlen(state, idx));
    const keys: (string | number)[] = [];
    const values: unknown[] = [];
    let sequence = true;
    m._lua_pushnil(state);
    while (m._lua_next(state, idx) !== 0) {
      if (--budget.left < 0) {
        m._lua_settop(state, -3);
        throw new Error(`more than ${MAX_ELEMENTS} table entries`);
      }
      const keyType = m._lua_type(state, -2);
      let key: string | number;
      if (keyType === T_STRING) {
        key = readString(state, -2);
        sequence = false;
      } else if (keyType === T_NUMBER) {
        key = numberAt(state, -2);
        if (!Number.isInteger(key) || key < 1 || key > length) sequence = false;
      } else {
        m._lua_settop(state, -3);
        throw new Error(`a table has a ${TYPE_NAMES[keyType] ?? 'unknown'} key; only string and number keys convert`);
      }
      let value: unknown;
      try {
        value = toJs(state, -1, depth + 1, seen, budget);
      } catch (e) {
        m._lua_settop(state, -3);
        throw e;
      }
      m._lua_settop(state, -2);
      if (value === undefined) continue;
      keys.push(key);
      values.push(value);
    }
    seen.delete(ptr);
    if (sequence && keys.length > 0 && keys.length === length) {
      const out = new Array<unknown>(length);
      for (let i = 0; i < keys.length; i++) out[(keys[i] as number) - 1] = values[i];
      return out;
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) out[String(keys[i])] = values[i];
    return out;
  };

  // ---- JS -> Lua, by copy ----

  /** `nullAs`: what a JSON null becomes (nil in objects, json.null in arrays, so `#` stays right). */
  const pushJs = (state: number, value: unknown, depth: number, inArray: boolean): void => {
    if (value === null || value === undefined) {
      if (inArray) m._lua_pushlightuserdata(state, 0);
      else m._lua_pushnil(state);
      return;
    }
    switch (typeof value) {
      case 'string':
        pushString(state, value);
        return;
      case 'boolean':
        m._lua_pushboolean(state, value ? 1 : 0);
        return;
      case 'number':
        if (Number.isSafeInteger(value)) m._lua_pushinteger(state, BigInt(value));
        else m._lua_pushnumber(state, value);
        return;
      case 'bigint':
        m._lua_pushinteger(state, BigInt.asIntN(64, value));
        return;
      case 'object':
        break;
      default:
        m._lua_pushnil(state);
        return;
    }
    if (depth >= MAX_DEPTH) throw new Error(`values are nested deeper than ${MAX_DEPTH} levels`);
    if (!m._lua_checkstack(state, 4)) throw new Error('Lua stack exhausted');
    if (Array.isArray(value)) {
      m._lua_createtable(state, value.length, 0);
      for (let i = 0; i < value.length; i++) {
        pushJs(state, value[i], depth + 1, true);
        m._lua_rawseti(state, -2, BigInt(i + 1));
      }
      return;
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
    m._lua_createtable(state, 0, entries.length);
    for (const [k, v] of entries) {
      pushString(state, k);
      pushJs(state, v, depth + 1, false);
      m._lua_rawset(state, -3);
    }
  };

  // ---- helpers handed to Lua (C functions written in JS) ----

  /** Wraps `impl` as a Lua C function; a JS exception becomes a Lua error naming the helper. */
  const cfunction = (name: string, impl: (state: number) => number): number =>
    m.addFunction((state: number) => {
      let failure: unknown;
      try {
        return impl(state);
      } catch (e) {
        // A number is Emscripten's longjmp (a Lua error in flight): let it through.
        if (typeof e === 'number') throw e;
        if (e instanceof MemoryRefused) memHit = true;
        failure = e;
      }
      m._lua_settop(state, 0);
      m._luaL_where(state, 1);
      pushString(state, `${name}: ${failure instanceof Error ? failure.message : String(failure)}`);
      m._lua_concat(state, 2);
      return m._lua_error(state);
    }, 'ii');

  /**
   * The bytes of string argument `arg`, in place. Check every argument first: converting a number
   * argument allocates, and growing the wasm memory detaches views taken before.
   */
  const argView = (state: number, arg: number): Uint8Array => {
    const ptr = m._luaL_checklstring(state, arg, lenPtr);
    const len = m.HEAPU32[lenPtr >> 2]!;
    return m.HEAPU8.subarray(ptr, ptr + len);
  };
  const checkStrings = (state: number, count: number): void => {
    for (let arg = 1; arg <= count; arg++) m._luaL_checklstring(state, arg, lenPtr);
  };

  /** A lower bound of what decoding `json` takes in Lua: a slot per value, a table per container. */
  const jsonFootprint = (json: Uint8Array): number => {
    let slots = 0;
    let tables = 0;
    let inString = false;
    for (let i = 0; i < json.length; i++) {
      const c = json[i]!;
      if (inString) {
        if (c === 0x5c) i++;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x2c) slots++;
      else if (c === 0x5b || c === 0x7b) tables++;
    }
    return json.length / 4 + slots * 16 + tables * 32;
  };

  /** What url.encode makes of `bytes`: scanned only when the bounds (1x, 3x) do not decide it. */
  const percentEncodedLength = (bytes: Uint8Array): number => {
    if (bytes.length * 3 <= limit - used || bytes.length > limit - used) return bytes.length * 3;
    let n = bytes.length;
    for (let i = 0; i < bytes.length; i++) if (!isUnreserved(bytes[i]!)) n += 2;
    return n;
  };

  const sortedJson = (value: unknown): string =>
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('NaN and infinity have no JSON form');
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    });

  const isUnreserved = (b: number): boolean =>
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x2d ||
    b === 0x2e ||
    b === 0x5f ||
    b === 0x7e;

  const percentEncode = (bytes: Uint8Array): string => {
    let out = '';
    for (const b of bytes)
      out += isUnreserved(b) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    return out;
  };

  const percentDecode = (text: string): Uint8Array => {
    const bytes = encoder.encode(text.replace(/\+/g, ' '));
    const out = new Uint8Array(bytes.length);
    let n = 0;
    const hex = (c: number) =>
      c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 0x25 && i + 2 < bytes.length) {
        const hi = hex(bytes[i + 1]!);
        const lo = hex(bytes[i + 2]!);
        if (hi >= 0 && lo >= 0) {
          out[n++] = hi * 16 + lo;
          i += 2;
          continue;
        }
      }
      out[n++] = b;
    }
    return out.subarray(0, n);
  };

  const HELPERS: Record<string, Record<string, (state: number) => number>> = {
    json: {
      encode(state) {
        m._lua_settop(state, 1);
        const value = toJs(state, 1, 0, new Set(), { left: MAX_ELEMENTS, bytes: Math.max(0, limit - used) });
        if (value === undefined) {
          pushString(state, 'null');
          return 1;
        }
        pushString(state, sortedJson(value));
        return 1;
      },
      decode(state) {
        const json = argView(state, 1);
        reserve(state, jsonFootprint(json), 'json.decode of this input');
        const value: unknown = JSON.parse(decoder.decode(argView(state, 1)));
        m._lua_settop(state, 0);
        pushJs(state, value, 0, false);
        return 1;
      },
    },
    url: {
      encode(state) {
        reserve(state, percentEncodedLength(argView(state, 1)), 'url.encode of this input');
        pushString(state, percentEncode(argView(state, 1)));
        return 1;
      },
      decode(state) {
        reserve(state, argView(state, 1).length, 'url.decode of this input');
        pushBytes(state, percentDecode(decoder.decode(argView(state, 1))));
        return 1;
      },
    },
    base64: {
      encode(state) {
        reserve(state, Math.ceil(argView(state, 1).length / 3) * 4, 'base64.encode of this input');
        const input = argView(state, 1);
        pushString(state, Buffer.from(input.buffer, input.byteOffset, input.length).toString('base64'));
        return 1;
      },
      decode(state) {
        reserve(state, Math.floor((argView(state, 1).length * 3) / 4), 'base64.decode of this input');
        pushBytes(state, Buffer.from(decoder.decode(argView(state, 1)), 'base64'));
        return 1;
      },
    },
    crypto: {
      // Fixed-size results: the input is hashed in place, never copied.
      hmac_sha256_hex(state) {
        checkStrings(state, 2);
        pushString(state, nodeCrypto.createHmac('sha256', argView(state, 1)).update(argView(state, 2)).digest('hex'));
        return 1;
      },
      hmac_sha256(state) {
        checkStrings(state, 2);
        pushBytes(state, nodeCrypto.createHmac('sha256', argView(state, 1)).update(argView(state, 2)).digest());
        return 1;
      },
      sha256_hex(state) {
        pushString(state, nodeCrypto.createHash('sha256').update(argView(state, 1)).digest('hex'));
        return 1;
      },
      md5_hex(state) {
        pushString(state, nodeCrypto.createHash('md5').update(argView(state, 1)).digest('hex'));
        return 1;
      },
    },
  };

  // ---- calls ----

  const errorText = (state: number, idx: number): string => {
    const type = m._lua_type(state, idx);
    // lua_tolstring turns a number into its Lua text in place: harmless on a finished call's error.
    if (type === T_STRING || type === T_NUMBER) return readString(state, idx);
    return `(error object is a ${TYPE_NAMES[type] ?? 'unknown'} value)`;
  };

  /** Classifies the error on top of the stack after a failed protected call. */
  const failureFromStack = (status: number): LuaFailure => {
    let message = errorText(L, -1);
    let line: number | undefined;
    // "script:3: script:7: boom" (an error re-raised by coroutine.wrap): keep the innermost line.
    for (let prefix = /^script:(\d+): ?/.exec(message); prefix; prefix = /^script:(\d+): ?/.exec(message)) {
      line = Number(prefix[1]);
      message = message.slice(prefix[0].length);
    }
    if (line === undefined) {
      const frame = /script:(\d+):/.exec(traceback);
      if (frame) line = Number(frame[1]);
    }
    const kind: LuaFailureKind = timedOut
      ? 'timeout'
      : status === LUA_ERRMEM || memHit
        ? 'memory'
        : SANDBOX_MESSAGE.test(message)
          ? 'sandbox'
          : 'error';
    return new LuaFailure(kind, message, line);
  };

  /** Calls the function below `nargs` arguments on the stack (message handler at index 1) under the deadline. */
  const runScript = (nargs: number, nresults: number, deadlineMs: number): number => {
    deadline = performance.now() + deadlineMs;
    timedOut = false;
    memHit = false;
    traceback = '';
    limit = scriptLimit;
    m._lua_sethook(L, hookPtr, LUA_MASKCOUNT, HOOK_EVERY);
    try {
      return m._lua_pcallk(L, nargs, nresults, 1, 0, 0);
    } finally {
      m._lua_sethook(L, 0, 0, 0);
      limit = hostLimit;
    }
  };

  const collectGarbage = (): void => {
    m._lua_settop(L, 0);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(collectRef));
    pushString(L, 'collect');
    m._lua_pcallk(L, 1, 0, 0, 0, 0);
    m._lua_settop(L, 0);
  };

  const forget = (source: string): void => {
    const compiled = cache.get(source);
    if (!compiled) return;
    cache.delete(source);
    m._luaL_unref(L, LUA_REGISTRYINDEX, compiled.envRef);
    for (const name of HOOK_NAMES) {
      if (compiled.refs[name]) m._luaL_unref(L, LUA_REGISTRYINDEX, compiled.refs[name]);
    }
  };

  const compile = (source: string, deadlineMs: number, id: number): CompiledScript => {
    const cached = cache.get(source);
    if (cached) {
      cache.delete(source);
      cache.set(source, cached);
      return cached;
    }
    timedOut = false;
    memHit = false;
    traceback = '';
    m._lua_settop(L, 0);
    m._lua_pushcclosure(L, msghPtr, 0);
    const bytes = encoder.encode(source);
    const ptr = scratch(bytes.length || 1);
    m.HEAPU8.set(bytes, ptr);
    // Mode "t": text only. Precompiled bytecode is not verified by Lua and could break the VM.
    const loaded = m._luaL_loadbufferx(L, ptr, bytes.length, chunkNamePtr, textModePtr);
    if (loaded !== LUA_OK) throw failureFromStack(loaded);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(makeEnvRef));
    if (m._lua_pcallk(L, 0, 1, 0, 0, 0) !== LUA_OK) throw new LuaFailure('memory', 'not enough memory');
    m._lua_pushvalue(L, -1);
    m._lua_setupvalue(L, 2, 1); // the chunk's only upvalue is _ENV
    const envRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    const status = runScript(0, 0, deadlineMs);
    if (status !== LUA_OK) {
      const failure = failureFromStack(status);
      m._luaL_unref(L, LUA_REGISTRYINDEX, envRef);
      throw failure;
    }
    const refs = { build: 0, parse: 0, balance: 0 };
    m._lua_settop(L, 0);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(envRef));
    for (const name of HOOK_NAMES) {
      pushString(L, name);
      if (m._lua_rawget(L, 1) === T_FUNCTION) refs[name] = m._luaL_ref(L, LUA_REGISTRYINDEX);
      else m._lua_settop(L, 1);
    }
    m._lua_settop(L, 0);
    const compiled: CompiledScript = {
      envRef,
      refs,
      hooks: { build: refs.build !== 0, parse: refs.parse !== 0, balance: refs.balance !== 0 },
    };
    cache.set(source, compiled);
    while (cache.size > data.maxCachedScripts) forget(cache.keys().next().value as string);
    port.postMessage({ type: 'compiled', id } satisfies LuaWorkerReply);
    return compiled;
  };

  const handle = (request: LuaWorkerRequest): LuaWorkerReply => {
    const phase = request.op === 'inspect' ? 'load' : request.op;
    let compiled: CompiledScript;
    try {
      compiled = compile(request.source, request.deadlineMs, request.id);
    } catch (e) {
      if (!(e instanceof LuaFailure)) throw e;
      m._lua_settop(L, 0);
      if (e.kind === 'memory' || e.kind === 'timeout') collectGarbage();
      return failureReply(request.id, e, 'load');
    }
    if (request.op === 'inspect') return { type: 'result', id: request.id, hooks: compiled.hooks, missing: false };
    const ref = compiled.refs[request.op];
    if (!ref) return { type: 'result', id: request.id, hooks: compiled.hooks, missing: true };
    try {
      m._lua_settop(L, 0);
      m._lua_pushcclosure(L, msghPtr, 0);
      m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(ref));
      try {
        pushJs(L, request.arg, 0, false);
      } catch (e) {
        throw new LuaFailure('error', `${phase}() argument could not be passed to Lua: ${(e as Error).message}`);
      }
      const status = runScript(1, 1, request.deadlineMs);
      if (status !== LUA_OK) throw failureFromStack(status);
      let value: unknown;
      try {
        value = toJs(L, -1, 0, new Set(), { left: MAX_ELEMENTS, bytes: scriptLimit });
      } catch (e) {
        const kind = e instanceof MemoryRefused ? 'memory' : 'error';
        throw new LuaFailure(kind, `the returned value cannot be used: ${(e as Error).message}`);
      }
      m._lua_settop(L, 0);
      return { type: 'result', id: request.id, hooks: compiled.hooks, missing: false, value };
    } catch (e) {
      if (!(e instanceof LuaFailure)) throw e;
      m._lua_settop(L, 0);
      // A script that overran or filled memory may have left its globals half-built or huge:
      // start it afresh next time and give the memory back now.
      if (e.kind === 'memory' || e.kind === 'timeout') {
        forget(request.source);
        collectGarbage();
      }
      return failureReply(request.id, e, phase);
    }
  };

  const failureReply = (id: number, e: LuaFailure, phase: 'load' | 'build' | 'parse' | 'balance'): LuaWorkerReply =>
    e.line === undefined
      ? { type: 'failure', id, kind: e.kind, phase, message: e.message }
      : { type: 'failure', id, kind: e.kind, phase, message: e.message, line: e.line };

  const formatBytes = (bytes: number): string =>
    bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;

  const fatal = (e: unknown): never => {
    port.postMessage({ type: 'fatal', message: e instanceof Error ? e.message : String(e) } satisfies LuaWorkerReply);
    process.exit(1);
  };

  const start = async (): Promise<void> => {
    if (data.niceness > 0) {
      // A script spinning until its deadline should not take CPU from the host's event loop.
      // Linux applies this to the calling thread only; elsewhere it would be the whole process.
      try {
        (nodeRequire('node:os') as typeof import('node:os')).setPriority(0, data.niceness);
      } catch {
        // Not permitted in this container or OS: run at normal priority.
      }
    }
    const wasmoon = nodeRequire(data.wasmoonPath) as {
      LuaFactory: new () => { getLuaModule(): Promise<{ module: LuaModule }> };
    };
    m = (await new wasmoon.LuaFactory().getLuaModule()).module;
    lenPtr = m._malloc(8);
    chunkNamePtr = cString('=script');
    textModePtr = cString('t');

    const allocator = m.addFunction((_ud: number, ptr: number, oldSize: number, newSize: number) => {
      if (newSize === 0) {
        if (ptr) {
          used -= oldSize;
          m._free(ptr);
        }
        return 0;
      }
      // With no block, oldSize is a type tag, not a size.
      const delta = ptr ? newSize - oldSize : newSize;
      if (delta > 0 && used + delta > limit) {
        memHit = true;
        return 0;
      }
      const out = m._realloc(ptr, newSize);
      if (out) used += delta;
      return out;
    }, 'iiiii');
    L = m._lua_newstate(allocator, 0);
    if (!L) throw new Error('lua_newstate failed');
    m._lua_atpanic(
      L,
      m.addFunction((state: number) => {
        throw new Error(`Lua panic: ${errorText(state, -1)}`);
      }, 'ii'),
    );
    m._luaL_openlibs(L);

    hookPtr = m.addFunction((state: number) => {
      if (!timedOut) {
        if (performance.now() < deadline) return undefined;
        timedOut = true;
      }
      // From now on every instruction errors, in this thread and the main one, so a pcall in a
      // loop gets no further than its next instruction.
      m._lua_sethook(state, hookPtr, LUA_MASKCOUNT, 1);
      if (state !== L) m._lua_sethook(L, hookPtr, LUA_MASKCOUNT, 1);
      m._luaL_where(state, 0);
      pushString(state, 'deadline exceeded');
      m._lua_concat(state, 2);
      return m._lua_error(state);
    }, 'vii');
    msghPtr = m.addFunction((state: number) => {
      m._luaL_traceback(state, state, 0, 1);
      traceback = m._lua_type(state, -1) === T_STRING ? readString(state, -1) : '';
      m._lua_settop(state, 1);
      return 1;
    }, 'ii');

    // helpers = { json = {...}, url = {...}, ... } as the prelude's argument
    m._lua_settop(L, 0);
    const preludeBytes = encoder.encode(PRELUDE);
    const preludePtr = scratch(preludeBytes.length);
    m.HEAPU8.set(preludeBytes, preludePtr);
    const preludeName = cString('=sandbox');
    if (m._luaL_loadbufferx(L, preludePtr, preludeBytes.length, preludeName, textModePtr) !== LUA_OK) {
      throw new Error(`sandbox prelude: ${errorText(L, -1)}`);
    }
    m._lua_createtable(L, 0, 4);
    for (const [libName, fns] of Object.entries(HELPERS)) {
      pushString(L, libName);
      m._lua_createtable(L, 0, 4);
      for (const [fnName, impl] of Object.entries(fns)) {
        pushString(L, fnName);
        m._lua_pushcclosure(L, cfunction(`${libName}.${fnName}`, impl), 0);
        m._lua_rawset(L, -3);
      }
      if (libName === 'json') {
        pushString(L, 'null');
        m._lua_pushlightuserdata(L, 0);
        m._lua_rawset(L, -3);
      }
      m._lua_rawset(L, -3);
    }
    if (m._lua_pcallk(L, 1, 2, 0, 0, 0) !== LUA_OK) throw new Error(`sandbox prelude: ${errorText(L, -1)}`);
    collectRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    makeEnvRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    m._lua_settop(L, 0);
  };

  start().then(
    () => {
      port.on('message', (request: LuaWorkerRequest) => {
        let reply: LuaWorkerReply;
        try {
          reply = handle(request);
        } catch (e) {
          fatal(e);
          return;
        }
        port.postMessage(reply);
      });
      port.postMessage({ type: 'ready' } satisfies LuaWorkerReply);
    },
    (e: unknown) => fatal(e),
  );
}
