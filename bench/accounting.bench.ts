// Accounting at operator scale, on SQLite (file, WAL) and PostgreSQL (pool of 10):
//  1. kit.usage.record with 64 concurrent callers sending interim updates for 400 open
//     sessions, against the bare driver (better-sqlite3 / pg, no kit, no Kysely) doing one
//     UPDATE per event in its own transaction at the same concurrency; events/s, the ratio and
//     how many events shared a transaction (group commit); then the same with one caller,
//     where nothing can be grouped;
//  2. kit.usage.recordMany replaying a buffer of events (a FreeRADIUS detail file);
//  3. durability: a child process records a burst and prints every event whose record() has
//     resolved; it is killed with SIGKILL mid-burst, the store is opened again and every
//     acknowledged event must be in the totals.
//   npm run bench -- accounting        (BENCH_ROUNDS, BENCH_EVENTS override the round size)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HotspotStore } from '@hotspot-kit/core';
import { migratePostgres } from '@hotspot-kit/store-sql';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import {
  CALLERS,
  countBatches,
  DOWN_PER_EVENT,
  drive,
  interim,
  makeKit,
  openStore,
  SECONDS_PER_EVENT,
  SESSIONS,
  type StoreTarget,
  seedSessions,
  T0,
  UP_PER_EVENT,
} from './accounting-workload.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** One UPDATE of the session's counters per event: the least a stored interim update costs. */
const BARE_UPDATE = `UPDATE hotspot_usage_sessions SET input_bytes = ?, output_bytes = ?, session_time = ?, last_event_at = ?, version = version + 1 WHERE session_id = ?`;
const BARE_INSERT = `INSERT INTO hotspot_usage_sessions (session_id, voucher_id, input_bytes, output_bytes, session_time, raw_input_octets, raw_output_octets, input_wraps, output_wraps, started_at, last_event_at, version)
  VALUES (?, ?, 0, 0, 0, 0, 0, 0, 0, ?, ?, 0)`;

type Send = (i: number, k: number) => Promise<unknown>;

