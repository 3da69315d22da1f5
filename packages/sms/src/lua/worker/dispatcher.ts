// Answers the host's requests. Every script scope (a gateway's config version) gets a Lua state
// of its own, with its own memory budget and its compiled chunk; every call runs the chunk in a
// new environment, so no global survives from one call to the next. A state that overran its
// deadline or its memory is closed (the next call starts a new one); the others are untouched.
import type { LuaFailureKind, LuaHookSet, LuaWorkerReply, LuaWorkerRequest } from '../lua-worker-protocol.js';
import type { HelperTable } from './helpers.js';
import { LUA_ERRMEM, LUA_MASKCOUNT, LUA_OK, LUA_REGISTRYINDEX, type LuaApi, T_FUNCTION, T_STRING } from './lua-api.js';
import { MAX_ELEMENTS, type Marshal } from './marshal.js';
import { type LuaMemory, type MemoryBudget, MemoryRefused } from './memory.js';
import { PRELUDE } from './prelude.js';
import { wallCapMs } from './wall-cap.js';

/** Instructions between two deadline checks; after the deadline, every instruction errors. */
const HOOK_EVERY = 1000;
const HOOK_NAMES = ['build', 'parse', 'balance'] as const;
/** Garbage a state may keep after a call before it is collected. */
const GARBAGE_SLACK = 256 * 1024;
const SANDBOX_MESSAGE =
  /attempt to (?:call|index) a nil value \((?:global '(?:io|require|load|loadstring|loadfile|dofile|debug|package|collectgarbage|print|warn)'|field '(?:execute|exit|getenv|remove|rename|tmpname|setlocale|dump)'|method 'dump')\)|not allowed in the sandbox/;

type Phase = 'load' | 'build' | 'parse' | 'balance';

