// Customer portal benchmarks:
//  1. status-page requests per second through Express (expressPortal, signed-in session, a
//     customer with 5 vouchers) against a bare Express route (res.send) that returns the same
//     page, in the same app and server: the ratio is what the portal's work costs (target: at
//     least 0.4). autocannon runs in its own process with keep-alive connections; both sides
//     are warmed up, then measured in alternating rounds and the median ratio is reported
//     (10 connections, 3 rounds of 5 s; BENCH_CONNECTIONS / BENCH_ROUNDS / BENCH_SECONDS override);
//  2. server time to answer a status page for 5 and for 200 vouchers (portal.fetch, no HTTP).
//   npx tsx bench/run.ts portal

import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { expressPortal } from '@hotspot-kit/adapter-express';
import {
  createHotspotKit,
  createMemoryStore,
  type HotspotKit,
  type SmsLogEntry,
  type SmsMessage,
  type SmsSender,
} from '@hotspot-kit/core';
import { createPortal, type Portal } from '@hotspot-kit/portal-kit';
import express from 'express';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = 2;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PHONE = '+14155552671';

function capturingSms(): SmsSender & { last: SmsMessage | undefined } {
  let n = 0;
  const sms = {
    last: undefined as SmsMessage | undefined,
    async send(message: SmsMessage): Promise<SmsLogEntry> {
      sms.last = message;
      n += 1;
      const now = new Date();
      return {
        id: `s${n}`,
        to: message.to,
        text: '',
        purpose: message.purpose,
        status: 'sent',
        createdAt: now,
        updatedAt: now,
        attempts: [],
      };
    },
  };
  return sms;
}

async function seed(kit: HotspotKit, vouchers: number): Promise<void> {
  const customer = await kit.customers.create({ phone: PHONE, name: 'Bench Customer' });
  const plan = await kit.plans.create({
    name: 'Day pass 5 GB',
    trafficLimit: { totalBytes: 5e9 },
    onlineTimeSeconds: 36_000,
    simultaneousDevices: 3,
    expiry: { kind: 'after-activation', seconds: 7 * 86_400 },
  });
  const t0 = kit.now().getTime() - 3 * 3600_000;
  for (let i = 0; i < vouchers; i++) {
    const v = await kit.vouchers.create({ planId: plan.id, customerId: customer.id });
    if (i % 3 === 2) continue; // some stay new
    await kit.vouchers.activate(v.id, {
      mac: `aa:bb:cc:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    });
    const base = { sessionId: `s-${i}`, voucherId: v.id };
    await kit.usage.record({
      ...base,
      type: 'start',
      inputOctets: 0,
      outputOctets: 0,
      sessionTime: 0,
      eventTime: new Date(t0),
    });
    await kit.usage.record({
      ...base,
      type: i % 4 === 0 ? 'interim' : 'stop',
      inputOctets: 20_000_000 * (i % 7),
      outputOctets: 90_000_000 * (i % 5),
      sessionTime: 1800,
      eventTime: new Date(t0 + 1800_000),
    });
  }
}

/** Signs in through the real OTP flow; returns the session cookie header. */
async function signIn(portal: Portal, sms: ReturnType<typeof capturingSms>): Promise<string> {
  const base = 'http://bench.local/portal';
  const call = async (path: string, cookie: string, form?: Record<string, string>) => {
    const res = await portal.fetch(
      new Request(`${base}${path}`, {
        method: form ? 'POST' : 'GET',
        headers: { cookie, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: form ? new URLSearchParams(form) : undefined,
      }),
      { basePath: '/portal', clientIp: '192.0.2.1' },
    );
    const set = res.headers.getSetCookie().find((c) => c.startsWith('hotspot_portal='));
    return { res, cookie: set ? (set.split(';')[0] as string) : cookie, text: await res.text() };
  };
  let step = await call('/', '');
  const csrf = () => /name="_csrf" value="([^"]+)"/.exec(step.text)?.[1] ?? '';
  step = await call('/login', step.cookie, { _csrf: csrf(), phone: PHONE });
  step = await call('/code', step.cookie);
  const code = /(\d{6})/.exec(sms.last?.text ?? '')?.[1] ?? '';
  step = await call('/code', step.cookie, { _csrf: csrf(), code });
  if (step.res.status !== 303) throw new Error(`bench sign-in failed: ${step.res.status}`);
  return step.cookie;
}

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  const server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** autocannon in its own process, so the load generator does not share the server's event loop. */
function load(
  url: string,
  cookie: string | undefined,
  seconds: number,
): Promise<{ rps: number; p99: number; non2xx: number; requests: number }> {
  const args = [AUTOCANNON, '-j', '-c', String(CONNECTIONS), '-d', String(seconds)];
  if (cookie) args.push('-H', `cookie=${cookie}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      const result = JSON.parse(stdout) as {
        requests: { average: number; total: number };
        latency: { p99: number };
        non2xx: number;
      };
      resolve({
        rps: result.requests.average,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        requests: result.requests.total,
      });
    });
  });
}

