import type { Compilable, CompiledQuery, QueryResult } from 'kysely';

const SLOT = Symbol('hotspot-kit.slot');

interface Slot {
  readonly [SLOT]: string;
}

function isSlot(value: unknown): value is Slot {
  return typeof value === 'object' && value !== null && SLOT in value;
}

/** Anything that runs a compiled query: a `Kysely` instance or a transaction. */
export interface QueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/**
 * A query built with Kysely once and compiled once, then run with new values many times.
 * The hot paths (accounting events, OTP guards) run a few fixed statements thousands of
 * times a second; building and compiling the query tree each time cost as much as SQLite
 * executing it. `build` receives `slot(name)`, a stand-in value that marks where each
 * parameter goes; `run(executor, values)` binds `values[name]` there.
 */
export function prepareQuery<P extends Record<string, unknown>, R = unknown>(
  build: (slot: <K extends keyof P & string>(name: K) => P[K]) => Compilable<R>,
): (runner: QueryRunner, values: P) => Promise<QueryResult<R>> {
  let compiled: CompiledQuery<R> | undefined;
  let slots: (string | { value: unknown })[] = [];
  return (runner, values) => {
    if (compiled === undefined) {
      compiled = build((name) => ({ [SLOT]: name }) as unknown as P[typeof name]).compile();
      slots = compiled.parameters.map((p) => (isSlot(p) ? p[SLOT] : { value: p }));
    }
    const parameters = slots.map((s) => (typeof s === 'string' ? values[s] : s.value));
    return runner.executeQuery({ ...compiled, parameters });
  };
}
