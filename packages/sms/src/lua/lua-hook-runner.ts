// The seam between the custom gateway (which calls hooks) and the Lua runtime (which runs them
// in a sandboxed worker). The runtime is implemented in this folder (issue 5).

/** `ctx` given to a script's `build(ctx)`: DESIGN.md section 5. */
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
  /** Default 200 ms. */
  deadlineMs?: number;
}

/**
 * Runs gateway scripts. Scripts are compiled once per distinct source and reused. Every method
 * rejects with an `SmsError` (`LUA_ERROR`, `LUA_TIMEOUT`, `LUA_MEMORY`, `LUA_SANDBOX`) whose
 * message carries the Lua line number when there is one; none of them can block the caller's
 * event loop.
 */
export interface LuaHookRunner {
  /** Which hooks a script defines (compiles it; rejects on a syntax error). */
  inspect(script: string): Promise<{ build: boolean; parse: boolean; balance: boolean }>;
  build(script: string, ctx: LuaBuildContext, limits?: LuaCallLimits): Promise<LuaBuildResult>;
  /** `null` when the script defines no `parse`. */
  parse(script: string, res: LuaResponse, limits?: LuaCallLimits): Promise<LuaParseResult | null>;
  /** `null` when the script defines no `balance`. */
  balance(script: string, res: LuaResponse, limits?: LuaCallLimits): Promise<number | null>;
  /** Terminates the worker. */
  close(): Promise<void>;
}
