import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// DESIGN section 1: portal-kit imports core (and sms types only) and no HTTP framework or
// Node-only API, so the handler runs wherever `Request`/`Response` exist; adapter-express
// only converts (express as types).
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].map((m) => ({
    spec: m[3] as string,
    typeOnly: Boolean(m[2]),
  }));
}

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('package boundaries', () => {
  it('portal-kit imports only core (and its internal subpath), zod, sms types and its own files', () => {
    const bad: string[] = [];
    const seen = new Set<string>();
    for (const file of sources(join(root, 'portal-kit/src'))) {
      for (const { spec, typeOnly } of imports(file)) {
        seen.add(spec);
        const ok =
          spec.startsWith('.') ||
          spec === '@hotspot-kit/core' ||
          spec === '@hotspot-kit/core/internal' ||
          spec === 'zod' ||
          (spec === '@hotspot-kit/sms' && typeOnly);
        if (!ok) bad.push(`${file}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
    expect(seen).toContain('@hotspot-kit/core'); // the scan itself works
  });

  it('adapter-express imports express as types only, and nothing of ours', () => {
    const bad: string[] = [];
    for (const file of sources(join(root, 'adapter-express/src'))) {
      for (const { spec, typeOnly } of imports(file)) {
        const ok = spec.startsWith('.') || spec === 'node:stream' || (spec === 'express' && typeOnly);
        if (!ok) bad.push(`${file}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
