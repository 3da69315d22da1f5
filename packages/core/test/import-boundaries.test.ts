// Enforces DESIGN.md section 1 (who may import whom) over every package's sources.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Rule {
  pkg: string;
  /** Runtime imports allowed (exact names or prefixes ending in '/'). Relative imports are always allowed. */
  allow: (spec: string, isTypeOnly: boolean, file: string) => boolean;
}

const NODE_SEAM = /^packages\/core\/src\/platform\//;

const rules: Rule[] = [
  {
    pkg: 'core',
    allow: (spec, _typeOnly, file) => {
      if (spec === 'zod' || spec.startsWith('libphonenumber-js')) return true;
      if (spec === 'vitest') return file.includes('/testing/') || file.endsWith('.test.ts');
      if (spec.startsWith('node:')) return NODE_SEAM.test(file) || file.endsWith('.test.ts') || file.includes('/test/');
      if (spec === 'fast-check') return file.endsWith('.test.ts');
      return false;
    },
  },
  {
    pkg: 'sms',
    allow: (spec) =>
      spec === '@hotspot-kit/core' ||
      ['zod', 'ky', 'undici', 'wasmoon'].includes(spec) ||
      spec.startsWith('node:') ||
      ['vitest', 'ajv', 'ajv-formats', 'fast-check'].includes(spec),
  },
  {
    pkg: 'store-sql',
    allow: (spec) =>
      spec === '@hotspot-kit/core' ||
      spec === '@hotspot-kit/core/testing' ||
      ['kysely', 'better-sqlite3', 'pg', 'vitest'].includes(spec) ||
      spec.startsWith('node:'),
  },
  {
    pkg: 'portal-kit',
    allow: (spec, typeOnly) =>
      spec === '@hotspot-kit/core' ||
      spec === '@hotspot-kit/core/internal' ||
      (spec === '@hotspot-kit/sms' && typeOnly) ||
      spec === 'zod' ||
      spec.startsWith('node:') ||
      [
        'vitest',
        'playwright-core',
        'axe-core',
        'express',
        '@hotspot-kit/adapter-express',
        '@hotspot-kit/core/testing',
      ].includes(spec),
  },
  {
    pkg: 'adapter-express',
    allow: (spec, typeOnly) =>
      (spec === 'express' && typeOnly) || (spec === '@hotspot-kit/portal-kit' && typeOnly) || spec.startsWith('node:'),
  },
  {
    pkg: 'cli',
    allow: (spec) =>
      ['@hotspot-kit/core', '@hotspot-kit/sms', '@hotspot-kit/store-sql', 'vitest'].includes(spec) ||
      spec.startsWith('node:'),
  },
];

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(sourceFiles(path));
    else if (/\.(ts|tsx|mts)$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT =
  /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(text: string): { spec: string; typeOnly: boolean }[] {
  const found: { spec: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4] ?? m[5];
    if (spec) found.push({ spec, typeOnly: Boolean(m[2]) });
  }
  return found;
}

describe('import boundaries (DESIGN.md section 1)', () => {
  for (const rule of rules) {
    it(`${rule.pkg} imports only what it may`, () => {
      const dir = join(root, 'packages', rule.pkg);
      const bad: string[] = [];
      for (const file of [...sourceFiles(join(dir, 'src')), ...sourceFiles(join(dir, 'test'))]) {
        const rel = relative(root, file);
        const isTest = rel.endsWith('.test.ts') || rel.includes('/test/');
        for (const { spec, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
          if (spec.startsWith('.')) continue;
          // The rules are about what a package ships; its tests may use any tool or peer.
          if (isTest) continue;
          if (!rule.allow(spec, typeOnly, rel)) bad.push(`${rel}: ${typeOnly ? 'import type ' : ''}'${spec}'`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('the checker sees a forbidden import (self-test)', () => {
    const core = rules[0]!;
    const adapter = rules.find((r) => r.pkg === 'adapter-express')!;
    expect(adapter.allow('express', false, 'packages/adapter-express/src/index.ts')).toBe(false);
    expect(core.allow('express', false, 'packages/core/src/x.ts')).toBe(false);
    expect(core.allow('node:fs', false, 'packages/core/src/vouchers/x.ts')).toBe(false);
    expect(importsOf('import type { A } from \'x\';\nimport b from "y";')).toEqual([
      { spec: 'x', typeOnly: true },
      { spec: 'y', typeOnly: false },
    ]);
  });
});
