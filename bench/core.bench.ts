// Core domain benchmarks: accounting ingestion into the memory store, and voucher series.
//   npx tsx bench/run.ts core
import { type AccountingEvent, createHotspotKit, createMemoryStore, type HotspotKit } from '@hotspot-kit/core';

const SECRET = 'bench-secret-that-is-long-enough';

async function kitWithPlan(): Promise<{ kit: HotspotKit; planId: string }> {
  const kit = createHotspotKit({ store: createMemoryStore(), secret: SECRET });
  const plan = await kit.plans.create({
    name: 'Bench week',
    simultaneousDevices: 3,
    trafficLimit: { totalBytes: 2 ** 50 },
    onlineTimeSeconds: 10 ** 8,
    expiry: { kind: 'after-activation', seconds: 7 * 86_400 },
  });
  return { kit, planId: plan.id };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** start, 10 interims, stop for each of `sessions` sessions over `vouchers` vouchers, interleaved like real NAS traffic. */
function makeEvents(voucherIds: string[], sessions: number, withReplays: boolean): AccountingEvent[] {
  const t0 = Date.parse('2026-03-01T08:00:00Z');
  const out: AccountingEvent[] = [];
  for (let step = 0; step <= 11; step++) {
    for (let s = 0; s < sessions; s++) {
      const sessionTime = step * 300;
      const down = step * 150_000_000 * (1 + (s % 5));
      const up = step * 12_000_000;
      const e: AccountingEvent = {
        type: step === 0 ? 'start' : step === 11 ? 'stop' : 'interim',
        sessionId: `nas1-${s}`,
        voucherId: voucherIds[s % voucherIds.length] as string,
        mac: '02:00:00:00:00:01',
        nasId: 'nas1',
        inputOctets: up % 2 ** 32,
        inputGigawords: Math.floor(up / 2 ** 32),
        outputOctets: down % 2 ** 32,
        outputGigawords: Math.floor(down / 2 ** 32),
        sessionTime,
        eventTime: new Date(t0 + sessionTime * 1000),
      };
      out.push(e);
      // RADIUS retransmits: every fifth event arrives twice.
      if (withReplays && s % 5 === 0) out.push({ ...e });
    }
  }
  return out;
}

async function ingestion(label: string, withReplays: boolean): Promise<void> {
  const { kit, planId } = await kitWithPlan();
  const vouchers = await kit.vouchers.generateSeries({ planId, count: 500 });
  for (const v of vouchers) await kit.vouchers.activate(v.id);
  const ids = vouchers.map((v) => v.id);
  const warm = makeEvents(ids, 200, withReplays).map((e) => ({ ...e, sessionId: `warm-${e.sessionId}` }));
  for (const e of warm) await kit.usage.record(e);

  const rates: number[] = [];
  for (let round = 0; round < 3; round++) {
    const events = makeEvents(ids, 2_000, withReplays).map((e) => ({ ...e, sessionId: `r${round}-${e.sessionId}` }));
    const start = performance.now();
    for (const e of events) await kit.usage.record(e);
    const seconds = (performance.now() - start) / 1000;
    rates.push(events.length / seconds);
  }
  console.log(
    `usage ingestion (${label}, memory store, sequential): median ${Math.round(median(rates)).toLocaleString('en-US')} events/s ` +
      `(runs: ${rates.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')}; 24,000+ events per run)`,
  );
}

async function parallelIngestion(): Promise<void> {
  const { kit, planId } = await kitWithPlan();
  const vouchers = await kit.vouchers.generateSeries({ planId, count: 100 });
  for (const v of vouchers) await kit.vouchers.activate(v.id);
  const events = makeEvents(
    vouchers.map((v) => v.id),
    1_000,
    true,
  );
  const start = performance.now();
  // 64 in flight at a time, as a RADIUS server with many workers would deliver them.
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < events.length) await kit.usage.record(events[next++] as AccountingEvent);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `usage ingestion (64 concurrent, with replays, memory store): ${Math.round(events.length / seconds).toLocaleString('en-US')} events/s (${events.length} events)`,
  );
}

async function series(): Promise<void> {
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    const { kit, planId } = await kitWithPlan();
    const start = performance.now();
    const made = await kit.vouchers.generateSeries({ planId, count: 100_000, code: { prefix: 'BENCH-' } });
    times.push(performance.now() - start);
    if (new Set(made.map((v) => v.code)).size !== 100_000) throw new Error('duplicate codes in the series');
  }
  console.log(
    `voucher series of 100,000 codes (memory store): median ${Math.round(median(times))} ms (runs: ${times.map((t) => Math.round(t)).join(', ')} ms)`,
  );
}

export async function run(): Promise<void> {
  await ingestion('no replays', false);
  await ingestion('20% replays', true);
  await parallelIngestion();
  await series();
}
