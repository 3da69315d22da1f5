import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// A PostgreSQL user must never need better-sqlite3 built, and a SQLite user never needs pg:
// the drivers are loaded with `import()` by the factory that needs them, never statically.
const src = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

it('no source file imports better-sqlite3 or pg statically (type imports only)', () => {
  const offenders: string[] = [];
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^\s*import\s+(?!type\b)[^;]*?from\s+['"](better-sqlite3|pg)['"]/gm)) {
      offenders.push(`${file}: ${match[0].trim()}`);
    }
  }
  expect(offenders).toEqual([]);
  const dynamic = sources(src).filter((f) => /import\((['"])(better-sqlite3|pg)\1\)/.test(readFileSync(f, 'utf8')));
  expect(dynamic.length).toBe(2);
});
