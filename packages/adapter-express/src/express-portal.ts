import { Readable } from 'node:stream';
import type { Request as ExpressRequest, RequestHandler } from 'express';

/** What the portal learns from the adapter besides the `Request` itself. */
export interface FetchHandlerContext {
  /** The client's address as Express computed it (`req.ip`, honouring `trust proxy`). */
  clientIp?: string;
  /** Where the handler is mounted (`req.baseUrl`), e.g. `/portal`; `''` at the root. */
  basePath?: string;
  /** The location of this request, from {@link ExpressPortalOptions.locationId}. */
  locationId?: string;
}

/** Options of {@link expressPortal}. */
export interface ExpressPortalOptions {
  /**
   * The location each request belongs to, as the host knows it (e.g. from the NAS, the
   * host name or the mount): the portal sends login codes through that location's SMS
   * gateway with its sender id and texts, and shows its branding. `undefined`: the portal's
   * own rule (a signed location link, else its `locationId` option).
   */
  locationId?: (req: ExpressRequest) => string | undefined;
}

/** An answer as plain parts: `headers` without `set-cookie` (that is `cookies`), `body` written as is (strings as UTF-8). */
export interface ReplyParts {
  status: number;
  headers: Record<string, string>;
  cookies: readonly string[];
  body: string | Uint8Array | null;
}

/** The parts of a `Request` that `reply` handlers read (a `Request` is one). */
export type RequestParts = Pick<Request, 'method' | 'url' | 'headers' | 'body'>;

/** Anything with a Web-standard fetch handler, e.g. `createPortal(kit, options)`. */
export interface FetchHandler {
  fetch(request: Request, context?: FetchHandlerContext): Response | Promise<Response>;
  /** Optional fast path (the portal has it): the same answer as parts, from just the request's parts. */
  reply?(request: RequestParts, context?: FetchHandlerContext): Promise<ReplyParts>;
}

/**
 * Mounts a Web-standard fetch handler (the hotspot-kit portal) in Express. It only converts:
 * Express's request becomes a `Request` (a body that Express middleware already parsed is
 * re-encoded), the client IP (`req.ip`) and mount path (`req.baseUrl`) are passed alongside,
 * and the answer is written back (from `handler.reply` when the handler has it, so a rendered
 * page goes to the socket as the string it is). Errors go to Express's `next`.
 *
 * @example
 * ```ts
 * app.set('trust proxy', 1)
 * app.use('/portal', expressPortal(createPortal(kit)))
 * // One backend, several venues: the host says which one each request is for.
 * app.use('/portal', expressPortal(portal, { locationId: (req) => venueByHost[req.hostname] }))
 * ```
 */
export function expressPortal(handler: FetchHandler, options: ExpressPortalOptions = {}): RequestHandler {
  return (req, res, next) => {
    (async () => {
      const context: FetchHandlerContext = { clientIp: req.ip, basePath: req.baseUrl };
      if (options.locationId) context.locationId = options.locationId(req);
      const head = req.method === 'HEAD';
      const parts = handler.reply
        ? await handler.reply(toRequest(req, true), context)
        : await toParts(await handler.fetch(toRequest(req, false) as Request, context), head);
      res.statusCode = parts.status;
      for (const name in parts.headers) res.setHeader(name, parts.headers[name] as string);
      if (parts.cookies.length > 0) res.setHeader('set-cookie', parts.cookies);
      res.end(head || parts.body === null ? undefined : parts.body);
    })().catch(next);
  };
}

/** A `Request`; with `light`, a bodiless GET or HEAD is only its parts (a full `Request` costs more). */
function toRequest(req: ExpressRequest, light: boolean): RequestParts {
  const headers = new Headers();
  for (const name in req.headers) {
    const value = req.headers[name]; // Node's view: duplicates dropped or joined (cookies with '; ')
    if (name[0] === ':' || value === undefined) continue; // HTTP/2 pseudo-headers
    if (typeof value === 'string') headers.append(name, value);
    else for (const v of value) headers.append(name, v);
  }
  const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers };
  if (req.method === 'GET' || req.method === 'HEAD') {
    if (light) return { method: req.method, url, headers, body: null };
  } else {
    const consumed = req.readableEnded || !req.readable;
    if (consumed && req.body !== undefined && req.body !== null) {
      // A body parser read the stream already: encode what it left us again.
      init.body = reencode(req.body, headers.get('content-type') ?? '');
      headers.delete('content-length');
      headers.delete('content-encoding');
    } else if (!consumed) {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>; // read only if the handler asks
      init.duplex = 'half';
    }
  }
  return new Request(url, init);
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

async function toParts(response: Response, head: boolean): Promise<ReplyParts> {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'set-cookie'));
  const body = head || response.body === null ? null : new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers, cookies: response.headers.getSetCookie(), body };
}
