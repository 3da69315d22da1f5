import { describe, expect, it } from 'vitest';
import { asRequest, makeReply, toResponse } from './reply.js';

describe('portal replies', () => {
  it('become a Response with every header, each cookie and the body', async () => {
    const reply = makeReply(201, { 'content-type': 'text/plain; charset=utf-8', 'x-a': '1' }, 'héllo');
    reply.cookies.push('a=1; Path=/', 'b=2; Path=/');
    const response = toResponse(reply);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-a')).toBe('1');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(await response.text()).toBe('héllo');
    expect(toResponse(makeReply(303, { location: '/x' })).body).toBeNull();
  });

  it('turn a request made of parts into a real Request for the hooks, and pass a Request through', async () => {
    const parts = {
      method: 'GET',
      url: 'http://h.test/portal/status?x=1',
      headers: new Headers({ a: 'b' }),
      body: null,
    };
    const request = asRequest(parts);
    expect(request).toBeInstanceOf(Request);
    expect([request.method, request.url, request.headers.get('a')]).toEqual(['GET', parts.url, 'b']);
    const real = new Request('http://h.test/', { method: 'POST', body: 'x=1' });
    expect(asRequest(real)).toBe(real);
    const withBody = asRequest({ ...parts, method: 'POST', body: new Response('k=v').body });
    expect(await withBody.text()).toBe('k=v');
  });
});
