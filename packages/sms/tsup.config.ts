import { defineConfig } from 'tsup';

export default defineConfig({
  // The Lua worker is its own entry: the runner starts dist/lua-worker.js in a worker thread.
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'lua-worker': 'src/lua/worker/lua-worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  // The Lua runner resolves wasmoon and its worker from import.meta.url; in the CJS build that
  // needs the import.meta.url shim.
  shims: true,
});
