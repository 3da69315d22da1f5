// Lua's allocator, with one budget per Lua state: each script (each gateway's config version)
// has a state of its own, so the one that fills its budget is the one that fails, and the
// others keep theirs.
import type { LuaModule } from './lua-api.js';

/** Room the host side gets above a script's cap, so marshalling never hits a panic. */
const HOST_HEADROOM = 16 * 1024 * 1024;

/** The memory of one Lua state. */
export interface MemoryBudget {
  /** The allocator's `ud`: which budget an allocation is counted in. */
  readonly id: number;
  /** Bytes the state holds now. */
  used: number;
  /** The cap in force: the script's while a script runs, higher while the host marshals. */
  limit: number;
}

/** A refusal for size (reported as LUA_MEMORY): the work was not done. */
export class MemoryRefused extends Error {}

/** Budgets and the allocator function that enforces them. */
export interface LuaMemory {
  /** The `lua_Alloc` to hand `lua_newstate`. */
  readonly allocator: number;
  /** Whether an allocation was refused since the last {@link LuaMemory.resetHit}. */
  readonly hit: boolean;
  resetHit(): void;
  /** Marks the running call as out of memory (a helper refused its input). */
  markHit(): void;
  open(): MemoryBudget;
  /** Forgets a budget once its state is closed. */
  release(budget: MemoryBudget): void;
  /** The script's cap applies from now (a script runs). */
  scriptMode(budget: MemoryBudget): void;
  /** The host's cap applies from now (values are copied in or out). */
  hostMode(budget: MemoryBudget): void;
  /** Bytes a script may still take in `budget`. */
  left(budget: MemoryBudget): number;
}

/** Makes the allocator; `scriptLimit` is every state's cap while its script runs. */
export function createLuaMemory(m: LuaModule, scriptLimit: number): LuaMemory {
  const budgets = new Map<number, MemoryBudget>();
  let nextId = 1;
  let hit = false;

  const allocator = m.addFunction((ud: number, ptr: number, oldSize: number, newSize: number) => {
    const budget = budgets.get(ud);
    if (newSize === 0) {
      if (ptr) {
        if (budget) budget.used -= oldSize;
        m._free(ptr);
      }
      return 0;
    }
    // With no block, oldSize is a type tag, not a size.
    const delta = ptr ? newSize - oldSize : newSize;
    if (!budget || (delta > 0 && budget.used + delta > budget.limit)) {
      hit = true;
      return 0;
    }
    const out = m._realloc(ptr, newSize);
    if (out) budget.used += delta;
    return out;
  }, 'iiiii');

  return {
    allocator,
    get hit() {
      return hit;
    },
    resetHit() {
      hit = false;
    },
    markHit() {
      hit = true;
    },
    open() {
      const budget: MemoryBudget = { id: nextId++, used: 0, limit: scriptLimit + HOST_HEADROOM };
      budgets.set(budget.id, budget);
      return budget;
    },
    release(budget) {
      budgets.delete(budget.id);
    },
    scriptMode(budget) {
      budget.limit = scriptLimit;
    },
    hostMode(budget) {
      budget.limit = scriptLimit + HOST_HEADROOM;
    },
    left(budget) {
      return Math.max(0, budget.limit - budget.used);
    },
  };
}

/** `bytes` as a short text for messages. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
