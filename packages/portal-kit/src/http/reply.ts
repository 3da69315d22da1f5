/**
 * An answer of the portal as plain parts, before (or instead of) becoming a `Response`:
 * `portal.fetch` wraps it into one, while an adapter for Node's `http` module can take it from
 * `portal.reply` and write the body string straight to the socket, skipping the `Response`'s
 * body stream that would only be read back out again.
 */
export interface PortalReply {
  status: number;
  /** Lower-case header names (without `set-cookie`, which is in {@link PortalReply.cookies}). */
  headers: Record<string, string>;
  /** `Set-Cookie` values, in order. */
  cookies: string[];
  /** The rendered body (HTML, JSON or CSS; sent as UTF-8), or `null` for none. */
  body: string | null;
}

/** A reply with the given parts (no cookies yet). */
export function makeReply(status: number, headers: Record<string, string>, body: string | null = null): PortalReply {
  return { status, headers, cookies: [], body };
}

/** The Web-standard `Response` for a reply. */
export function toResponse(reply: PortalReply): Response {
  const headers = new Headers(reply.headers);
  for (const cookie of reply.cookies) headers.append('set-cookie', cookie);
  return new Response(reply.body, { status: reply.status, headers });
}

/**
 * The parts of a `Request` the portal reads. A `Request` is one; an adapter may pass a
 * lighter object with just these (building a full `Request` costs more than some pages).
 */
export interface PortalRequest {
  readonly method: string;
  /** Absolute URL. */
  readonly url: string;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
}

/** A real `Request` for the hooks that were promised one (`clientIp`, `onError`). */
export function asRequest(request: PortalRequest): Request {
  if (request instanceof Request) return request;
  const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers: request.headers };
  if (request.body && !request.body.locked) {
    init.body = request.body;
    init.duplex = 'half';
  }
  return new Request(request.url, init);
}
