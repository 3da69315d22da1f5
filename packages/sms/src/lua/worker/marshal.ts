// Values between Lua and JS, by copy: plain tables, strings, numbers and booleans. Lua to JS
// uses raw access only, so no metamethod ever runs from here.
import { type LuaApi, T_BOOLEAN, T_LIGHTUSERDATA, T_NIL, T_NUMBER, T_STRING, T_TABLE, typeName } from './lua-api.js';
import { MemoryRefused } from './memory.js';

/** Nesting and size bounds for values crossing between Lua and JS (CPU outside the hook). */
export const MAX_DEPTH = 64;
export const MAX_ELEMENTS = 200_000;

const decoder = new TextDecoder();

/** What one copy from Lua may still take. */
export interface CopyBudget {
  /** Table entries left. */
  entries: number;
  /** String bytes left: what the copy may take, however often a table repeats one string. */
  bytes: number;
}

/** Copies from Lua to JS and back. */
export interface Marshal {
  /** The value at `index` as JS; `undefined` for nil, `null` for `json.null`. */
  toJs(state: number, index: number, budget: CopyBudget): unknown;
  /** Pushes `value`; a JSON null becomes nil in objects and `json.null` in arrays, so `#` stays right. */
  pushJs(state: number, value: unknown): void;
}

/** Binds the copies to `api`. */
export function createMarshal(api: LuaApi): Marshal {
  const { m } = api;

  const toJs = (state: number, index: number, depth: number, seen: Set<number>, budget: CopyBudget): unknown => {
    const type = m._lua_type(state, index);
    switch (type) {
      case T_NIL:
        return undefined;
      case T_BOOLEAN:
        return m._lua_toboolean(state, index) !== 0;
      case T_NUMBER:
        return api.numberAt(state, index);
      case T_STRING: {
        const bytes = api.viewBytes(state, index);
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
        throw new Error(`a ${typeName(type)} value cannot be converted`);
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
      if (--budget.entries < 0) {
        m._lua_settop(state, -3);
        throw new Error(`more than ${MAX_ELEMENTS} table entries`);
      }
      const keyType = m._lua_type(state, -2);
      let key: string | number;
      if (keyType === T_STRING) {
        key = api.readString(state, -2);
        sequence = false;
      } else if (keyType === T_NUMBER) {
        key = api.numberAt(state, -2);
        if (!Number.isInteger(key) || key < 1 || key > length) sequence = false;
      } else {
        m._lua_settop(state, -3);
        throw new Error(`a table has a ${typeName(keyType)} key; only string and number keys convert`);
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

  const pushJs = (state: number, value: unknown, depth: number, inArray: boolean): void => {
    if (value === null || value === undefined) {
      if (inArray) m._lua_pushlightuserdata(state, 0);
      else m._lua_pushnil(state);
      return;
    }
    switch (typeof value) {
      case 'string':
        api.pushString(state, value);
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
      api.pushString(state, k);
      pushJs(state, v, depth + 1, false);
      m._lua_rawset(state, -3);
    }
  };

  return {
    toJs: (state, index, budget) => toJs(state, index, 0, new Set(), budget),
    pushJs: (state, value) => pushJs(state, value, 0, false),
  };
}
