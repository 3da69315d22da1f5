// The Lua hooks of custom gateways (docs/lua-hooks.md): real Lua 5.4 in a sandboxed worker.
export { createLuaHookRunner, type LuaHookRunnerOptions } from './create-lua-hook-runner.js';
export type {
  LuaBuildContext,
  LuaBuildResult,
  LuaCallLimits,
  LuaCallOptions,
  LuaHookRunner,
  LuaParseResult,
  LuaResponse,
} from './lua-hook-runner.js';
