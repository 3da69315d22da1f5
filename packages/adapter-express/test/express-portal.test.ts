import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  expressPortal,
  type FetchHandler,
  type FetchHandlerContext,
  type RequestParts,
} from '@hotspot-kit/adapter-express';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  context: FetchHandlerContext | undefined;
}

/** A fetch handler that reports what it received, and answers with two cookies. */
function echo(seen: Seen[]): FetchHandler {
  return {
    async fetch(request, context) {
      seen.push({
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text(),
        context,
      });
      const headers = new Headers({ 'content-type': 'text/plain; charset=utf-8', 'x-handler': 'yes' });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; Path=/');
      return new Response('héllo', { status: 201, headers });
    },
  };
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function listen(app: express.Express): Promise<string> {
  server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('expressPortal', () => {
  it('converts method, full URL, headers and a streamed body, and writes status, headers, cookies and body back', async () => {
    const seen: Seen[] = [];
    const app = express();
    app.use('/portal', expressPortal(echo(seen)));
    const origin = await listen(app);
    const res = await fetch(`${origin}/portal/login?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test': 'hi' },
      body: 'phone=%2B1415&_csrf=t',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-handler')).toBe('yes');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(await res.text()).toBe('héllo');
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: `${origin}/portal/login?x=1`,
      body: 'phone=%2B1415&_csrf=t',
      context: { basePath: '/portal', clientIp: '127.0.0.1' },
    });
    expect(seen[0]?.headers['x-test']).toBe('hi');
  });

  it("passes the host's per-request location to the handler, and none without the option", async () => {
    const seen: Seen[] = [];
    const app = express();
    app.use(
      '/a',
      expressPortal(echo(seen), {
        locationId: (req) => (req.get('x-venue') === 'harbour' ? 'loc-harbour' : undefined),
      }),
    );
    app.use('/b', expressPortal(echo(seen)));
    const origin = await listen(app);
    await fetch(`${origin}/a/?location=loc-evil`, { headers: { 'x-venue': 'harbour' } });
    await fetch(`${origin}/a/`);
    await fetch(`${origin}/b/`, { headers: { 'x-venue': 'harbour' } });
    expect(seen.map((s) => s.context?.locationId)).toEqual(['loc-harbour', undefined, undefined]);
  });

  it('re-encodes a body that Express middleware already parsed (urlencoded, JSON, text, raw)', async () => {
    const seen: Seen[] = [];
    const app = express();
    app.use(
      express.urlencoded({ extended: true }),
      express.json(),
      express.text(),
      express.raw({ type: 'application/octet-stream' }),
    );
    app.use('/p', expressPortal(echo(seen)));
    const origin = await listen(app);
    await fetch(`${origin}/p/a`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=x%26y&b=z',
    });
    await fetch(`${origin}/p/b`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"mac":"aa"}',
    });
    await fetch(`${origin}/p/c`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'plain text' });
    await fetch(`${origin}/p/d`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([1, 2, 3]),
    });
    expect(new URLSearchParams(seen[0]?.body).getAll('b')).toEqual(['x&y', 'z']);
    expect(new URLSearchParams(seen[0]?.body).get('a')).toBe('1');
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual({ mac: 'aa' });
    expect(seen[2]?.body).toBe('plain text');
    expect([...Buffer.from(seen[3]?.body ?? '', 'latin1')]).toEqual([1, 2, 3]);
    // The re-encoded body no longer matches the original length header, so it is dropped.
    expect(seen[0]?.headers['content-length']).toBeUndefined();
  });

  it('passes the client IP as Express computes it (trust proxy) and the protocol from X-Forwarded-Proto', async () => {
    const seen: Seen[] = [];
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use('/', expressPortal(echo(seen)));
    const origin = await listen(app);
    await fetch(`${origin}/status`, { headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' } });
    expect(seen[0]?.context).toEqual({ clientIp: '203.0.113.7', basePath: '' });
    expect(seen[0]?.url.startsWith('https://127.0.0.1:')).toBe(true);
    expect(new URL(seen[0]?.url ?? '').pathname).toBe('/status');
  });

  it('knows its mount path under nested routers', async () => {
    const seen: Seen[] = [];
    const app = express();
    const router = express.Router();
    router.use('/account', expressPortal(echo(seen)));
    app.use('/wifi', router);
    const origin = await listen(app);
    await fetch(`${origin}/wifi/account/api/status`);
    expect(seen[0]?.context?.basePath).toBe('/wifi/account');
    expect(new URL(seen[0]?.url ?? '').pathname).toBe('/wifi/account/api/status');
  });

  it('sends no body for HEAD and hands handler errors to next()', async () => {
    const seen: Seen[] = [];
    const app = express();
    app.use('/ok', expressPortal(echo(seen)));
    app.use(
      '/boom',
      expressPortal({
        fetch() {
          throw new Error('boom');
        },
      }),
    );
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(599).send(`caught ${err.message}`);
    });
    const origin = await listen(app);
    const head = await fetch(`${origin}/ok`, { method: 'HEAD' });
    expect(head.status).toBe(201);
    expect(await head.text()).toBe('');
    const boom = await fetch(`${origin}/boom`);
    expect(boom.status).toBe(599);
    expect(await boom.text()).toBe('caught boom');
  });

  it("uses the handler's reply() when it has one: request parts for a GET, a full Request with a body, the string written as is", async () => {
    const seen: { request: RequestParts; body: string }[] = [];
    const handler: FetchHandler = {
      fetch() {
        throw new Error('reply() should be used');
      },
      async reply(request) {
        seen.push({ request, body: request.body ? await new Response(request.body).text() : '' });
        return {
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8', 'x-handler': 'reply' },
          cookies: ['s=1; Path=/', 't=2; Path=/'],
          body: '<p>Grüße, Привет</p>',
        };
      },
    };
    const app = express();
    app.use('/portal', expressPortal(handler));
    const origin = await listen(app);
    const get = await fetch(`${origin}/portal/status?x=1`, { headers: { cookie: 'a=1' } });
    expect(get.headers.get('x-handler')).toBe('reply');
    expect(get.headers.getSetCookie()).toEqual(['s=1; Path=/', 't=2; Path=/']);
    const bytes = new Uint8Array(await get.arrayBuffer());
    expect(Number(get.headers.get('content-length'))).toBe(bytes.byteLength);
    expect(new TextDecoder().decode(bytes)).toBe('<p>Grüße, Привет</p>');
    const first = seen[0]?.request;
    expect(first instanceof Request).toBe(false); // only the parts: cheaper than a Request
    expect([first?.method, first?.url, first?.headers.get('cookie'), first?.body]).toEqual([
      'GET',
      `${origin}/portal/status?x=1`,
      'a=1',
      null,
    ]);
    await fetch(`${origin}/portal/login`, { method: 'POST', body: 'phone=1' });
    expect(seen[1]?.request).toBeInstanceOf(Request);
    expect(seen[1]?.body).toBe('phone=1');
    const head = await fetch(`${origin}/portal/status`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });
});