interface Round {
  rps: number;
  p99: number;
  /** Server CPU time (user + system) per answered request, in microseconds. */
  cpuUs: number;
}

/** One load run against `path`, with the server's CPU time per request. */
async function measure(url: string, cookie: string | undefined, seconds: number): Promise<Round> {
  const before = process.cpuUsage();
  const result = await load(url, cookie, seconds);
  const cpu = process.cpuUsage(before);
  if (result.non2xx > 0) throw new Error(`${url} answered ${result.non2xx} non-2xx responses`);
  return { rps: result.rps, p99: result.p99, cpuUs: (cpu.user + cpu.system) / Math.max(1, result.requests) };
}

/** Bytes of the body `path` answers with (and that it answers 200). */
async function bodyBytes(url: string, cookie?: string): Promise<number> {
  const res = await fetch(url, { headers: cookie ? { cookie } : {} });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return (await res.arrayBuffer()).byteLength;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function throughput(): Promise<void> {
  const sms = capturingSms();
  const kit = createHotspotKit({ store: createMemoryStore(), sms, secret: 'bench-secret-that-is-long-enough' });
  await seed(kit, 5);
  const portal = createPortal(kit, {
    rateLimits: { login: { limit: 1e6, windowSeconds: 60 }, verify: { limit: 1e6, windowSeconds: 60 } },
  });
  const cookie = await signIn(portal, sms);
  const page = await (
    await portal.fetch(new Request('http://bench.local/portal/status', { headers: { cookie } }), {
      basePath: '/portal',
    })
  ).text();

  // One app, one server: the portal mounted as users mount it, and the plainest Express route
  // sending the same page (res.send, with Express's defaults such as its ETag).
  const app = express();
  app.use('/portal', expressPortal(portal));
  app.get('/bare', (_req, res) => {
    res.type('html').send(page);
  });
  const { url, server } = await listen(app);
  try {
    const bareUrl = `${url}/bare`;
    const portalUrl = `${url}/portal/status`;
    const [bareBytes, portalBytes] = [await bodyBytes(bareUrl), await bodyBytes(portalUrl, cookie)];
    if (Math.abs(bareBytes - portalBytes) > 64) throw new Error(`page sizes differ: ${bareBytes} vs ${portalBytes}`);
    // Warm both paths (JIT, sockets), then alternate them so a busy moment on a shared machine
    // hits both sides alike; the ratio is taken per round, from runs next to each other.
    await load(bareUrl, undefined, WARMUP_SECONDS);
    await load(portalUrl, cookie, WARMUP_SECONDS);
    const bare: Round[] = [];
    const status: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bare.push(await measure(bareUrl, undefined, SECONDS));
      status.push(await measure(portalUrl, cookie, SECONDS));
    }
    const ratios = status.map((s, i) => s.rps / (bare[i] as Round).rps);
    const show = (rs: Round[]) =>
      `${median(rs.map((r) => r.rps)).toFixed(0)} req/s (rounds ${rs.map((r) => r.rps.toFixed(0)).join(', ')}; p99 ${median(rs.map((r) => r.p99))} ms; server CPU ${median(rs.map((r) => r.cpuUs)).toFixed(0)} µs/request)`;
    console.log(
      `status page: ${(portalBytes / 1024).toFixed(1)} KiB, 5 vouchers; bare page ${(bareBytes / 1024).toFixed(1)} KiB; ` +
        `autocannon ${CONNECTIONS} connections (keep-alive), ${ROUNDS} x ${SECONDS} s per side after ${WARMUP_SECONDS} s warm-ups`,
    );
    console.log(`bare Express route, same page:   ${show(bare)}`);
    console.log(`portal status page via Express:  ${show(status)}`);
    const ratio = median(ratios);
    console.log(
      `RATIO portal / bare: ${ratio.toFixed(2)} (target >= 0.40: ${ratio >= 0.4 ? 'met' : 'NOT met'}; per round ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    );
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** Server time of `portal.fetch` for a status page (no HTTP server), after a JIT warm-up. */
async function renderTime(vouchers: number, runs: number): Promise<void> {
  const sms = capturingSms();
  const kit = createHotspotKit({ store: createMemoryStore(), sms, secret: 'bench-secret-that-is-long-enough' });
  await seed(kit, vouchers);
  const portal = createPortal(kit);
  const cookie = await signIn(portal, sms);
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < runs + 20; i++) {
    const started = performance.now();
    const res = await portal.fetch(new Request('http://bench.local/portal/status', { headers: { cookie } }), {
      basePath: '/portal',
    });
    const bytes = await res.arrayBuffer();
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    size = bytes.byteLength;
    if (i >= 20) times.push(ms); // the first runs warm the JIT
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number).toFixed(2);
  console.log(
    `status page server time, ${vouchers} vouchers (${(size / 1024).toFixed(0)} KiB): median ${at(0.5)} ms, p95 ${at(0.95)} ms (portal.fetch, memory store)`,
  );
}

export async function run(): Promise<void> {
  await throughput();
  await renderTime(5, 1000);
  await renderTime(200, 100);
}
