import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    expect(pkg.bin['hotspot-kit']).toBe('./dist/cli.js');
    expect(readFileSync(`${pkgDir}/src/cli.ts`, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
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
