// SMS router overhead: the same send workload to one loopback stub provider through
//   raw fetch (the floor), the router (undici transport, with and without the memory SMS log),
//   the router over the same global fetch (pure router overhead), and notifme-sdk's fallback
//   strategy with a custom provider (a popular notification library, side by side),
// at concurrency 1 and 32.
//   npx tsx bench/run.ts sms-router
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryStore } from '@hotspot-kit/core';
import { createSmsRouter, type SmsRouter } from '@hotspot-kit/sms';

type SendOne = (i: number) => Promise<void>;

interface Result {
  name: string;
  concurrency: number;
  messages: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const TO = '+14155550100';
const TEXT = 'Your Wi-Fi code is 482913';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

async function measure(name: string, send: SendOne, concurrency: number, messages: number): Promise<Result> {
  // Warm up connections and JIT.
  for (let i = 0; i < Math.min(200, messages); i += concurrency) {
    await Promise.all(Array.from({ length: concurrency }, (_, k) => send(i + k)));
  }
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= messages) return;
      const t0 = performance.now();
      await send(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    concurrency,
    messages,
    perSecond: messages / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

/** Runs the comparison and prints a table with the router/raw ratios. */
export async function run(): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"OK","id":"m-1"}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  const gateway = {
    id: 'stub',
    name: 'Loopback stub',
    type: 'custom',
    enabled: true,
    url,
    method: 'POST',
    contentType: 'json',
    payload: '{"to":"%TO%","text":"%MESSAGE%","key":"%SECRET:key%"}',
    useLuaScript: false,
    verifySsl: true,
    successResponse: '"status":"OK"',
    secrets: { key: 'bench-secret-key' },
  };
  const body = (i: number) => JSON.stringify({ to: TO, text: `${TEXT} ${i}`, key: 'bench-secret-key' });

  const rawFetch: SendOne = async (i) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i) });
    const text = await res.text();
    if (res.status !== 200 || !text.includes('"status":"OK"')) throw new Error('stub refused');
  };
  const viaRouter = (router: SmsRouter): SendOne => {
    return async (i) => {
      const entry = await router.send({ to: TO, text: `${TEXT} ${i}`, purpose: 'otp' });
      if (entry.status !== 'sent') throw new Error(`not sent: ${JSON.stringify(entry.attempts)}`);
    };
  };
  const bare = createSmsRouter({ gateways: [gateway], circuitBreaker: false });
  const logged = createSmsRouter({ gateways: [gateway], log: createMemoryStore().smsLog });
  const overFetch = createSmsRouter({
    gateways: [gateway],
    log: createMemoryStore().smsLog,
    fetch: (input, init) => fetch(input, init as RequestInit),
  });

  let notifme: SendOne | undefined;
  let notifmeError: string | undefined;
  try {
    // notifme-sdk ships no types; a variable specifier keeps tsc from asking for them.
    const specifier = 'notifme-sdk';
    const mod = (await import(specifier)) as Record<string, unknown>;
    type Sdk = new (
      options: unknown,
    ) => { send(n: unknown): Promise<{ status: string; errors?: unknown }>; logger?: { mute(): void } };
    const candidate = (mod.default as { default?: unknown } | undefined)?.default ?? mod.default;
    const NotifmeSdk = candidate as Sdk;
    const sdk = new NotifmeSdk({
      useNotificationCatcher: false,
      channels: {
        sms: {
          multiProviderStrategy: 'fallback',
          providers: [
            {
              type: 'custom',
              id: 'loopback-stub',
              send: async (request: { to: string; text: string }) => {
                const res = await fetch(url, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ to: request.to, text: request.text, key: 'bench-secret-key' }),
                });
                const text = await res.text();
                if (res.status !== 200 || !text.includes('"status":"OK"')) throw new Error('stub refused');
                return 'm-1';
              },
            },
          ],
        },
      },
    });
    sdk.logger?.mute();
    notifme = async (i) => {
      const result = await sdk.send({ sms: { from: 'Hotspot', to: TO, text: `${TEXT} ${i}` } });
      if (result.status !== 'success') throw new Error(`notifme: ${JSON.stringify(result.errors)}`);
    };
  } catch (error) {
    notifmeError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }

  const variants: [string, SendOne][] = [
    ['raw fetch', rawFetch],
    ['router (undici, no log)', viaRouter(bare)],
    ['router + memory SMS log', viaRouter(logged)],
    ['router over global fetch + log', viaRouter(overFetch)],
  ];
  if (notifme) variants.push(['notifme-sdk fallback (fetch)', notifme]);

  // The machine is shared: variants are interleaved over several rounds and the median is kept,
  // so a burst of someone else's work does not land on one variant only.
  const ROUNDS = 5;
  const results: Result[] = [];
  for (const [concurrency, messages] of [
    [1, 300],
    [32, 1500],
  ] as const) {
    const rounds = new Map<string, Result[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, send] of variants) {
        const list = rounds.get(name) ?? [];
        list.push(await measure(name, send, concurrency, messages));
        rounds.set(name, list);
      }
    }
    for (const [name, list] of rounds) {
      const mid = (pick: (r: Result) => number) =>
        list.map(pick).sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
      results.push({
        name,
        concurrency,
        messages,
        perSecond: mid((r) => r.perSecond),
        p50: mid((r) => r.p50),
        p99: mid((r) => r.p99),
      });
    }
  }

  const rows = results.map((r) => {
    const raw = results.find((x) => x.name === 'raw fetch' && x.concurrency === r.concurrency) as Result;
    return {
      workload: r.name,
      concurrency: r.concurrency,
      messages: `${ROUNDS}x${r.messages}`,
      'msg/s': Math.round(r.perSecond),
      'p50 ms': r.p50.toFixed(3),
      'p99 ms': r.p99.toFixed(3),
      'time vs raw': `${(raw.perSecond / r.perSecond).toFixed(2)}x`,
      'p50 vs raw': `${(r.p50 / raw.p50).toFixed(2)}x`,
    };
  });
  console.table(rows);
  if (notifmeError) console.log(`notifme-sdk could not be loaded: ${notifmeError}`);
  console.log(
    'time vs raw = raw throughput / this throughput; p50 vs raw = this median latency / raw median (target for the router: <= 1.3x).',
  );
  console.log(`Medians of ${ROUNDS} interleaved rounds; on a busy machine the p50 ratio is the steadier of the two.`);

  // The router's own CPU cost per send, without the network: a fetch that answers at once.
  const instant = async () => new Response('{"status":"OK","id":"m-1"}', { status: 200 });
  for (const withLog of [false, true]) {
    const router = createSmsRouter({
      gateways: [gateway],
      fetch: instant,
      ...(withLog ? { log: createMemoryStore().smsLog } : {}),
    });
    const send = viaRouter(router);
    for (let i = 0; i < 2000; i++) await send(i);
    const n = 10_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await send(i);
    const routerUs = ((performance.now() - t0) / n) * 1000;
    const t1 = performance.now();
    for (let i = 0; i < n; i++) await (await instant()).text();
    const fetchUs = ((performance.now() - t1) / n) * 1000;
    console.log(
      `router CPU per send${withLog ? ' (with memory SMS log)' : ''}: ${(routerUs - fetchUs).toFixed(1)} µs over the transport (${routerUs.toFixed(1)} µs total)`,
    );
    await router.close();
  }

  await Promise.all([bare.close(), logged.close(), overFetch.close()]);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
