import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@hotspot-kit/cli';

/** A request a loopback provider received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1 standing in for an SMS provider. */
export interface LoopbackProvider {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export async function startProvider(
  answer: (req: Received, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"accepted","id":"m-1"}');
  },
): Promise<LoopbackProvider> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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
