// Messages between the host (`createLuaHookRunner`) and the Lua worker. Plain data only: they
// cross a `postMessage` boundary, so nothing here may hold a function or a class instance.

/** What the host puts in `workerData`. */
export interface LuaWorkerData {
  /** Absolute path of wasmoon's CommonJS entry, resolved by the host. */
  wasmoonPath: string;
  /** Cap on each Lua state's heap (one state per script scope), in bytes. */
  memoryLimitBytes: number;
  /** How many script states the worker keeps (least recently used are closed). */
  maxCachedScripts: number;
  /** Nice value for the worker thread (Linux, where it is per thread); 0 leaves it alone. */
  niceness: number;
}

/** The operations the worker runs. `inspect` runs a script's top level and reports the hooks it defines. */
export type LuaWorkerOp = 'inspect' | 'build' | 'parse' | 'balance';

/** One call, host to worker. */
export interface LuaWorkerRequest {
  id: number;
  op: LuaWorkerOp;
  source: string;
  /** Whose script this is (a gateway's config version): each scope has its own Lua state. */
  scope: string;
  /** `ctx` for build, `res` for parse and balance; absent for inspect. */
  arg?: unknown;
  /** For the script's top level and the hook together. */
  deadlineMs: number;
}

/** Which hooks a script defines. */
export interface LuaHookSet {
  build: boolean;
  parse: boolean;
  balance: boolean;
}

/** Why a call failed, as the worker classified it. */
export type LuaFailureKind = 'error' | 'timeout' | 'memory' | 'sandbox';

/** A call's result. `missing` means the script defines no such hook. */
export type LuaResultReply = { type: 'result'; id: number; hooks: LuaHookSet; missing: boolean; value?: unknown };

/** A call's failure. */
export type LuaFailureReply = {
  type: 'failure';
  id: number;
  kind: LuaFailureKind;
  /** `load` when compiling or running the script's top level, else the hook's name. */
  phase: 'load' | 'build' | 'parse' | 'balance';
  /** The Lua message without its `script:N:` prefix. */
  message: string;
  line?: number;
};

/** Worker to host. */
export type LuaWorkerReply = { type: 'ready' } | { type: 'fatal'; message: string } | LuaResultReply | LuaFailureReply;
