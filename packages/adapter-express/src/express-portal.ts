import { Readable } from 'node:stream';
import type { Request as ExpressRequest, Response as ExpressResponse, RequestHandler } from 'express';

/** What the portal learns from the adapter besides the `Request` itself. */
export interface FetchHandlerContext {
  /** The client's address as Express computed it (`req.ip`, honouring `trust proxy`). */
  clientIp?: string;
  /** Where the handler is mounted (`req.baseUrl`), e.g. `/portal`; `''` at the root. */
  basePath?: string;
}

/** Anything with a Web-standard fetch handler, e.g. `createPortal(kit, options)`. */
export interface FetchHandler {
  fetch(request: Request, context?: FetchHandlerContext): Response | Promise<Response>;
}

/**
 * Mounts a Web-standard fetch handler (the hotspot-kit portal) in Express. It only converts:
 * Express's request becomes a `Request` (a body that Express middleware already parsed is
 * re-encoded), the client IP (`req.ip`) and mount path (`req.baseUrl`) are passed alongside,
 * and the `Response` is written back. Errors go to Express's `next`.
 *
 * @example
 * ```ts
 * app.set('trust proxy', 1)
 * app.use('/portal', expressPortal(createPortal(kit)))
 * ```
 */
export function expressPortal(handler: FetchHandler): RequestHandler {
  return (req, res, next) => {
    Promise.resolve()
      .then(() => handler.fetch(toRequest(req), { clientIp: req.ip, basePath: req.baseUrl }))
      .then((response) => sendResponse(res, response, req.method === 'HEAD'))
      .catch(next);
  };
}

function toRequest(req: ExpressRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue; // HTTP/2 pseudo-headers
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const consumed = req.readableEnded || !req.readable;
    if (consumed && req.body !== undefined && req.body !== null) {
      // A body parser read the stream already: encode what it left us again.
      init.body = reencode(req.body, headers.get('content-type') ?? '');
      headers.delete('content-length');
      headers.delete('content-encoding');
    } else if (!consumed) {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
  }
  return new Request(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`, init);
}

function reencode(body: unknown, contentType: string): BodyInit {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new Uint8Array(body); // e.g. express.raw()'s Buffer
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      for (const v of Array.isArray(value) ? value : [value]) form.append(key, String(v));
    }
    return form;
  }
  return JSON.stringify(body);
}

async function sendResponse(res: ExpressResponse, response: Response, head: boolean): Promise<void> {
  res.status(response.status);
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(head || response.body === null ? undefined : Buffer.from(await response.arrayBuffer()));
}