function bareSqlite(filename: string): { send: Send; close(): void } {
  const db = new Sqlite(filename, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(BARE_INSERT);
  for (let i = 0; i < SESSIONS; i++) insert.run(`bare-${i}`, `bare-v${i}`, T0, T0);
  const update = db.prepare(BARE_UPDATE);
  const apply = db.transaction((i: number, k: number) => {
    update.run(k * UP_PER_EVENT, k * DOWN_PER_EVENT, k * SECONDS_PER_EVENT, T0 + k * 60_000, `bare-${i}`);
  });
  return {
    // better-sqlite3 is synchronous: the 64 callers take turns, each event BEGIN IMMEDIATE .. COMMIT.
    send: async (i, k) => apply.immediate(i, k),
    close: () => db.close(),
  };
}

async function barePostgres(pool: pg.Pool, schema: string): Promise<Send> {
  const q = (s: string) => {
    let n = 0;
    return s.replaceAll('hotspot_', `"${schema}".hotspot_`).replace(/\?/g, () => `$${++n}`);
  };
  const insert = q(BARE_INSERT);
  const update = q(BARE_UPDATE);
  for (let i = 0; i < SESSIONS; i++) await pool.query(insert, [`bare-${i}`, `bare-v${i}`, new Date(T0), new Date(T0)]);
  return async (i, k) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(update, [
        k * UP_PER_EVENT,
        k * DOWN_PER_EVENT,
        k * SECONDS_PER_EVENT,
        new Date(T0 + k * 60_000),
        `bare-${i}`,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
}

interface Rounds {
  kit: number[];
  bare: number[];
  /** Events per accounting transaction, on average, in the kit's rounds. */
  perTransaction: number;
}

/** Each side's last event number per session, carried across measurements (no replays). */
const counters = () => ({ kit: new Array<number>(SESSIONS).fill(0), bare: new Array<number>(SESSIONS).fill(0) });

/** Kit and bare rounds in turns (noise on a shared machine hits both alike); each side's rounds. */
async function rounds(
  count: number,
  kit: Send,
  bare: Send,
  state: { counts: { batches: number; writes: number }; at: ReturnType<typeof counters> },
  callers = CALLERS,
): Promise<Rounds> {
  const { counts } = state;
  const { kit: kitCounters, bare: bareCounters } = state.at;
  // Warm-up (JIT, statement caches, pool connections).
  await drive(Math.min(2_000, count), kitCounters, kit, callers);
  await drive(Math.min(2_000, count), bareCounters, bare, callers);
  const out: Rounds = { kit: [], bare: [], perTransaction: 0 };
  counts.batches = 0;
  counts.writes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    out.bare.push(await drive(count, bareCounters, bare, callers));
    out.kit.push(await drive(count, kitCounters, kit, callers));
  }
  out.perTransaction = counts.writes / Math.max(1, counts.batches);
  return out;
}

function report(title: string, r: Rounds, callers = CALLERS): void {
  const [k, b] = [median(r.kit), median(r.bare)];
  const target = callers === CALLERS ? `; target >= 0.5x: ${k / b >= 0.5 ? 'met' : 'NOT met'}` : '';
  const who = `${callers} concurrent caller${callers === 1 ? '' : 's'}`;
  console.log(`\n## ${title}: ${who}, ${SESSIONS} open sessions, ${ROUNDS} rounds each`);
  console.log(
    `  bare driver, one UPDATE per event, own transaction: ${fmt(b)}/s  (rounds ${r.bare.map((x) => fmt(x)).join(', ')})`,
  );
  console.log(
    `  kit.usage.record:                                    ${fmt(k)}/s  (rounds ${r.kit.map((x) => fmt(x)).join(', ')}; ${fmt(r.perTransaction, 1)} events per transaction)`,
  );
  console.log(`  RATIO kit / bare: ${fmt(k / b, 2)}x (median of rounds${target})`);
}

/** Replays a buffer (e.g. a FreeRADIUS detail file) through recordMany, if the kit has it. */
async function replay(store: HotspotStore, label: string, events: number): Promise<void> {
  const kit = makeKit(store);
  const recordMany = (kit.usage as { recordMany?: (e: unknown[]) => Promise<unknown[]> }).recordMany;
  if (typeof recordMany !== 'function') {
    console.log('  kit.usage.recordMany: not available');
    return;
  }
  const vouchers = await seedSessions(kit, `replay-${label}`);
  const counters = new Array<number>(SESSIONS).fill(0);
  const buffer = Array.from({ length: events }, (_, n) => {
    const i = n % SESSIONS;
    counters[i] = (counters[i] as number) + 1;
    return interim(`replay-${label}`, vouchers, i, counters[i] as number);
  });
  const started = performance.now();
  for (let at = 0; at < buffer.length; at += 1_000) await recordMany.call(kit.usage, buffer.slice(at, at + 1_000));
  const rate = events / ((performance.now() - started) / 1000);
  console.log(`  kit.usage.recordMany, one caller replaying ${fmt(events)} events in chunks of 1,000: ${fmt(rate)}/s`);
}

// ---------------------------------------------------------------------------------------------
// Durability: SIGKILL in the middle of a burst
// ---------------------------------------------------------------------------------------------
const BURST_CHILD = fileURLToPath(new URL('./accounting-burst.ts', import.meta.url));
const KILL_AFTER_ACKS = Number(process.env.BENCH_KILL_AFTER ?? 3_000);

/** Runs the burst child, kills it after KILL_AFTER_ACKS acknowledgements; the highest acked event per session. */
function burstAndKill(args: object): Promise<{ acked: number[]; count: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BURST_CHILD, JSON.stringify(args)], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked = new Array<number>(SESSIONS).fill(0);
    let count = 0;
    let rest = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') continue;
        const [i, k] = line.split(' ').map(Number) as [number, number];
        acked[i] = Math.max(acked[i] as number, k);
        count += 1;
      }
      if (!killed && count >= KILL_AFTER_ACKS) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`burst child ended without the kill (${signal ?? _code})`));
      else resolve({ acked, count });
    });
  });
}

