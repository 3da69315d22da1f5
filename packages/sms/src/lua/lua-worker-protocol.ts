// Messages between the host (`createLuaHookRunner`) and the Lua worker. Plain data only: they
// cross a `postMessage` boundary, so nothing here may hold a function or a class instance.

/** What the host puts in `workerData`. */
export interface LuaWorkerData {
  /** Absolute path of wasmoon's CommonJS entry, resolved by the host (the eval'd worker has no module context). */
  wasmoonPath: string;
  /** Cap on the Lua state's heap, in bytes. */
  memoryLimitBytes: number;
  /** How many compiled scripts the worker keeps (least recently used are dropped). */
  maxCachedScripts: number;
  /** Nice value for the worker thread (Linux, where it is per thread); 0 leaves it alone. */
  niceness: number;
}

/** The operations the worker runs. `inspect` compiles and reports the hooks a script defines. */
export type LuaWorkerOp = 'inspect' | 'build' | 'parse' | 'balance';

/** One call, host to worker. */
export interface LuaWorkerRequest {
  id: number;
  op: LuaWorkerOp;
  source: string;
  /** `ctx` for build, `res` for parse and balance; absent for inspect. */
  arg?: unknown;
  deadlineMs: number;
}

/** Which hooks a compiled script defines. */
export interface LuaHookSet {
  build: boolean;
  parse: boolean;
  balance: boolean;
}

/** Why a call failed, as the worker classified it. */
export type LuaFailureKind = 'error' | 'timeout' | 'memory' | 'sandbox';

/** Worker to host. `missing` means the script defines no such hook. */
export type LuaWorkerReply =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  /** A call compiled and ran its script's top level (under its own deadline); the hook call starts now. */
  | { type: 'compiled'; id: number }
  | { type: 'result'; id: number; hooks: LuaHookSet; missing: boolean; value?: unknown }
  | {
      type: 'failure';
      id: number;
      kind: LuaFailureKind;
      /** `load` when compiling or running the script's top level, else the hook's name. */
      phase: 'load' | 'build' | 'parse' | 'balance';
      /** The Lua message without its `script:N:` prefix. */
      message: string;
      line?: number;
    };
