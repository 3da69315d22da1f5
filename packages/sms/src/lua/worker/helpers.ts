// The helpers scripts get (`json`, `url`, `base64`, `crypto`): Lua C functions written in JS.
// A helper whose result grows with its input first checks that the result fits in what is left
// of the running script's memory, and refuses (LUA_MEMORY) before doing the work otherwise.
import { createHash, createHmac } from 'node:crypto';
import { LUA_REGISTRYINDEX, type LuaApi } from './lua-api.js';
import { MAX_ELEMENTS, type Marshal } from './marshal.js';
import { formatBytes, type LuaMemory, type MemoryBudget, MemoryRefused } from './memory.js';

/** What the helpers need to know about the call that runs them. */
export interface HelperContext {
  /** The running script's memory. */
  budget(): MemoryBudget;
  /** The running state's `collectgarbage`, in the registry. */
  collectRef(): number;
}

/** Helper libraries by name, each a table of C function pointers. */
export type HelperTable = Record<string, Record<string, number>>;

const decoder = new TextDecoder();

const isUnreserved = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) ||
  (b >= 0x41 && b <= 0x5a) ||
  (b >= 0x61 && b <= 0x7a) ||
  b === 0x2d ||
  b === 0x2e ||
  b === 0x5f ||
  b === 0x7e;

function percentEncode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes)
    out += isUnreserved(b) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

function percentDecode(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text.replace(/\+/g, ' '));
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
}

/** A lower bound of what decoding `json` takes in Lua: a slot per value, a table per container. */
function jsonFootprint(json: Uint8Array): number {
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
}

function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('NaN and infinity have no JSON form');
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** Registers the helpers as C functions (once per worker) and returns their pointers. */
export function createHelpers(api: LuaApi, marshal: Marshal, memory: LuaMemory, context: HelperContext): HelperTable {
  const { m } = api;

  /** Wraps `impl` as a Lua C function; a JS exception becomes a Lua error naming the helper. */
  const cfunction = (name: string, impl: (state: number) => number): number =>
    m.addFunction((state: number) => {
      let failure: unknown;
      try {
        return impl(state);
      } catch (e) {
        // A number is Emscripten's longjmp (a Lua error in flight): let it through.
        if (typeof e === 'number') throw e;
        if (e instanceof MemoryRefused) memory.markHit();
        failure = e;
      }
      m._lua_settop(state, 0);
      m._luaL_where(state, 1);
      api.pushString(state, `${name}: ${failure instanceof Error ? failure.message : String(failure)}`);
      m._lua_concat(state, 2);
      return m._lua_error(state);
    }, 'ii');

  /** Refuses `what` unless `bytes` fit in what the script has left (after collecting its garbage). */
  const reserve = (state: number, bytes: number, what: string): void => {
    const budget = context.budget();
    if (bytes <= memory.left(budget)) return;
    // Garbage (the temporaries that built the input) may be what stands in the way.
    m._lua_rawgeti(state, LUA_REGISTRYINDEX, BigInt(context.collectRef()));
    api.pushString(state, 'collect');
    m._lua_pcallk(state, 1, 0, 0, 0, 0);
    if (bytes <= memory.left(budget)) return;
    throw new MemoryRefused(
      `${what} needs about ${formatBytes(bytes)}, more than the ${formatBytes(memory.left(budget))} left of the Lua memory limit`,
    );
  };

  /**
   * The bytes of string argument `arg`, in place. Check every argument first: converting a number
   * argument allocates, and growing the wasm memory detaches views taken before.
   */
  const arg = (state: number, n: number): Uint8Array => {
    const ptr = m._luaL_checklstring(state, n, api.lenPtr);
    const len = m.HEAPU32[api.lenPtr >> 2]!;
    return m.HEAPU8.subarray(ptr, ptr + len);
  };
  const checkStrings = (state: number, count: number): void => {
    for (let n = 1; n <= count; n++) m._luaL_checklstring(state, n, api.lenPtr);
  };

  /** What url.encode makes of `bytes`: scanned only when the bounds (1x, 3x) do not decide it. */
  const percentEncodedLength = (bytes: Uint8Array): number => {
    const left = memory.left(context.budget());
    if (bytes.length * 3 <= left || bytes.length > left) return bytes.length * 3;
    let n = bytes.length;
    for (let i = 0; i < bytes.length; i++) if (!isUnreserved(bytes[i]!)) n += 2;
    return n;
  };

  const impls: Record<string, Record<string, (state: number) => number>> = {
    json: {
      encode(state) {
        m._lua_settop(state, 1);
        const budget = { entries: MAX_ELEMENTS, bytes: memory.left(context.budget()) };
        const value = marshal.toJs(state, 1, budget);
        api.pushString(state, value === undefined ? 'null' : sortedJson(value));
        return 1;
      },
      decode(state) {
        reserve(state, jsonFootprint(arg(state, 1)), 'json.decode of this input');
        const value: unknown = JSON.parse(decoder.decode(arg(state, 1)));
        m._lua_settop(state, 0);
        marshal.pushJs(state, value);
        return 1;
      },
    },
    url: {
      encode(state) {
        reserve(state, percentEncodedLength(arg(state, 1)), 'url.encode of this input');
        api.pushString(state, percentEncode(arg(state, 1)));
        return 1;
      },
      decode(state) {
        reserve(state, arg(state, 1).length, 'url.decode of this input');
        api.pushBytes(state, percentDecode(decoder.decode(arg(state, 1))));
        return 1;
      },
    },
    base64: {
      encode(state) {
        reserve(state, Math.ceil(arg(state, 1).length / 3) * 4, 'base64.encode of this input');
        const input = arg(state, 1);
        api.pushString(state, Buffer.from(input.buffer, input.byteOffset, input.length).toString('base64'));
        return 1;
      },
      decode(state) {
        reserve(state, Math.floor((arg(state, 1).length * 3) / 4), 'base64.decode of this input');
        api.pushBytes(state, Buffer.from(decoder.decode(arg(state, 1)), 'base64'));
        return 1;
      },
    },
    // Fixed-size results: the input is hashed in place, never copied.
    crypto: {
      hmac_sha256_hex(state) {
        checkStrings(state, 2);
        api.pushString(state, createHmac('sha256', arg(state, 1)).update(arg(state, 2)).digest('hex'));
        return 1;
      },
      hmac_sha256(state) {
        checkStrings(state, 2);
        api.pushBytes(state, createHmac('sha256', arg(state, 1)).update(arg(state, 2)).digest());
        return 1;
      },
      sha256_hex(state) {
        api.pushString(state, createHash('sha256').update(arg(state, 1)).digest('hex'));
        return 1;
      },
      md5_hex(state) {
        api.pushString(state, createHash('md5').update(arg(state, 1)).digest('hex'));
        return 1;
      },
    },
  };

  const table: HelperTable = {};
  for (const [lib, fns] of Object.entries(impls)) {
    table[lib] = {};
    for (const [name, impl] of Object.entries(fns)) table[lib][name] = cfunction(`${lib}.${name}`, impl);
  }
  return table;
}
