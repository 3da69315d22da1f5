// The Lua worker must start however the package runs: from TypeScript sources under vitest
// (every other Lua test), under tsx, and from the built ESM and CJS bundles (tsup, with this
// package's own tsup config).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tsupConfig from '../tsup.config.js';

const run = promisify(execFile);
const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = 'function build(ctx) return json.encode({ to = ctx.to, sig = crypto.md5_hex(ctx.message) }) end';
const EXPECTED = { kind: 'payload', body: '{"sig":"8a669e9418750c81ab90ae159a8ec410","to":"+1555"}' };

/** A program that builds with the runner exported by `specifier` and prints the result. */
const program = (load: string) => `
  const { createLuaHookRunner } = ${load};
  const lua = createLuaHookRunner();
  const ctx = { to: '+1555', to_digits: '1555', message: 'Привет', location: '', from: '', id: '1', now: 1, gateway: { secrets: {} } };
  lua.build(${JSON.stringify(SCRIPT)}, ctx).then(async (r) => { console.log(JSON.stringify(r)); await lua.close(); });
`;

describe('the Lua worker loads', () => {
  let outDir: string;
  beforeAll(async () => {
    // Inside the package, so the bundle resolves wasmoon from node_modules as an installed copy would.
    outDir = mkdtempSync(join(pkgDir, '.lua-dist-test-'));
    const config = tsupConfig as Options;
    await build({
      ...config,
      // The runner's module as the index, next to the worker entry as the package ships it.
      entry: { ...(config.entry as Record<string, string>), index: 'src/lua/index.ts' },
      outDir,
      dts: false,
      shims: true,
      sourcemap: false,
      clean: false,
      silent: true,
      config: false,
    });
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('from the built CJS bundle', async () => {
    const { stdout } = await run(process.execPath, [
      '-e',
      program(`require(${JSON.stringify(join(outDir, 'index.cjs'))})`),
    ]);
    expect(JSON.parse(stdout)).toEqual(EXPECTED);
  });

  it('from the built ESM bundle', async () => {
    const file = join(outDir, 'index.js');
    const { stdout } = await run(process.execPath, [
      '--input-type=module',
      '-e',
      program(`await import(${JSON.stringify(new URL(`file://${file}`).href)})`),
    ]);
    expect(JSON.parse(stdout)).toEqual(EXPECTED);
  });

  it('an idle runner never keeps the process alive (close() is optional)', async () => {
    const source = join(pkgDir, 'src/lua/index.ts');
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { createLuaHookRunner } = await import(${JSON.stringify(source)});
         console.log(JSON.stringify(await createLuaHookRunner().inspect('function parse(res) return true end')));`,
      ],
      { cwd: pkgDir, timeout: 15_000 },
    );
    // run() fails on its 15 s timeout when the process does not exit by itself.
    expect(JSON.parse(stdout)).toEqual({ build: false, parse: true, balance: false });
  });

  it('from the TypeScript sources under tsx', async () => {
    const source = join(pkgDir, 'src/lua/index.ts');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', program(`await import(${JSON.stringify(source)})`)],
      { cwd: pkgDir },
    );
    expect(JSON.parse(stdout)).toEqual(EXPECTED);
  });
});
