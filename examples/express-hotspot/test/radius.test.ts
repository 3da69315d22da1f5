import { createHotspotKit, createMemoryStore, silentLogger } from '@hotspot-kit/core';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRadiusWiring } from '../src/radius.js';
import { bootApp } from './helpers.js';

describe('the radius section: FreeRADIUS’s handler at /radius, loopback only', () => {
  let booted: Awaited<ReturnType<typeof bootApp>>;
  beforeAll(async () => {
    booted = await bootApp();
  });
  afterAll(() => booted.stop());

  it('answers rlm_rest over loopback: an unknown code is refused with a Reply-Message', async () => {
    const response = await fetch(`${booted.app.url}/radius/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ 'User-Name': { type: 'string', value: ['NO-SUCH-CODE'] } }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ 'reply:Reply-Message': { value: 'Unknown voucher code', do_xlat: false } });
  });

  it('refuses a client that is not on this host, whatever X-Forwarded-For says', async () => {
    const kit = createHotspotKit({ store: createMemoryStore(), secret: 'a-test-secret-that-is-long-enough' });
    const wiring = createRadiusWiring(kit, { enabled: true, handler: {}, nas: [] }, silentLogger);
    let status = 0;
    const res = {
      status(code: number) {
        status = code;
        return this;
      },
      type() {
        return this;
      },
      send() {
        return this;
      },
    } as unknown as Response;
    const req = {
      socket: { remoteAddress: '203.0.113.7' },
      headers: { 'x-forwarded-for': '127.0.0.1' },
    } as unknown as Request;
    wiring.handler(req, res, () => {
      status = -1;
    });
    expect(status).toBe(403);
    await wiring.close();
    await kit.close();
  });
});
