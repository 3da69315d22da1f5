import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A request the stub received, byte for byte. */
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

/** Answers one recorded request; may be async. A throw answers HTTP 599 with the error. */
export type ProviderStubHandler = (req: RecordedRequest, res: ServerResponse) => unknown;

/** A loopback HTTP(S) server standing in for an SMS provider. */
export interface ProviderStub {
  /** `http://127.0.0.1:PORT` (or `https://`). */
  origin: string;
  port: number;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  readonly connections: number;
  /** Closes the server and every connection. */
  close(): Promise<void>;
}

/** A certificate and key (PEM) for {@link startProviderStub}'s `tls` option. */
export interface ProviderStubTls {
  key: string;
  cert: string;
}

/**
 * Starts a real server on a free loopback port that records every request and answers through
 * `handler` (by default `200 {"ok":true}`); pass `tls` for HTTPS. Point a gateway config's `url`
 * at `origin` to test it end to end, then `close()` it.
 *
 * @example
 * ```ts
 * const provider = await startProviderStub((req, res) => replyJson(res, 200, { status: 'accepted' }))
 * const router = createSmsRouter({ gateways: [{ ...myGateway, url: `${provider.origin}/send` }] })
 * await router.send({ to: '+14155550100', text: 'Hello', purpose: 'test' })
 * provider.requests[0]?.text // the body the provider got
 * await router.close(); await provider.close()
 * ```
 */
export async function startProviderStub(
  handler: ProviderStubHandler = (_req, res) => replyJson(res, 200, { ok: true }),
  options: { tls?: ProviderStubTls } = {},
): Promise<ProviderStub> {
  const requests: RecordedRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
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
      Promise.resolve()
        .then(() => handler(recorded, res))
        .catch((error: unknown) => {
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

/** Answers with a JSON body. */
export function replyJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** A loopback port nothing listens on (bound, then released): a connection there is refused. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
