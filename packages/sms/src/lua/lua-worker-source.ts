import { luaWorkerMain } from './lua-worker-main.js';

/**
 * The worker's code as a string for `new Worker(source, { eval: true })`. Shipping the worker as
 * source text is what lets one code path serve vitest (TypeScript sources), tsx and the built
 * ESM and CJS bundles: no worker file has to be found on disk next to whichever copy of this
 * module is running. `__name` is defined because transpilers that keep function names (tsx)
 * insert calls to that helper inside function bodies.
 */
export function luaWorkerSource(): string {
  return `'use strict';\nvar __name = (fn) => fn;\n(${luaWorkerMain.toString()})(require);\n`;
}
