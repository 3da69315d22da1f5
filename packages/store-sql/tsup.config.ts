import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // The drivers are optional dependencies, loaded with import() by the factory that needs them:
  // never bundle them (tsup externalizes only `dependencies` and `peerDependencies`).
  external: ['better-sqlite3', 'pg'],
});
