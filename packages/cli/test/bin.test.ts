import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));

function bin(args: string[]) {
  // The binary's entry as npm links it, run from source (tsx) so no build is needed.
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: pkgDir,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the hotspot-kit binary', () => {
  it('is declared in package.json with a node shebang', () => {
    const pkg = JSON.parse(readFileSync(`${pkgDir}/package.json`, 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['hotspot-kit']).toBe('./bin/hotspot-kit.js');
    expect(readFileSync(`${pkgDir}/bin/hotspot-kit.js`, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(readFileSync(`${pkgDir}/src/cli.ts`, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('before a build, the linked command says to build instead of failing obscurely (exit 2)', () => {
    // A copy of the package's bin/ with no dist/ beside it, as in a fresh clone.
    const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(`${pkgDir}/bin/hotspot-kit.js`, join(dir, 'bin', 'hotspot-kit.js'));
      copyFileSync(`${pkgDir}/package.json`, join(dir, 'package.json'));
      const run = spawnSync(process.execPath, [join(dir, 'bin', 'hotspot-kit.js'), '--help'], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("run 'npm run build' first");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits with the command exit code: 0 for --version, 2 for a usage error', () => {
    const version = bin(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const usage = bin(['vouchers', 'generate', '--count', 'x']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--count x: must be a number');
  });
});
