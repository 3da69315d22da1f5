// The C API of Lua 5.4 as wasmoon's WebAssembly build exports it, and the few string and number
// conversions every other part of the worker needs. We drive Lua through this raw API rather
// than wasmoon's engine: values cross by copy as plain tables and strings, no JS object is ever
// reachable from Lua, and every guard (instruction hook, allocator cap, sandbox) is ours.
import { createRequire } from 'node:module';

/** The wasm exports and Emscripten helpers the worker uses (wasm32: pointers are numbers, i64 are bigints). */
export interface LuaModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  addFunction(fn: (...args: number[]) => number | undefined, signature: string): number;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _realloc(ptr: number, size: number): number;
  _lua_newstate(alloc: number, ud: number): number;
  _lua_close(L: number): void;
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

export const LUA_REGISTRYINDEX = -1001000;
export const LUA_OK = 0;
export const LUA_ERRMEM = 4;
export const LUA_MASKCOUNT = 8;
export const T_NIL = 0;
export const T_BOOLEAN = 1;
export const T_LIGHTUSERDATA = 2;
export const T_NUMBER = 3;
export const T_STRING = 4;
export const T_TABLE = 5;
export const T_FUNCTION = 6;
const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

/** The name Lua gives a type tag. */
export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? 'unknown';
}

/** Loads Lua's WebAssembly module from wasmoon (its CommonJS entry, resolved by the host). */
export async function loadLuaModule(wasmoonPath: string): Promise<LuaModule> {
  // Resolved from its own path: the worker may run as an eval'd bundle, with no module URL.
  const wasmoon = createRequire(wasmoonPath)(wasmoonPath) as {
    LuaFactory: new () => { getLuaModule(): Promise<{ module: LuaModule }> };
  };
  return (await new wasmoon.LuaFactory().getLuaModule()).module;
}

/** Strings and numbers in and out of Lua stacks. */
export interface LuaApi {
  readonly m: LuaModule;
  /** A 4-byte cell for `size_t *len` out-parameters. */
  readonly lenPtr: number;
  /** A NUL-terminated copy of `text` in wasm memory (kept for the worker's life). */
  cString(text: string): number;
  /** Room for `size` bytes, reused between calls. */
  scratch(size: number): number;
  pushBytes(state: number, bytes: Uint8Array): void;
  pushString(state: number, text: string): void;
  /** The bytes of the string at `idx`, in place (callers check the type: a number would be converted). */
  viewBytes(state: number, idx: number): Uint8Array;
  readString(state: number, idx: number): string;
  numberAt(state: number, idx: number): number;
  /** An error value as text, whatever its type. */
  errorText(state: number, idx: number): string;
  /** Compiles `source` (text only) and pushes the chunk, or the error; returns Lua's status. */
  loadText(state: number, source: string, chunkName: number): number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Binds the string and number conversions to a loaded module. */
export function createLuaApi(m: LuaModule): LuaApi {
  let scratchPtr = 0;
  let scratchSize = 0;
  const textMode = cString('t');

  function cString(text: string): number {
    const bytes = encoder.encode(`${text}\0`);
    const ptr = m._malloc(bytes.length);
    m.HEAPU8.set(bytes, ptr);
    return ptr;
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

  const viewBytes = (state: number, idx: number): Uint8Array => {
    const ptr = m._lua_tolstring(state, idx, api.lenPtr);
    const len = m.HEAPU32[api.lenPtr >> 2]!;
    return m.HEAPU8.subarray(ptr, ptr + len);
  };

  const api: LuaApi = {
    m,
    lenPtr: m._malloc(8),
    cString,
    scratch,
    pushBytes(state, bytes) {
      if (bytes.length === 0) {
        m._lua_pushlstring(state, 0, 0);
        return;
      }
      const ptr = scratch(bytes.length);
      m.HEAPU8.set(bytes, ptr);
      m._lua_pushlstring(state, ptr, bytes.length);
    },
    pushString(state, text) {
      if (text.length === 0) {
        m._lua_pushlstring(state, 0, 0);
        return;
      }
      const max = text.length > 4096 ? Buffer.byteLength(text, 'utf8') : text.length * 3;
      const ptr = scratch(max);
      const { written } = encoder.encodeInto(text, m.HEAPU8.subarray(ptr, ptr + max));
      m._lua_pushlstring(state, ptr, written);
    },
    viewBytes,
    readString: (state, idx) => decoder.decode(viewBytes(state, idx)),
    numberAt: (state, idx) =>
      m._lua_isinteger(state, idx) ? Number(m._lua_tointegerx(state, idx, 0)) : m._lua_tonumberx(state, idx, 0),
    errorText(state, idx) {
      const type = m._lua_type(state, idx);
      // lua_tolstring turns a number into its Lua text in place: harmless on a finished call's error.
      if (type === T_STRING || type === T_NUMBER) return api.readString(state, idx);
      return `(error object is a ${typeName(type)} value)`;
    },
    loadText(state, source, chunkName) {
      const bytes = encoder.encode(source);
      const ptr = scratch(bytes.length || 1);
      m.HEAPU8.set(bytes, ptr);
      // Mode "t": text only. Precompiled bytecode is not verified by Lua and could break the VM.
      return m._luaL_loadbufferx(state, ptr, bytes.length, chunkName, textMode);
    },
  };
  return api;
}