async function durability(label: string, target: StoreTarget): Promise<void> {
  const prefix = `crash-${label}`;
  let store = await openStore(target);
  const vouchers = await seedSessions(makeKit(store), prefix);
  await store.close();
  const { acked, count } = await burstAndKill({ target, prefix, vouchers, start: new Array(SESSIONS).fill(0) });
  store = await openStore(target);
  try {
    const totals = await store.usage.getTotalsMany(vouchers);
    let missing = 0;
    let storedEvents = 0;
    for (let i = 0; i < SESSIONS; i++) {
      const t = totals.get(vouchers[i] as string);
      const stored = Math.round((t?.downloadBytes ?? 0) / DOWN_PER_EVENT);
      storedEvents += stored;
      if (stored < (acked[i] as number)) missing += 1;
    }
    const ackedEvents = acked.reduce((a, b) => a + b, 0);
    console.log(
      `  ${label}: SIGKILL after ${fmt(count)} acknowledged records; after restart the totals hold ${fmt(storedEvents)} events` +
        ` (>= the ${fmt(ackedEvents)} acknowledged per session), sessions missing an acknowledged event: ${missing}` +
        ` -> ${missing === 0 ? 'DURABLE' : 'LOST DATA'}`,
    );
    if (missing > 0) process.exitCode = 1;
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
async function sqlite(dir: string): Promise<void> {
  const filename = join(dir, 'accounting.db');
  const store = await openStore({ kind: 'sqlite', filename });
  const counts = countBatches(store);
  const kit = makeKit(store);
  const vouchers = await seedSessions(kit, 'kit');
  const bare = bareSqlite(filename);
  const count = Number(process.env.BENCH_EVENTS ?? 20_000);
  const send: Send = (i, k) => kit.usage.record(interim('kit', vouchers, i, k));
  const state = { counts, at: counters() };
  report('SQLite (file, WAL, synchronous=NORMAL)', await rounds(count, send, bare.send, state));
  // One caller: nothing to group, every event its own transaction (what group commit saves).
  report('SQLite, no concurrency', await rounds(Math.ceil(count / 5), send, bare.send, state, 1), 1);
  bare.close();
  await replay(store, 'sqlite', 20_000);
  await store.close();
  await durability('SQLite file', { kind: 'sqlite', filename: join(dir, 'crash.db') });
}

async function postgres(url: string): Promise<void> {
  const schema = `hk_bench_acct_${process.pid}`;
  const crashSchema = `${schema}_crash`;
  const admin = new pg.Pool({ connectionString: url, max: 10 });
  try {
    await migratePostgres({ connectionString: url, schema });
    const store = await openStore({ kind: 'postgres', url, schema });
    const counts = countBatches(store);
    const kit = makeKit(store);
    const vouchers = await seedSessions(kit, 'kit');
    const bare = await barePostgres(admin, schema);
    const count = Number(process.env.BENCH_EVENTS ?? 8_000);
    const send: Send = (i, k) => kit.usage.record(interim('kit', vouchers, i, k));
    const state = { counts, at: counters() };
    report('PostgreSQL (pool of 10 for each side)', await rounds(count, send, bare, state));
    report('PostgreSQL, no concurrency', await rounds(Math.ceil(count / 8), send, bare, state, 1), 1);
    await replay(store, 'postgres', 10_000);
    await store.close();
    await migratePostgres({ connectionString: url, schema: crashSchema });
    await durability('PostgreSQL', { kind: 'postgres', url, schema: crashSchema });
  } finally {
    for (const s of [schema, crashSchema]) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await admin.end();
  }
}

async function findPostgres(): Promise<string | undefined> {
  const url = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return url;
  } catch (error) {
    console.log(`\n# PostgreSQL: skipped (unreachable: ${(error as Error).message})`);
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-accounting-'));
  try {
    await sqlite(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = await findPostgres();
  if (url) await postgres(url);
}
