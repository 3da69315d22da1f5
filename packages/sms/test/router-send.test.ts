import { createMemoryStore } from '@hotspot-kit/core';
import { createSmsRouter } from '@hotspot-kit/sms';
import { describe, expect, it } from 'vitest';
import { setupRouterTests } from './helpers/router-setup.js';
import { json, refusedPort, startStub, testCert } from './helpers/stub-server.js';

// Quotes, backslash, newlines, &, %, a placeholder name, emoji (astral), Cyrillic, CJK, a plus sign.
const TRICKY = 'He said "hi" \\ & 100% off\n%TO% %MESSAGE%\r\nПривет, мир 👋🏽 日本 a+b=c';
const TO = '+14155550100';

const base = { enabled: true, useLuaScript: false, verifySsl: true, type: 'custom' } as const;

const setup = setupRouterTests();
const { track } = setup;

describe('message encoding', () => {
  it('arrives byte-identical in a JSON body, a form body and a GET query string', async () => {
    const router = track(
      createSmsRouter({
        gateways: [
          {
            ...base,
            id: 'json',
            url: `${setup.stub.origin}/json`,
            method: 'POST',
            contentType: 'json',
            payload: '{"to":"%TO%","text":"%MESSAGE%","n":%TO_DIGITS%}',
          },
        ],
      }),
    );
    await router.send({ to: TO, text: TRICKY, purpose: 'test' });
    await router.reload([
      {
        ...base,
        id: 'form',
        url: `${setup.stub.origin}/form`,
        method: 'POST',
        contentType: 'form',
        payload: 'to=%TO%&text=%MESSAGE%',
      },
    ]);
    await router.send({ to: TO, text: TRICKY, purpose: 'test' });
    await router.reload([
      {
        ...base,
        id: 'get',
        url: `${setup.stub.origin}/get/%TO%?key=1`,
        method: 'GET',
        contentType: 'form',
        payload: 'to=%TO%&text=%MESSAGE%',
      },
    ]);
    await router.send({ to: TO, text: TRICKY, purpose: 'test' });

    const [j, f, g] = setup.stub.requests.slice(-3);
    const expected = Buffer.from(TRICKY, 'utf8');
    const fromJson = JSON.parse(j!.text);
    expect(Buffer.from(fromJson.text, 'utf8').equals(expected)).toBe(true);
    expect(fromJson.to).toBe(TO);
    expect(fromJson.n).toBe(14155550100);
    expect(j!.headers['content-type']).toBe('application/json');

    const form = new URLSearchParams(f!.text);
    expect(Buffer.from(form.get('text')!, 'utf8').equals(expected)).toBe(true);
    expect(form.get('to')).toBe(TO);
    expect(f!.headers['content-type']).toBe('application/x-www-form-urlencoded');

    expect(g!.method).toBe('GET');
    expect(g!.body.length).toBe(0);
    const url = new URL(g!.url, 'http://x');
    expect(decodeURIComponent(url.pathname)).toBe(`/get/${TO}`);
    expect(url.searchParams.get('key')).toBe('1');
    expect(Buffer.from(url.searchParams.get('text')!, 'utf8').equals(expected)).toBe(true);
  });
});

