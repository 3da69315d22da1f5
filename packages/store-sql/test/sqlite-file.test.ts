import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreConformance } from '@hotspot-kit/core/testing';
import { createSqliteStore } from '@hotspot-kit/store-sql';
import { afterAll } from 'vitest';

// A fresh file per store, in a directory of this run (WAL and busy timeout as in production).
const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreConformance('SQLite file', () => {
  n += 1;
  return createSqliteStore({ filename: join(dir, `store-${n}.db`) });
});
