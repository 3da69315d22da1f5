import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // The Lua runner resolves wasmoon with createRequire(import.meta.url); in the CJS build that
  // needs the import.meta.url shim.
  shims: true,
});