describe('failover', () => {
  it('goes through refused connection, HTTP 500 and a timeout to a success, within the sum of timeouts', async () => {
    const failing = await startStub((_req, res) => json(res, 500, { error: 'internal' }));
    const silent = await startStub(() => {
      /* never answers */
    });
    const deadPort = await refusedPort();
    const store = createMemoryStore();
    try {
      const router = track(
        createSmsRouter({
          gateways: [
            { ...base, id: 'refused', url: `http://127.0.0.1:${deadPort}/send`, timeoutMs: 1000 },
            { ...base, id: 'http500', url: `${failing.origin}/send`, timeoutMs: 1000 },
            { ...base, id: 'slow', url: `${silent.origin}/send`, timeoutMs: 300 },
            { ...base, id: 'good', url: `${setup.stub.origin}/send`, timeoutMs: 1000, payload: 'to=%TO%&id=%ID%' },
          ],
          log: store.smsLog,
        }),
      );
      const started = performance.now();
      const entry = await router.send({ to: TO, text: 'hello', purpose: 'otp', logText: 'hello' });
      const elapsed = performance.now() - started;
      expect(entry.attempts.map((a) => [a.gatewayId, a.outcome])).toEqual([
        ['refused', 'error'],
        ['http500', 'rejected'],
        ['slow', 'timeout'],
        ['good', 'sent'],
      ]);
      expect(entry.attempts[0]?.error).toMatch(/ECONNREFUSED/);
      expect(entry.attempts[1]?.httpStatus).toBe(500);
      expect(entry.attempts[2]?.error).toMatch(/may have sent/);
      expect(entry.attempts[2]?.durationMs).toBeGreaterThanOrEqual(290);
      expect(entry.status).toBe('sent');
      expect(entry.gatewayId).toBe('good');
      expect(elapsed).toBeLessThan(3300);
      // %ID% is the log entry's id, and the stored entry matches what send returned.
      expect(new URLSearchParams(setup.stub.requests.at(-1)!.text).get('id')).toBe(entry.id);
      expect(await store.smsLog.get(entry.id)).toEqual(entry);
    } finally {
      await failing.close();
      await silent.close();
    }
  });

  it('skips disabled gateways and those of other locations; a gateway with no locations serves all', async () => {
    const hits: string[] = [];
    const stub = await startStub((req, res) => {
      hits.push(req.url);
      json(res, 200, {});
    });
    try {
      const router = track(
        createSmsRouter({
          gateways: [
            { ...base, id: 'off', url: `${stub.origin}/off`, enabled: false },
            { ...base, id: 'other', url: `${stub.origin}/other`, locations: ['loc-b'] },
            { ...base, id: 'mine', url: `${stub.origin}/mine`, locations: ['loc-a', 'loc-c'] },
            { ...base, id: 'all', url: `${stub.origin}/all` },
          ],
        }),
      );
      const a = await router.send({ to: TO, text: 'x', purpose: 'test', locationId: 'loc-a' });
      const b = await router.send({ to: TO, text: 'x', purpose: 'test', locationId: 'loc-b' });
      const none = await router.send({ to: TO, text: 'x', purpose: 'test' });
      expect([a.gatewayId, b.gatewayId, none.gatewayId]).toEqual(['mine', 'other', 'all']);
      expect(a.attempts).toHaveLength(1);
      expect(hits).toEqual(['/mine', '/other', '/all']);
    } finally {
      await stub.close();
    }
  });

  it('all gateways failing ends in failed with every attempt recorded; no gateway at all too', async () => {
    const failing = await startStub((_req, res) => json(res, 503, { error: 'down' }));
    const store = createMemoryStore();
    try {
      const router = track(
        createSmsRouter({
          gateways: [
            { ...base, id: 'a', url: `${failing.origin}/a` },
            { ...base, id: 'b', url: `${setup.stub.origin}/b`, successResponse: 'NEVER-THERE' },
            { ...base, id: 'c', url: `${failing.origin}/c`, locations: ['x'] },
          ],
          log: store.smsLog,
        }),
      );
      const entry = await router.send({ to: TO, text: 'x', purpose: 'otp' });
      expect(entry.status).toBe('failed');
      expect(entry.attempts.map((a) => [a.gatewayId, a.outcome, a.httpStatus])).toEqual([
        ['a', 'rejected', 503],
        ['b', 'rejected', 200],
        // c serves location x only
      ]);
      expect(entry.attempts[1]?.error).toMatch(/success marker/);
      expect(entry.gatewayId).toBe('b');
      expect((await store.smsLog.list({ status: 'failed' })).items.map((e) => e.id)).toEqual([entry.id]);

      await router.reload([{ ...base, id: 'c', url: `${failing.origin}/c`, locations: ['x'] }]);
      const nowhere = await router.send({ to: TO, text: 'x', purpose: 'otp', locationId: 'y' });
      expect(nowhere).toMatchObject({ status: 'failed', attempts: [], errorCode: 'NO_GATEWAY' });
    } finally {
      await failing.close();
    }
  });

  it('successResponse as a /regex/ or a substring decides a 200', async () => {
    const stub = await startStub((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK: queued id=42');
    });
    try {
      const router = track(
        createSmsRouter({
          gateways: [
            { ...base, id: 'regex-miss', url: `${stub.origin}/1`, successResponse: '/^ERROR/' },
            { ...base, id: 'substring-miss', url: `${stub.origin}/2`, successResponse: 'accepted' },
            { ...base, id: 'regex-hit', url: `${stub.origin}/3`, successResponse: '/^ok: QUEUED id=\\d+$/i' },
          ],
        }),
      );
      const entry = await router.send({ to: TO, text: 'x', purpose: 'test' });
      expect(entry.attempts.map((a) => a.outcome)).toEqual(['rejected', 'rejected', 'sent']);
    } finally {
      await stub.close();
    }
  });
});

describe('verifySsl', () => {
  it('refuses a self-signed certificate when on, accepts it when off, for that gateway only', async () => {
    const tls = await startStub((_req, res) => json(res, 200, { ok: true }), { tls: testCert() });
    try {
      const router = track(
        createSmsRouter({
          gateways: [
            { ...base, id: 'strict', url: `${tls.origin}/strict`, verifySsl: true },
            { ...base, id: 'lenient', url: `${tls.origin}/lenient`, verifySsl: false },
          ],
        }),
      );
      const entry = await router.send({ to: TO, text: 'x', purpose: 'test' });
      expect(entry.attempts.map((a) => [a.gatewayId, a.outcome])).toEqual([
        ['strict', 'error'],
        ['lenient', 'sent'],
      ]);
      expect(entry.attempts[0]?.error).toMatch(/self[- ]signed|certificate/i);
      expect(tls.requests.map((r) => r.url)).toEqual(['/lenient']);

      // The lenient gateway's setting does not leak to the strict one on the next send either.
      await router.reload([{ ...base, id: 'strict', url: `${tls.origin}/strict`, verifySsl: true }]);
      const again = await router.send({ to: TO, text: 'x', purpose: 'test' });
      expect(again.attempts.map((a) => a.outcome)).toEqual(['error']);
    } finally {
      await tls.close();
    }
  });
});

describe('connections', () => {
  it('reuses a kept-alive connection between messages to one gateway', async () => {
    const stub = await startStub((_req, res) => json(res, 200, {}));
    try {
      const router = track(createSmsRouter({ gateways: [{ ...base, id: 'g', url: `${stub.origin}/s` }] }));
      for (let i = 0; i < 5; i++) await router.send({ to: TO, text: `m${i}`, purpose: 'test' });
      expect(stub.requests).toHaveLength(5);
      // undici's pool may open a second socket while the first is being released; never one per message.
      expect(stub.connections).toBeLessThanOrEqual(2);
    } finally {
      await stub.close();
    }
  });
});
