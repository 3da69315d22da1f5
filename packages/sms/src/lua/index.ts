// The Lua hooks of custom gateways (DESIGN.md section 5): real Lua 5.4 in a sandboxed worker.
export { createLuaHookRunner, type LuaHookRunnerOptions } from './create-lua-hook-runner.js';
export type {
  LuaBuildContext,
  LuaBuildResult,
  LuaCallLimits,
  LuaHookRunner,
  LuaParseResult,
  LuaResponse,
} from './lua-hook-runner.js';
