import { createHotspotKit, createMemoryStore } from '@hotspot-kit/core';
import { createPortal } from '@hotspot-kit/portal-kit';
import { describe, expect, it } from 'vitest';
import { capturingSms } from './support/harness.js';

const kit = () =>
  createHotspotKit({ store: createMemoryStore(), secret: 'a-secret-of-sixteen-chars', sms: capturingSms() });
const parts = (method: string, url: string, headers: Record<string, string> = {}) => ({
  method,
  url,
  headers: new Headers(headers),
  body: null,
});

describe('portal.reply (the adapters’ fast path)', () => {
  it('answers like fetch, from just the parts of a request', async () => {
    const portal = createPortal(kit());
    const url = 'http://h.test/portal/assets/portal.css';
    const [reply, response] = [await portal.reply(parts('GET', url)), await portal.fetch(new Request(url))];
    expect(reply.status).toBe(response.status);
    expect(reply.headers).toEqual(Object.fromEntries(response.headers));
    expect(reply.body).toBe(await response.text());
    const head = await portal.reply(parts('HEAD', url));
    expect([head.status, head.body]).toEqual([200, null]);
  });

  it('renders a page with its session cookie and security headers, and hands hooks a real Request', async () => {
    const seen: unknown[] = [];
    const clientIp = (request: Request) => {
      seen.push(request);
      return '192.0.2.9';
    };
    const portal = createPortal(kit(), { clientIp });
    const reply = await portal.reply(parts('GET', 'http://h.test/portal/', { 'accept-language': 'de' }));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
    expect(reply.cookies.some((c) => c.startsWith('hotspot_portal='))).toBe(true);
    expect(reply.body).toContain('<html lang="de">');
    // Language names beyond Latin-1 are character references: the page stays a one-byte string.
    expect(reply.body).toContain('&#x420;&#x443;&#x441;&#x441;&#x43a;&#x438;&#x439;');
    expect(seen[0]).toBeInstanceOf(Request);
  });
});
