import type { LuaAccess } from '../gateways/custom-gateway.js';
import type { LuaHookRunner } from '../lua/lua-hook-runner.js';

/** The router's way to the Lua runtime, and the means to close what it loaded. */
export interface LazyLua extends LuaAccess {
  /** Closes the runner this made (a runner handed in is the host's to close). */
  close(): Promise<void>;
}

/**
 * Lua for custom gateways, loaded on first use only: hosts without Lua gateways never load
 * wasmoon. A `runner` handed in is used as is and left open.
 */
export function createLazyLua(options: { runner?: LuaHookRunner; deadlineMs?: number; clock: () => Date }): LazyLua {
  const given = options.runner;
  let loading: Promise<LuaHookRunner> | undefined = given ? Promise.resolve(given) : undefined;
  return {
    runner() {
      loading ??= import('../lua/index.js').then((m) => m.createLuaHookRunner());
      return loading;
    },
    deadlineMs: options.deadlineMs ?? 200,
    now: options.clock,
    async close() {
      if (loading && !given) await (await loading.catch(() => null))?.close();
    },
  };
}