/** CPU time of this process (every thread), in ms. */
function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A Lua failure, classified. */
class LuaFailure extends Error {
  constructor(
    readonly kind: LuaFailureKind,
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** One script scope's Lua state. */
interface ScriptState {
  L: number;
  budget: MemoryBudget;
  chunkRef: number;
  makeEnvRef: number;
  collectRef: number;
  /** Memory held right after compiling: what the state keeps between calls. */
  baseline: number;
}

/** What the dispatcher is built from. */
export interface DispatcherParts {
  api: LuaApi;
  marshal: Marshal;
  memory: LuaMemory;
  /** Fills in once the helpers exist (they need the dispatcher's running state). */
  helpers: () => HelperTable;
  scriptLimit: number;
  maxStates: number;
}

/** Runs requests one at a time. */
export interface Dispatcher {
  handle(request: LuaWorkerRequest): LuaWorkerReply;
  /** The running state's budget and `collectgarbage` (for the helpers). */
  running(): { budget: MemoryBudget; collectRef: number };
}

/** Makes the dispatcher and its hook, message handler and panic handler. */
export function createDispatcher(parts: DispatcherParts): Dispatcher {
  const { api, marshal, memory } = parts;
  const { m } = api;
  const states = new Map<string, ScriptState>();
  const scriptName = api.cString('=script');
  const preludeName = api.cString('=sandbox');

  let current: ScriptState | undefined;
  let deadline = 0;
  let budgetMs = 0;
  let cpuAtStart = 0;
  let wallCap = 0;
  let timedOut = false;
  let traceback = '';

  const hookPtr = m.addFunction((state: number) => {
    if (!timedOut) {
      const now = performance.now();
      if (now < deadline) return undefined;
      // Past the deadline on the clock, but a thread the machine did not schedule has not used
      // its time: it goes on until the process has spent the deadline's CPU time (or the clock
      // passes the cap), so a busy machine does not turn slow into "too slow".
      if (now < wallCap && processCpuMs() - cpuAtStart < budgetMs) return undefined;
      timedOut = true;
    }
    // From now on every instruction errors, in this thread and the main one, so a pcall in a
    // loop gets no further than its next instruction.
    m._lua_sethook(state, hookPtr, LUA_MASKCOUNT, 1);
    if (current && state !== current.L) m._lua_sethook(current.L, hookPtr, LUA_MASKCOUNT, 1);
    m._luaL_where(state, 0);
    api.pushString(state, 'deadline exceeded');
    m._lua_concat(state, 2);
    return m._lua_error(state);
  }, 'vii');
  const msghPtr = m.addFunction((state: number) => {
    m._luaL_traceback(state, state, 0, 1);
    traceback = m._lua_type(state, -1) === T_STRING ? api.readString(state, -1) : '';
    m._lua_settop(state, 1);
    return 1;
  }, 'ii');
  const panicPtr = m.addFunction((state: number) => {
    throw new Error(`Lua panic: ${api.errorText(state, -1)}`);
  }, 'ii');

  /** Classifies the error on top of the stack after a failed protected call. */
  const failureFromStack = (L: number, status: number): LuaFailure => {
    let message = api.errorText(L, -1);
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
      : status === LUA_ERRMEM || memory.hit
        ? 'memory'
        : SANDBOX_MESSAGE.test(message)
          ? 'sandbox'
          : 'error';
    return new LuaFailure(kind, message, line);
  };

  /** Calls the function below `nargs` arguments (message handler at index 1) under the call's deadline. */
  const runScript = (st: ScriptState, nargs: number, nresults: number): number => {
    memory.scriptMode(st.budget);
    m._lua_sethook(st.L, hookPtr, LUA_MASKCOUNT, HOOK_EVERY);
    try {
      return m._lua_pcallk(st.L, nargs, nresults, 1, 0, 0);
    } finally {
      m._lua_sethook(st.L, 0, 0, 0);
      memory.hostMode(st.budget);
    }
  };

  const collect = (st: ScriptState): void => {
    m._lua_settop(st.L, 0);
    m._lua_rawgeti(st.L, LUA_REGISTRYINDEX, BigInt(st.collectRef));
    api.pushString(st.L, 'collect');
    m._lua_pcallk(st.L, 1, 0, 0, 0, 0);
    m._lua_settop(st.L, 0);
  };

  const close = (key: string): void => {
    const st = states.get(key);
    if (!st) return;
    states.delete(key);
    m._lua_close(st.L);
    memory.release(st.budget);
  };

  /** A new state: safe libraries, the prelude, the helpers; then the script compiled in it. */
  const open = (key: string, source: string): ScriptState => {
    const budget = memory.open();
    const L = m._lua_newstate(memory.allocator, budget.id);
    if (!L) {
      memory.release(budget);
      throw new LuaFailure('memory', 'not enough memory');
    }
    const st: ScriptState = { L, budget, chunkRef: 0, makeEnvRef: 0, collectRef: 0, baseline: 0 };
    states.set(key, st);
    m._lua_atpanic(L, panicPtr);
    m._luaL_openlibs(L);
    if (api.loadText(L, PRELUDE, preludeName) !== LUA_OK) throw new Error(`sandbox prelude: ${api.errorText(L, -1)}`);
    const helpers = parts.helpers();
    m._lua_createtable(L, 0, 4);
    for (const [lib, fns] of Object.entries(helpers)) {
      api.pushString(L, lib);
      m._lua_createtable(L, 0, 5);
      for (const [name, fn] of Object.entries(fns)) {
        api.pushString(L, name);
        m._lua_pushcclosure(L, fn, 0);
        m._lua_rawset(L, -3);
      }
      if (lib === 'json') {
        api.pushString(L, 'null');
        m._lua_pushlightuserdata(L, 0);
        m._lua_rawset(L, -3);
      }
      m._lua_rawset(L, -3);
    }
    if (m._lua_pcallk(L, 1, 2, 0, 0, 0) !== LUA_OK) throw new Error(`sandbox prelude: ${api.errorText(L, -1)}`);
    st.collectRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    st.makeEnvRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    m._lua_settop(L, 0);
    const loaded = api.loadText(L, source, scriptName);
    if (loaded !== LUA_OK) throw failureFromStack(L, loaded);
    st.chunkRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    st.baseline = budget.used;
    while (states.size > parts.maxStates) close(states.keys().next().value as string);
    return st;
  };

  const stateFor = (key: string, source: string): ScriptState => {
    const cached = states.get(key);
    if (cached) {
      states.delete(key);
      states.set(key, cached);
      return cached;
    }
    return open(key, source);
  };

  /** Runs the chunk's top level in a new environment, left at index 2 (the message handler at 1). */
  const instantiate = (st: ScriptState): void => {
    const { L } = st;
    m._lua_settop(L, 0);
    m._lua_pushcclosure(L, msghPtr, 0);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(st.makeEnvRef));
    if (m._lua_pcallk(L, 0, 1, 0, 0, 0) !== LUA_OK) throw new LuaFailure('memory', 'not enough memory');
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(st.chunkRef));
    m._lua_pushvalue(L, 2);
    m._lua_setupvalue(L, 3, 1); // the chunk's only upvalue is _ENV
    const status = runScript(st, 0, 0);
    if (status !== LUA_OK) throw failureFromStack(L, status);
  };

