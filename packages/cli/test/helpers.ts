import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@hotspot-kit/cli';

/** A temp folder, removed by the returned function. */
export function tempDir(): { dir: string; file(name: string, content: unknown): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hotspot-cli-'));
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs the CLI in-process and captures what it prints. */
export async function cli(args: string[], cwd = process.cwd(), env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd,
    env,
  });
  return { code, stdout, stderr };
}

/** A custom gateway posting JSON to `url`. */
export function jsonGateway(id: string, url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name: `Gateway ${id}`,
    type: 'custom',
    enabled: true,
    url,
    method: 'POST',
    contentType: 'json',
    payload: '{"to":"%TO%","text":"%MESSAGE%","ref":"%ID%"}',
    useLuaScript: false,
    verifySsl: true,
    successResponse: '"status":"accepted"',
    timeoutMs: 2000,
    ...extra,
  };
}
