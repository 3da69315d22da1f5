import { createHotspotKit, createMemoryStore } from '@hotspot-kit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFreeradiusHandler, isRadiusError } from '../src/index.js';

// Whatever arrives, the handler answers a clear 4xx for bad input and never a 5xx or a crash.

const kit = createHotspotKit({ store: createMemoryStore(), secret: 'a-test-secret-that-is-long-enough' });
const handler = createFreeradiusHandler(kit);

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  handler.fetch(
    new Request(`http://127.0.0.1/radius/${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    }),
  );
const attr = (value: unknown, type = 'string') => ({ type, value: [value] });

async function problem(response: Response): Promise<{ status: number; path?: string; message: string }> {
  const body = (await response.json()) as { error: { message: string; issues?: { path: string }[] } };
  return {
    status: response.status,
    message: body.error.message,
    ...(body.error.issues?.[0] ? { path: body.error.issues[0].path } : {}),
  };
}

describe('malformed input gets a 4xx naming the field', () => {
  it('routes: only POST to authorize, post-auth and accounting', async () => {
    expect((await handler.fetch(new Request('http://127.0.0.1/radius/authorize'))).status).toBe(405);
    expect((await post('nothing-here', '{}')).status).toBe(404);
  });

  it('a body that is not rlm_rest JSON', async () => {
    expect(await problem(await post('authorize', 'User-Name=bob'))).toMatchObject({ status: 400 });
    expect((await post('authorize', '[1,2]')).status).toBe(400);
    expect(
      await problem(await post('authorize', JSON.stringify({ 'User-Name': { type: 'string', value: 'bob' } }))),
    ).toMatchObject({
      status: 400,
      path: 'User-Name.value',
    });
    expect((await post('authorize', 'x'.repeat(70_000))).status).toBe(413);
  });

  it('missing or wrongly typed attributes', async () => {
    expect(await problem(await post('authorize', JSON.stringify({})))).toMatchObject({
      status: 400,
      path: 'User-Name',
    });
    expect(await problem(await post('accounting', JSON.stringify({ 'User-Name': attr('x') })))).toMatchObject({
      status: 400,
      path: 'Acct-Status-Type',
    });
    const start = { 'Acct-Status-Type': attr('Start', 'integer'), 'User-Name': attr('x') };
    expect(await problem(await post('accounting', JSON.stringify(start)))).toMatchObject({
      status: 400,
      path: 'NAS-Identifier',
    });
    const nas = { ...start, 'NAS-Identifier': attr('hq') };
    expect(await problem(await post('accounting', JSON.stringify(nas)))).toMatchObject({
      status: 400,
      path: 'Acct-Session-Id',
    });
    const bad = { ...nas, 'Acct-Session-Id': attr('s1'), 'Acct-Input-Octets': attr('lots', 'integer') };
    const plan = await kit.plans.create({
      name: 'p',
      simultaneousDevices: 1,
      expiry: { kind: 'after-creation', seconds: 60 },
    });
    const v = await kit.vouchers.create({ planId: plan.id });
    expect(
      await problem(await post('accounting', JSON.stringify({ ...bad, 'User-Name': attr(v.code) }))),
    ).toMatchObject({
      status: 400,
      path: 'Acct-Input-Octets',
    });
  });

  it('bad options are typed errors naming the option', () => {
    for (const [options, path] of [
      [{ vendors: ['cisco'] }, 'vendors.0'],
      [{ interimIntervalSeconds: 0 }, 'interimIntervalSeconds'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ messages: { en: { used: '' } } }, 'messages.en.used'],
    ] as const) {
      try {
        createFreeradiusHandler(kit, options as never);
        expect.unreachable();
      } catch (error) {
        expect(isRadiusError(error) && error.code).toBe('INVALID_CONFIG');
        expect((error as { issues: { path: string }[] }).issues[0]?.path).toBe(path);
      }
    }
  });
});

describe('never a 5xx', () => {
  const attribute = fc.record({
    type: fc.oneof(fc.constantFrom('string', 'integer', 'octets', 'date', 'ipaddr'), fc.string()),
    value: fc.array(fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)), {
      maxLength: 3,
    }),
  });
  const names = fc.constantFrom(
    'User-Name',
    'Calling-Station-Id',
    'NAS-Identifier',
    'Acct-Status-Type',
    'Acct-Session-Id',
    'Acct-Input-Octets',
    'Acct-Input-Gigawords',
    'Acct-Session-Time',
    'Event-Timestamp',
    'Class',
  );
  const body = fc.oneof(fc.jsonValue(), fc.dictionary(names, fc.oneof(attribute, fc.jsonValue())));

  it('for any JSON on any route', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('authorize', 'post-auth', 'post-auth?result=Access-Reject', 'accounting'),
        body,
        async (route, value) => {
          const response = await post(route, JSON.stringify(value));
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });
});
