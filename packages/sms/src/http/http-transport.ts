import { Agent, request as undiciRequest } from 'undici';

// HTTP for gateways. undici rather than ky: certificate checks must be switchable per gateway
// (`verifySsl`), which needs a dispatcher per gateway, and each dispatcher keeps its connections
// alive between messages. A caller-supplied `fetch` (tests, edge runtimes) is used as is, with the
// gateway's dispatcher passed along for fetches that understand it (undici's and Node's).

/** A request a gateway makes. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What came back (the body as text, cut at {@link MAX_BODY_BYTES}). */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The `fetch` signature the router accepts (the global `fetch` fits). */
export type FetchLike = (input: string, init: RequestInit & { dispatcher?: unknown }) => Promise<Response>;

/** Per-request options: whose connection pool to use and when to give up. */
export interface SendOptions {
  /** A gateway's pool key (it must change when `verifySsl` does); a pool is made on first use. */
  poolKey: string;
  verifySsl: boolean;
  signal: AbortSignal;
}

/** Sends requests over one keep-alive pool per gateway. */
export interface HttpTransport {
  send(request: HttpRequest, options: SendOptions): Promise<HttpResponse>;
  /** Closes pools whose key is not in `keep` (after a reload removed or changed gateways). */
  retain(keep: ReadonlySet<string>): void;
  close(): Promise<void>;
}

/** Provider answers are short; more than this is not kept (nor needed). */
export const MAX_BODY_BYTES = 256 * 1024;

/** Makes the default transport, or one over `fetchImpl` when given. */
export function createHttpTransport(fetchImpl?: FetchLike): HttpTransport {
  const pools = new Map<string, Agent>();

  const poolFor = (key: string, verifySsl: boolean): Agent => {
    let agent = pools.get(key);
    if (!agent) {
      agent = new Agent({
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000,
        connect: { rejectUnauthorized: verifySsl },
      });
      pools.set(key, agent);
    }
    return agent;
  };

  return {
    async send(request, options) {
      const dispatcher = poolFor(options.poolKey, options.verifySsl);
      if (fetchImpl) return sendWithFetch(fetchImpl, request, dispatcher, options.signal);
      const res = await undiciRequest(request.url, {
        method: request.method as 'GET',
        headers: request.headers,
        body: request.body ?? null,
        dispatcher,
        signal: options.signal,
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: res.statusCode, headers, body: await readCapped(res.body) };
    },
    retain(keep) {
      for (const [key, agent] of pools) {
        if (keep.has(key)) continue;
        pools.delete(key);
        // close() lets requests in flight finish first.
        agent.close().catch(() => {});
      }
    },
    async close() {
      const agents = [...pools.values()];
      pools.clear();
      await Promise.all(agents.map((a) => a.close().catch(() => {})));
    },
  };
}

async function readCapped(body: AsyncIterable<Uint8Array> & { destroy?: () => void }): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size >= MAX_BODY_BYTES) {
      body.destroy?.();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

async function sendWithFetch(
  fetchImpl: FetchLike,
  request: HttpRequest,
  dispatcher: Agent,
  signal: AbortSignal,
): Promise<HttpResponse> {
  const res = await fetchImpl(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    signal,
    redirect: 'manual',
    dispatcher,
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const text = await res.text();
  return { status: res.status, headers, body: text.length > MAX_BODY_BYTES ? text.slice(0, MAX_BODY_BYTES) : text };
}

/**
 * A short, secret-free description of why a request failed before an answer: connection
 * refused, DNS, TLS. undici wraps the socket error in `cause`.
 */
export function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    const text =
      typeof code === 'string' && !current.message.includes(code) ? `${code}: ${current.message}` : current.message;
    if (text && !parts.includes(text) && text !== 'fetch failed') parts.push(text);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.length > 0 ? parts.join(' <- ') : String(error);
}
