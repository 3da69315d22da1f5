// The seam between the custom gateway (which calls hooks) and the Lua runtime (which runs them
// in a sandboxed worker).

/** `ctx` given to a script's `build(ctx)`: docs/lua-hooks.md. */
export interface LuaBuildContext {
  to: string;
  to_digits: string;
  message: string;
  location: string;
  from: string;
  id: string;
  /** Unix seconds. */
  now: number;
  /** The gateway's settings (url, method, contentType, from, header name/value, ...) and `secrets` (always a table). */
  gateway: Record<string, unknown> & { secrets: Record<string, string> };
}

/** What `build(ctx)` returned: a payload string, or a request table. */
export type LuaBuildResult =
  | { kind: 'payload'; body: string }
  | { kind: 'request'; url?: string; method?: string; headers?: Record<string, string>; body?: string };

/** `res` given to `parse(res)` and `balance(res)`. */
export interface LuaResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What `parse(res)` returned. */
export interface LuaParseResult {
  ok: boolean;
  id?: string;
  error?: string;
}

/** Limits for one call. */
export interface LuaCallLimits {
  /** For the script's top level and the hook together. Default 200 ms. */
  deadlineMs?: number;
}

/** Options of one call. */
export interface LuaCallOptions extends LuaCallLimits {
  /**
   * Whose script this is, e.g. a gateway's id and config version. Each scope has a Lua state
   * of its own (its compiled script, its memory cap), so two gateways running the same script
   * share nothing. Default `''`.
   */
  scope?: string;
  /**
   * Gives up the call: a call still queued is dropped (the script never runs); a running one is
   * not waited for (its deadline stops it). The promise rejects with a `LUA_ERROR`.
   */
  signal?: AbortSignal;
}

/**
 * Runs gateway scripts. A script is compiled once per scope and source; every call runs it in a
 * new environment, so no global survives from one call to the next. Every method rejects with
 * an `SmsError` (`LUA_ERROR`, `LUA_TIMEOUT`, `LUA_MEMORY`, `LUA_SANDBOX`) whose message carries
 * the Lua line number when there is one; none of them can block the caller's event loop.
 */
export interface LuaHookRunner {
  /** Which hooks a script defines (runs its top level; rejects on a syntax or runtime error). */
  inspect(script: string, options?: LuaCallOptions): Promise<{ build: boolean; parse: boolean; balance: boolean }>;
  build(script: string, ctx: LuaBuildContext, options?: LuaCallOptions): Promise<LuaBuildResult>;
  /** `null` when the script defines no `parse`. */
  parse(script: string, res: LuaResponse, options?: LuaCallOptions): Promise<LuaParseResult | null>;
  /** `null` when the script defines no `balance`. */
  balance(script: string, res: LuaResponse, options?: LuaCallOptions): Promise<number | null>;
  /** Terminates the worker. */
  close(): Promise<void>;
}
