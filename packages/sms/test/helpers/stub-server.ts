// Loopback HTTP(S) servers standing in for SMS providers: they record every request byte for
// byte and answer the way the real provider does.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  body: Buffer;
  /** The body decoded as UTF-8. */
  text: string;
}

export type StubHandler = (req: RecordedRequest, res: ServerResponse) => unknown;

export interface StubServer {
  /** `http://127.0.0.1:PORT` (or https). */
  origin: string;
  port: number;
  requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  readonly connections: number;
  close(): Promise<void>;
}

/** Starts a server on a free loopback port; pass `tls` for HTTPS. */
export async function startStub(handler: StubHandler, options: { tls?: TestCert } = {}): Promise<StubServer> {
  const requests: RecordedRequest[] = [];
  const listener = (req: import('node:http').IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        text: body.toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createServer(listener);
  let connections = 0;
  server.on(options.tls ? 'secureConnection' : 'connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    get connections() {
      return connections;
    },
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with JSON. */
export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** A loopback port nothing listens on (connection refused). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestCert {
  key: string;
  cert: string;
}

let cached: TestCert | undefined;

/**
 * A self-signed certificate for 127.0.0.1: made fresh with `openssl` when the machine has it,
 * else the long-lived one committed under `test/fixtures/`.
 */
export function testCert(): TestCert {
  if (cached) return cached;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-sms-cert-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    cached = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    const fixtures = new URL('../fixtures/', import.meta.url);
    cached = {
      key: readFileSync(new URL('test-key.pem', fixtures), 'utf8'),
      cert: readFileSync(new URL('test-cert.pem', fixtures), 'utf8'),
    };
  }
  return cached;
}