  const hooksOf = (L: number): LuaHookSet => {
    const hooks = { build: false, parse: false, balance: false };
    for (const name of HOOK_NAMES) {
      api.pushString(L, name);
      hooks[name] = m._lua_rawget(L, 2) === T_FUNCTION;
      m._lua_settop(L, 2);
    }
    return hooks;
  };

  const callHook = (st: ScriptState, request: LuaWorkerRequest, hooks: LuaHookSet): LuaWorkerReply => {
    const { L } = st;
    const op = request.op as 'build' | 'parse' | 'balance';
    if (!hooks[op]) return { type: 'result', id: request.id, hooks, missing: true };
    api.pushString(L, op);
    m._lua_rawget(L, 2);
    try {
      marshal.pushJs(L, request.arg);
    } catch (e) {
      throw new LuaFailure('error', `${op}() argument could not be passed to Lua: ${(e as Error).message}`);
    }
    const status = runScript(st, 1, 1);
    if (status !== LUA_OK) throw failureFromStack(L, status);
    let value: unknown;
    try {
      value = marshal.toJs(L, -1, { entries: MAX_ELEMENTS, bytes: parts.scriptLimit });
    } catch (e) {
      const kind = e instanceof MemoryRefused ? 'memory' : 'error';
      throw new LuaFailure(kind, `the returned value cannot be used: ${(e as Error).message}`);
    }
    return { type: 'result', id: request.id, hooks, missing: false, value };
  };

  const handle = (request: LuaWorkerRequest): LuaWorkerReply => {
    const key = `${request.scope}\u0000${request.source}`;
    const started = performance.now();
    deadline = started + request.deadlineMs;
    wallCap = started + wallCapMs(request.deadlineMs);
    budgetMs = request.deadlineMs;
    cpuAtStart = processCpuMs();
    timedOut = false;
    traceback = '';
    memory.resetHit();
    let phase: Phase = 'load';
    let st: ScriptState | undefined;
    try {
      st = stateFor(key, request.source);
      current = st;
      instantiate(st);
      const hooks = hooksOf(st.L);
      if (request.op === 'inspect') return { type: 'result', id: request.id, hooks, missing: false };
      phase = request.op;
      return callHook(st, request, hooks);
    } catch (e) {
      if (!(e instanceof LuaFailure)) throw e;
      // A script that failed to compile, overran or filled its memory starts afresh next time,
      // and gives its memory back now.
      if (!st || e.kind === 'memory' || e.kind === 'timeout') close(key);
      return e.line === undefined
        ? { type: 'failure', id: request.id, kind: e.kind, phase, message: e.message }
        : { type: 'failure', id: request.id, kind: e.kind, phase, message: e.message, line: e.line };
    } finally {
      current = undefined;
      const kept = states.get(key);
      if (kept) {
        m._lua_settop(kept.L, 0);
        if (kept.budget.used > kept.baseline + GARBAGE_SLACK) collect(kept);
      }
    }
  };

  return {
    handle,
    running() {
      if (!current) throw new Error('no Lua call is running');
      return { budget: current.budget, collectRef: current.collectRef };
    },
  };
}
