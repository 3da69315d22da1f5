// Benchmarks of @hotspot-kit/store-sql on SQLite and PostgreSQL, each against the bare driver
// (better-sqlite3 / pg, no Kysely) running the same statements:
//   1. interim accounting events per second through store.usage.applySessionUpdate (and kit.usage.record)
//   2. the portal's status read for a customer with 200 vouchers over a store holding the
//      state of 1,000,000 and then 2,000,000 ingested accounting events (p50 / p95)
//   3. OTP start+verify pairs per second (store primitives, and kit.otp.start + verify)
//   4. the portal's status page (portal.fetch, no HTTP) for that customer over 1M events on
//      SQLite: the first page's size and server time (target: <= 100 KiB, <= 5 ms)
// Run: npx tsx bench/run.ts store-sql   (BENCH_PARTS=status,postgres,... runs only those parts:
//      events, status, otp, postgres)
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createHotspotKit,
  type HotspotKit,
  type HotspotStore,
  type OtpChallengeRecord,
  type SessionRecord,
  type SmsLogEntry,
  type SmsMessage,
} from '@hotspot-kit/core';
import { createPortal } from '@hotspot-kit/portal-kit';
import { createPostgresStore, createSqliteStore, migratePostgres, migrateSqlite } from '@hotspot-kit/store-sql';
import Sqlite from 'better-sqlite3';
import pg from 'pg';

// ---------------------------------------------------------------------------------------------
// Workload shape. Raw events are never stored (the contract keeps sessions, running totals and
// per-day buckets), so "a store holding N events" is the state N events leave behind:
// every voucher has 5 sessions of 10 events (start, 8 interims, stop); every 20th voucher's
// last session is still open (start + 9 interims, seen a minute ago). 200 vouchers per customer.
// Doubling the events doubles the vouchers, customers, sessions and day buckets; the customer
// whose status is read (bc0, vouchers bv0..bv199) has the same data in both runs, so the ratio
// shows whether the read depends on the store's size.
// ---------------------------------------------------------------------------------------------
const EVENTS_PER_SESSION = 10;
const SESSIONS_PER_VOUCHER = 5;
const VOUCHERS_PER_CUSTOMER = 200;
const EVENTS_PER_VOUCHER = EVENTS_PER_SESSION * SESSIONS_PER_VOUCHER;
const OPEN_EVERY = 20;
const HISTORY_DAYS = 60;
const DOWN_PER_EVENT = 1_000_000;
const UP_PER_EVENT = 100_000;
const SECONDS_PER_EVENT = 300;
const DAY_MS = 86_400_000;

const NOW = Date.now();
const TODAY_MS = Math.floor(NOW / DAY_MS) * DAY_MS;
const dayString = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const TODAY = dayString(TODAY_MS);
const HISTORY_FROM = dayString(TODAY_MS - 29 * DAY_MS);
const SEEN_AFTER = new Date(NOW - 15 * 60_000);

const isOpen = (v: number, j: number) => v % OPEN_EVERY === 0 && j === SESSIONS_PER_VOUCHER - 1;
const dayOffset = (v: number, j: number) => (isOpen(v, j) ? 0 : (v * 7 + j * 13) % HISTORY_DAYS);
function sessionStart(v: number, j: number): number {
  if (isOpen(v, j)) return NOW - 60_000 - (EVENTS_PER_SESSION - 1) * SECONDS_PER_EVENT * 1000;
  return TODAY_MS - dayOffset(v, j) * DAY_MS + 8 * 3_600_000 + j * 3_600_000;
}

const LIMITS_JSON = JSON.stringify({
  simultaneousDevices: 3,
  expiry: { kind: 'after-activation', seconds: 400 * 86_400 },
});

const PARTS = new Set((process.env.BENCH_PARTS ?? 'events,status,otp,postgres').split(','));

// ---------------------------------------------------------------------------------------------
// Small timing helpers
// ---------------------------------------------------------------------------------------------
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Latencies of several variants measured in turns (a, b, c, a, b, c, ...), so that noise from
 * other processes on the machine hits every variant alike and their ratios stay meaningful.
 */
async function interleaved(
  iterations: number,
  variants: Record<string, () => Promise<unknown>>,
): Promise<Record<string, { p50: number; p95: number }>> {
  const names = Object.keys(variants);
  for (let i = 0; i < 20; i++) for (const name of names) await variants[name]?.();
  const times = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let i = 0; i < iterations; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length] as string;
      const t = performance.now();
      await variants[name]?.();
      times.get(name)?.push(performance.now() - t);
    }
  }
  const out: Record<string, { p50: number; p95: number }> = {};
  for (const [name, list] of times) {
    list.sort((a, b) => a - b);
    out[name] = { p50: percentile(list, 50), p95: percentile(list, 95) };
  }
  return out;
}

/** Runs `count` operations over `concurrency` workers; answers operations per second. */
async function throughput(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await fn(i);
    }),
  );
  return count / ((performance.now() - t) / 1000);
}

interface Row {
  what: string;
  store: string;
  bare: string;
  ratio: string;
}

function printTable(title: string, rows: Row[]): void {
  console.log(`\n## ${title}`);
  const head: Row = { what: '', store: 'store (Kysely)', bare: 'bare driver', ratio: 'store/bare' };
  const all = [head, ...rows];
  const w = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
  for (const r of all) {
    console.log(
      `  ${r.what.padEnd(w('what'))}  ${r.store.padStart(w('store'))}  ${r.bare.padStart(w('bare'))}  ${r.ratio.padStart(w('ratio'))}`,
    );
  }
}

const rate = (store: number, bare: number, what: string): Row => ({
  what,
  store: `${fmt(store)}/s`,
  bare: `${fmt(bare)}/s`,
  ratio: `${fmt(store / bare, 2)}x`,
});

const lat = (store: { p50: number; p95: number }, bare: { p50: number; p95: number }, what: string): Row => ({
  what,
  store: `p50 ${fmt(store.p50, 2)} ms, p95 ${fmt(store.p95, 2)} ms`,
  bare: `p50 ${fmt(bare.p50, 2)} ms, p95 ${fmt(bare.p95, 2)} ms`,
  ratio: `${fmt(store.p50 / bare.p50, 2)}x`,
});

// ---------------------------------------------------------------------------------------------
// Interim events: the same session rows, totals and day buckets the store writes
// ---------------------------------------------------------------------------------------------
const EVENT_SESSIONS = 200;

function eventSession(i: number, version: number, at: number): SessionRecord {
  return {
    sessionId: `ev-${i}`,
    voucherId: `ev-v${i % 100}`,
    inputBytes: version * UP_PER_EVENT,
    outputBytes: version * DOWN_PER_EVENT,
    sessionTime: version * SECONDS_PER_EVENT,
    rawInputOctets: version * UP_PER_EVENT,
    rawOutputOctets: version * DOWN_PER_EVENT,
    inputWraps: 0,
    outputWraps: 0,
    startedAt: new Date(NOW),
    lastEventAt: new Date(at),
    version,
  };
}

const DELTA = { downloadBytes: DOWN_PER_EVENT, uploadBytes: UP_PER_EVENT, onlineSeconds: SECONDS_PER_EVENT };

/** A measurement that can run several times: `round(count)` answers operations per second. */
type Round = (count: number) => Promise<number>;

/**
 * Runs two rounds alternately `times` times and keeps each one's best: other processes on a
 * shared machine only ever slow a round down, so the best round is the closest to the truth.
 */
async function bestOf(times: number, count: number, a: Round, b: Round): Promise<[number, number]> {
  let bestA = 0;
  let bestB = 0;
  for (let i = 0; i < times; i++) {
    bestA = Math.max(bestA, await a(count));
    bestB = Math.max(bestB, await b(count));
  }
  return [bestA, bestB];
}

/** Store path: one applySessionUpdate (CAS + totals + day bucket in one transaction) per event. */
async function storeEvents(store: HotspotStore, concurrency: number): Promise<Round> {
  const versions = new Array<number>(EVENT_SESSIONS).fill(0);
  for (let i = 0; i < EVENT_SESSIONS; i++) {
    await store.usage.applySessionUpdate({
      session: eventSession(i, 0, NOW),
      expectedVersion: null,
      delta: { downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 },
      day: TODAY,
    });
  }
  return (count) =>
    throughput(count, concurrency, async (n) => {
      // Each worker owns the sessions n ≡ worker (mod concurrency), so CAS never conflicts.
      const i = n % EVENT_SESSIONS;
      const v = versions[i] as number;
      versions[i] = v + 1;
      const ok = await store.usage.applySessionUpdate({
        session: eventSession(i, v + 1, NOW + n),
        expectedVersion: v,
        delta: DELTA,
        day: TODAY,
      });
      if (!ok) throw new Error('unexpected CAS conflict in the bench');
    });
}

const SQLITE_EVENT_SQL = {
  insertSession: `INSERT INTO hotspot_usage_sessions (session_id, voucher_id, customer_id, mac, nas_id, input_bytes, output_bytes, session_time, raw_input_octets, raw_output_octets, input_wraps, output_wraps, started_at, last_event_at, closed_at, closed_reason, version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING RETURNING session_id`,
  updateSession: `UPDATE hotspot_usage_sessions SET voucher_id = ?, customer_id = ?, mac = ?, nas_id = ?, input_bytes = ?, output_bytes = ?, session_time = ?, raw_input_octets = ?, raw_output_octets = ?, input_wraps = ?, output_wraps = ?, started_at = ?, last_event_at = ?, closed_at = ?, closed_reason = ?, version = ?
    WHERE session_id = ? AND version = ?`,
  totals: `INSERT INTO hotspot_usage_totals (voucher_id, download_bytes, upload_bytes, online_seconds) VALUES (?, ?, ?, ?)
    ON CONFLICT (voucher_id) DO UPDATE SET download_bytes = hotspot_usage_totals.download_bytes + excluded.download_bytes, upload_bytes = hotspot_usage_totals.upload_bytes + excluded.upload_bytes, online_seconds = hotspot_usage_totals.online_seconds + excluded.online_seconds`,
  daily: `INSERT INTO hotspot_usage_daily (voucher_id, day, download_bytes, upload_bytes, online_seconds) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (voucher_id, day) DO UPDATE SET download_bytes = hotspot_usage_daily.download_bytes + excluded.download_bytes, upload_bytes = hotspot_usage_daily.upload_bytes + excluded.upload_bytes, online_seconds = hotspot_usage_daily.online_seconds + excluded.online_seconds`,
};

/** Bare better-sqlite3: the same four statements, one BEGIN IMMEDIATE transaction per event. */
function bareSqliteEvents(db: Sqlite.Database): Round {
  const insert = db.prepare(SQLITE_EVENT_SQL.insertSession);
  const update = db.prepare(SQLITE_EVENT_SQL.updateSession);
  const totals = db.prepare(SQLITE_EVENT_SQL.totals);
  const daily = db.prepare(SQLITE_EVENT_SQL.daily);
  const versions = new Array<number>(EVENT_SESSIONS).fill(0);
  for (let i = 0; i < EVENT_SESSIONS; i++) {
    insert.run(`bare-${i}`, `bare-v${i % 100}`, null, null, null, 0, 0, 0, 0, 0, 0, 0, NOW, NOW, null, null, 0);
  }
  const apply = db.transaction((i: number, v: number, at: number) => {
    const r = update.run(
      `bare-v${i % 100}`,
      null,
      null,
      null,
      (v + 1) * UP_PER_EVENT,
      (v + 1) * DOWN_PER_EVENT,
      (v + 1) * SECONDS_PER_EVENT,
      (v + 1) * UP_PER_EVENT,
      (v + 1) * DOWN_PER_EVENT,
      0,
      0,
      NOW,
      at,
      null,
      null,
      v + 1,
      `bare-${i}`,
      v,
    );
    if (r.changes === 0) throw new Error('unexpected CAS conflict');
    totals.run(`bare-v${i % 100}`, DOWN_PER_EVENT, UP_PER_EVENT, SECONDS_PER_EVENT);
    daily.run(`bare-v${i % 100}`, TODAY, DOWN_PER_EVENT, UP_PER_EVENT, SECONDS_PER_EVENT);
  });
  return async (count) => {
    const t = performance.now();
    for (let n = 0; n < count; n++) {
      const i = n % EVENT_SESSIONS;
      const v = versions[i] as number;
      apply.immediate(i, v, NOW + n);
      versions[i] = v + 1;
    }
    return count / ((performance.now() - t) / 1000);
  };
}

/** Bare pg: the same statements in one READ COMMITTED transaction per event. */
async function barePgEvents(pool: pg.Pool, schema: string, concurrency: number): Promise<Round> {
  const q = (s: string) => toPg(s.replaceAll('hotspot_', `"${schema}".hotspot_`));
  const sqlInsert = q(SQLITE_EVENT_SQL.insertSession);
  const sqlUpdate = q(SQLITE_EVENT_SQL.updateSession);
  const sqlTotals = q(SQLITE_EVENT_SQL.totals);
  const sqlDaily = q(SQLITE_EVENT_SQL.daily);
  const at = (ms: number) => new Date(ms);
  const versions = new Array<number>(EVENT_SESSIONS).fill(0);
  for (let i = 0; i < EVENT_SESSIONS; i++) {
    await pool.query(sqlInsert, [
      `bare-${i}`,
      `bare-v${i % 100}`,
      null,
      null,
      null,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      at(NOW),
      at(NOW),
      null,
      null,
      0,
    ]);
  }
  return (count) =>
    throughput(count, concurrency, async (n) => {
      const i = n % EVENT_SESSIONS;
      const v = versions[i] as number;
      versions[i] = v + 1;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const r = await client.query(sqlUpdate, [
          `bare-v${i % 100}`,
          null,
          null,
          null,
          (v + 1) * UP_PER_EVENT,
          (v + 1) * DOWN_PER_EVENT,
          (v + 1) * SECONDS_PER_EVENT,
          (v + 1) * UP_PER_EVENT,
          (v + 1) * DOWN_PER_EVENT,
          0,
          0,
          at(NOW),
          at(NOW + n),
          null,
          null,
          v + 1,
          `bare-${i}`,
          v,
        ]);
        if (r.rowCount === 0) throw new Error('unexpected CAS conflict');
        await client.query(sqlTotals, [`bare-v${i % 100}`, DOWN_PER_EVENT, UP_PER_EVENT, SECONDS_PER_EVENT]);
        await client.query(sqlDaily, [`bare-v${i % 100}`, TODAY, DOWN_PER_EVENT, UP_PER_EVENT, SECONDS_PER_EVENT]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    });
}

/** `?` placeholders to `$1, $2, ...`. */
function toPg(sqlText: string): string {
  let n = 0;
  return sqlText.replace(/\?/g, () => `$${++n}`);
}

/** Through the kit: validation, voucher load, session CAS, lifecycle (limits, events). */
async function kitEvents(kit: HotspotKit, store: HotspotStore, count: number, concurrency: number): Promise<number> {
  const plan = await kit.plans.create({
    name: 'Bench',
    simultaneousDevices: 3,
    expiry: { kind: 'after-activation', seconds: 86_400 },
  });
  const vouchers: string[] = [];
  for (let i = 0; i < concurrency * 4; i++) {
    const v = await kit.vouchers.create({ planId: plan.id });
    await kit.vouchers.activate(v.id);
    vouchers.push(v.id);
  }
  const counters = new Map<number, number>();
  const sessions = vouchers.length;
  for (let i = 0; i < sessions; i++) {
    await kit.usage.record({
      type: 'start',
      sessionId: `kit-${i}`,
      voucherId: vouchers[i] as string,
      inputOctets: 0,
      outputOctets: 0,
      sessionTime: 0,
      eventTime: new Date(NOW),
    });
  }
  void store;
  return throughput(count, concurrency, async (n) => {
    const i = n % sessions;
    const k = (counters.get(i) ?? 0) + 1;
    counters.set(i, k);
    await kit.usage.record({
      type: 'interim',
      sessionId: `kit-${i}`,
      voucherId: vouchers[i] as string,
      inputOctets: k * UP_PER_EVENT,
      outputOctets: k * DOWN_PER_EVENT,
      sessionTime: k * 60,
      eventTime: new Date(NOW + k * 60_000),
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Seeding the state of N events
// ---------------------------------------------------------------------------------------------

/**
 * SQLite: replays every event through the store's own statements (session insert or CAS
 * update, totals and day-bucket upserts) with prepared better-sqlite3 statements, 50,000
 * events per transaction. Vouchers `fromVoucher`..`toVoucher - 1`.
 */
function seedSqlite(db: Sqlite.Database, fromVoucher: number, toVoucher: number): void {
  const insertCustomer = db.prepare(
    'INSERT INTO hotspot_customers (id, phone, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const insertVoucher = db.prepare(
    `INSERT INTO hotspot_vouchers (id, code, short_code, plan_id, plan_name, limits, customer_id, location_id, state, created_at, activated_at, expires_at, ended_at, end_reason, devices, version)
     VALUES (?, ?, NULL, 'bench-plan', 'Bench', ?, ?, NULL, 'active', ?, ?, ?, NULL, NULL, '[]', 1)`,
  );
  const insert = db.prepare(SQLITE_EVENT_SQL.insertSession);
  const update = db.prepare(SQLITE_EVENT_SQL.updateSession);
  const totals = db.prepare(SQLITE_EVENT_SQL.totals);
  const daily = db.prepare(SQLITE_EVENT_SQL.daily);
  const expires = NOW + 365 * DAY_MS;
  const replay = db.transaction((from: number, to: number) => {
    for (let v = from; v < to; v++) {
      const customer = Math.floor(v / VOUCHERS_PER_CUSTOMER);
      const customerId = `bc${customer}`;
      if (v % VOUCHERS_PER_CUSTOMER === 0)
        insertCustomer.run(customerId, `+3712${String(customer).padStart(7, '0')}`, NOW);
      insertVoucher.run(`bv${v}`, `BV${v}`, LIMITS_JSON, customerId, NOW - DAY_MS * 90 + v, NOW - DAY_MS * 80, expires);
      for (let j = 0; j < SESSIONS_PER_VOUCHER; j++) {
        const sid = `s${v}-${j}`;
        const start = sessionStart(v, j);
        const day = dayString(TODAY_MS - dayOffset(v, j) * DAY_MS);
        const open = isOpen(v, j);
        for (let k = 0; k < EVENTS_PER_SESSION; k++) {
          const at = start + k * SECONDS_PER_EVENT * 1000;
          if (k === 0) {
            insert.run(sid, `bv${v}`, customerId, null, 'nas-1', 0, 0, 0, 0, 0, 0, 0, start, at, null, null, 0);
            continue;
          }
          const stop = !open && k === EVENTS_PER_SESSION - 1;
          update.run(
            `bv${v}`,
            customerId,
            null,
            'nas-1',
            k * UP_PER_EVENT,
            k * DOWN_PER_EVENT,
            k * SECONDS_PER_EVENT,
            k * UP_PER_EVENT,
            k * DOWN_PER_EVENT,
            0,
            0,
            start,
            at,
            stop ? at : null,
            stop ? 'stop' : null,
            k,
            sid,
            k - 1,
          );
          totals.run(`bv${v}`, DOWN_PER_EVENT, UP_PER_EVENT, SECONDS_PER_EVENT);
          daily.run(`bv${v}`, day, DOWN_PER_EVENT, UP_PER_EVENT, SECONDS_PER_EVENT);
        }
      }
    }
  });
  const perTx = Math.floor(50_000 / EVENTS_PER_VOUCHER);
  for (let v = fromVoucher; v < toVoucher; v += perTx) replay(v, Math.min(toVoucher, v + perTx));
}

/**
 * PostgreSQL: the same final state written set-based (INSERT ... SELECT over generate_series),
 * since replaying a million events one statement at a time over the network would take minutes.
 */
async function seedPostgres(pool: pg.Pool, schema: string, fromVoucher: number, toVoucher: number): Promise<void> {
  const t = (name: string) => `"${schema}".${name}`;
  const last = toVoucher - 1;
  const p = { from: fromVoucher, last, now: new Date(NOW), today: TODAY };
  // Session j of voucher v, as in sessionStart()/dayOffset() above.
  const openExpr = `(v % ${OPEN_EVERY} = 0 AND j = ${SESSIONS_PER_VOUCHER - 1})`;
  const offsetExpr = `CASE WHEN ${openExpr} THEN 0 ELSE (v * 7 + j * 13) % ${HISTORY_DAYS} END`;
  const durationS = (EVENTS_PER_SESSION - 1) * SECONDS_PER_EVENT;
  const startExpr = `CASE WHEN ${openExpr} THEN $3::timestamptz - interval '60 seconds' - interval '${durationS} seconds'
    ELSE ($4::date - (${offsetExpr}))::timestamptz + interval '8 hours' + j * interval '1 hour' END`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO ${t('hotspot_customers')} (id, phone, created_at)
       SELECT 'bc' || c, '+3712' || lpad(c::text, 7, '0'), $3 FROM generate_series($1::int / ${VOUCHERS_PER_CUSTOMER}, $2::int / ${VOUCHERS_PER_CUSTOMER}) c
       ON CONFLICT DO NOTHING`,
      [p.from, p.last, p.now],
    );
    await client.query(
      `INSERT INTO ${t('hotspot_vouchers')} (id, code, plan_id, plan_name, limits, customer_id, state, created_at, activated_at, expires_at, devices, version)
       SELECT 'bv' || v, 'BV' || v, 'bench-plan', 'Bench', $3::jsonb, 'bc' || (v / ${VOUCHERS_PER_CUSTOMER}), 'active',
              $4::timestamptz - interval '90 days' + v * interval '1 millisecond', $4::timestamptz - interval '80 days', $4::timestamptz + interval '365 days', '[]'::jsonb, 1
       FROM generate_series($1::int, $2::int) v`,
      [p.from, p.last, LIMITS_JSON, p.now],
    );
    await client.query(
      `INSERT INTO ${t('hotspot_usage_sessions')} (session_id, voucher_id, customer_id, nas_id, input_bytes, output_bytes, session_time, raw_input_octets, raw_output_octets, input_wraps, output_wraps, started_at, last_event_at, closed_at, closed_reason, version)
       SELECT 's' || v || '-' || j, 'bv' || v, 'bc' || (v / ${VOUCHERS_PER_CUSTOMER}), 'nas-1',
              ${(EVENTS_PER_SESSION - 1) * UP_PER_EVENT}, ${(EVENTS_PER_SESSION - 1) * DOWN_PER_EVENT}, ${durationS},
              ${(EVENTS_PER_SESSION - 1) * UP_PER_EVENT}, ${(EVENTS_PER_SESSION - 1) * DOWN_PER_EVENT}, 0, 0,
              s.start, s.start + interval '${durationS} seconds',
              CASE WHEN ${openExpr} THEN NULL ELSE s.start + interval '${durationS} seconds' END,
              CASE WHEN ${openExpr} THEN NULL ELSE 'stop' END, ${EVENTS_PER_SESSION - 1}
       FROM generate_series($1::int, $2::int) v, generate_series(0, ${SESSIONS_PER_VOUCHER - 1}) j,
            LATERAL (SELECT ${startExpr} AS start) s`,
      [p.from, p.last, p.now, p.today],
    );
    const perSession = EVENTS_PER_SESSION - 1;
    await client.query(
      `INSERT INTO ${t('hotspot_usage_totals')} (voucher_id, download_bytes, upload_bytes, online_seconds)
       SELECT 'bv' || v, ${SESSIONS_PER_VOUCHER * perSession * DOWN_PER_EVENT}, ${SESSIONS_PER_VOUCHER * perSession * UP_PER_EVENT}, ${SESSIONS_PER_VOUCHER * perSession * SECONDS_PER_EVENT}
       FROM generate_series($1::int, $2::int) v`,
      [p.from, p.last],
    );
    await client.query(
      `INSERT INTO ${t('hotspot_usage_daily')} (voucher_id, day, download_bytes, upload_bytes, online_seconds)
       SELECT 'bv' || v, to_char($3::date - (${offsetExpr}), 'YYYY-MM-DD'),
              count(*) * ${perSession * DOWN_PER_EVENT}, count(*) * ${perSession * UP_PER_EVENT}, count(*) * ${perSession * SECONDS_PER_EVENT}
       FROM generate_series($1::int, $2::int) v, generate_series(0, ${SESSIONS_PER_VOUCHER - 1}) j
       GROUP BY 1, 2`,
      [p.from, p.last, p.today],
    );
    await client.query('COMMIT');
    await client.query(
      `ANALYZE ${t('hotspot_vouchers')}, ${t('hotspot_usage_sessions')}, ${t('hotspot_usage_totals')}, ${t('hotspot_usage_daily')}`,
    );
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------------
// The portal's status read
// ---------------------------------------------------------------------------------------------
const STATUS_CUSTOMER = 'bc0';

/** The store path: a customer's vouchers, their totals, open sessions, 30 days of history. */
async function storeStatusRead(store: HotspotStore): Promise<number> {
  const vouchers = await store.vouchers.listByCustomer(STATUS_CUSTOMER);
  const ids = vouchers.map((v) => v.id);
  const totals = await store.usage.getTotalsMany(ids);
  const open = await store.usage.openSessions(ids, SEEN_AFTER);
  const history = await store.usage.dailyHistory(ids, HISTORY_FROM, TODAY);
  if (
    vouchers.length !== VOUCHERS_PER_CUSTOMER ||
    totals.size !== VOUCHERS_PER_CUSTOMER ||
    open.length === 0 ||
    history.length === 0
  ) {
    throw new Error(
      `status read came back short: ${vouchers.length} vouchers, ${open.length} open, ${history.length} days`,
    );
  }
  return vouchers.length;
}

/** The kit path: the portal's voucher list (statuses, usage, remaining) and the history chart. */
async function kitStatusRead(kit: HotspotKit): Promise<number> {
  const vouchers = await kit.vouchers.listForCustomer(STATUS_CUSTOMER);
  const history = await kit.usage.history(STATUS_CUSTOMER, { from: HISTORY_FROM, to: TODAY });
  if (vouchers.length !== VOUCHERS_PER_CUSTOMER || history.length === 0)
    throw new Error('kit status read came back short');
  return vouchers.length;
}

// The statements the store runs for the status read; the id list is one parameter.
const STATUS_SQL = {
  vouchers: `SELECT id, code, short_code, plan_id, plan_name, limits, customer_id, location_id, state, created_at, activated_at, expires_at, ended_at, end_reason, devices, version
    FROM hotspot_vouchers WHERE customer_id = ? ORDER BY created_at DESC, id DESC`,
  totals: 'SELECT voucher_id, download_bytes, upload_bytes, online_seconds FROM hotspot_usage_totals WHERE #IDS#',
  open: 'SELECT * FROM hotspot_usage_sessions WHERE #IDS# AND closed_at IS NULL AND last_event_at > ? ORDER BY started_at, session_id',
  history: `SELECT day, SUM(download_bytes) AS download_bytes, SUM(upload_bytes) AS upload_bytes, SUM(online_seconds) AS online_seconds
    FROM hotspot_usage_daily WHERE #IDS# AND day >= ? AND day <= ? GROUP BY day ORDER BY day`,
};
const sqliteIds = (s: string) => s.replace('#IDS#', 'voucher_id IN (SELECT value FROM json_each(?))');
const pgIds = (s: string) => s.replace('#IDS#', 'voucher_id = ANY(?::text[])');

interface VoucherRow {
  id: string;
  limits: unknown;
  devices: unknown;
}

function bareSqliteStatusRead(db: Sqlite.Database): () => Promise<number> {
  const vouchers = db.prepare(STATUS_SQL.vouchers);
  const totals = db.prepare(sqliteIds(STATUS_SQL.totals));
  const open = db.prepare(sqliteIds(STATUS_SQL.open));
  const history = db.prepare(sqliteIds(STATUS_SQL.history));
  return async () => {
    const rows = vouchers.all(STATUS_CUSTOMER) as VoucherRow[];
    for (const r of rows) {
      r.limits = JSON.parse(r.limits as string);
      r.devices = JSON.parse(r.devices as string);
    }
    const ids = JSON.stringify(rows.map((r) => r.id));
    totals.all(ids);
    open.all(ids, SEEN_AFTER.getTime());
    history.all(ids, HISTORY_FROM, TODAY);
    return rows.length;
  };
}

function barePgStatusRead(pool: pg.Pool, schema: string): () => Promise<number> {
  const q = (s: string) => toPg(pgIds(s).replaceAll('hotspot_', `"${schema}".hotspot_`));
  const sqlVouchers = q(STATUS_SQL.vouchers);
  const sqlTotals = q(STATUS_SQL.totals);
  const sqlOpen = q(STATUS_SQL.open);
  const sqlHistory = q(STATUS_SQL.history);
  return async () => {
    const { rows } = await pool.query<VoucherRow>(sqlVouchers, [STATUS_CUSTOMER]);
    const ids = rows.map((r) => r.id);
    await pool.query(sqlTotals, [ids]);
    await pool.query(sqlOpen, [ids, SEEN_AFTER]);
    await pool.query(sqlHistory, [ids, HISTORY_FROM, TODAY]);
    return rows.length;
  };
}

// ---------------------------------------------------------------------------------------------
// The portal's status page (HTML) for the customer with 200 vouchers
// ---------------------------------------------------------------------------------------------
const STATUS_PHONE = '+37120000000'; // bc0's phone, as seeded

/** Signs bc0 in (portal OTP off: by phone) and times `GET /status`, the first page and the older ones. */
async function portalStatusPage(store: HotspotStore): Promise<void> {
  const kit = createHotspotKit({ store, secret: 'bench-secret-bench-secret-bench-secret', portal: { otp: false } });
  const portal = createPortal(kit, { rateLimits: { login: { limit: 1e6, windowSeconds: 60 } } });
  const get = (path: string, cookie: string) =>
    portal.fetch(new Request(`http://bench.local/portal${path}`, { headers: { cookie } }), { basePath: '/portal' });
  const login = await portal.fetch(
    new Request('http://bench.local/portal/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: STATUS_PHONE }),
    }),
    { basePath: '/portal' },
  );
  const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
  if (login.status !== 200 || !cookie) throw new Error(`portal sign-in failed: ${login.status}`);
  const times: number[] = [];
  let first = '';
  let cpu = process.cpuUsage();
  for (let i = 0; i < 220; i++) {
    if (i === 20) cpu = process.cpuUsage();
    const t = performance.now();
    const res = await get('/status', cookie);
    const body = await res.text();
    if (i >= 20) times.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`status page answered ${res.status}`);
    first = body;
  }
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / times.length;
  times.sort((a, b) => a - b);
  const bytes = new TextEncoder().encode(first).byteLength;
  const cards = (page: string) => (page.match(/data-voucher-id=/g) ?? []).length;
  // Follow the "older vouchers" links to the end: every voucher once.
  let shown = cards(first);
  let pages = 1;
  let next = /rel="next" href="\/portal([^"#]+)/.exec(first)?.[1];
  while (next) {
    const page = await (await get(next.replaceAll('&amp;', '&'), cookie)).text();
    shown += cards(page);
    pages += 1;
    next = /rel="next" href="\/portal([^"#]+)/.exec(page)?.[1];
  }
  const p50 = percentile(times, 50);
  console.log(
    `  portal status page (portal.fetch, SQLite, 200 vouchers over 1M events): first page ${fmt(bytes / 1024, 1)} KiB with ${cards(first)} vouchers,` +
      ` server time p50 ${fmt(p50, 2)} ms, p95 ${fmt(percentile(times, 95), 2)} ms (CPU ${fmt(cpuMs, 2)} ms a page); ${pages} pages hold all ${shown}` +
      ` (target: <= 100 KiB, <= 5 ms: ${bytes <= 100 * 1024 && p50 <= 5 ? 'met' : 'NOT met'})`,
  );
}

// ---------------------------------------------------------------------------------------------
// OTP start + verify pairs
// ---------------------------------------------------------------------------------------------
function challenge(i: number, prefix: string): OtpChallengeRecord {
  const now = new Date();
  return {
    id: `${prefix}-${i}`,
    phone: `+3712${String(i % 10_000_000).padStart(7, '0')}`,
    purpose: 'portal',
    codeHmac: 'f'.repeat(64),
    createdAt: now,
    expiresAt: new Date(now.getTime() + 300_000),
    attempts: 0,
    sends: 1,
    lastSentAt: now,
    resendAfter: new Date(now.getTime() + 30_000),
  };
}

/** Store primitives of one start + verify: insert, guarded attempt, consume. */
function storeOtpPairs(store: HotspotStore, concurrency: number): Round {
  let done = 0;
  return async (count) => {
    const offset = done;
    done += count;
    return throughput(count, concurrency, (i) => storeOtpPair(store, offset + i));
  };
}

async function storeOtpPair(store: HotspotStore, i: number): Promise<void> {
  const c = challenge(i, 'store');
  await store.otp.insert(c);
  if ((await store.otp.registerAttempt(c.id, 5)) !== 1) throw new Error('attempt refused');
  if (!(await store.otp.consume(c.id, new Date()))) throw new Error('consume refused');
}

const OTP_SQL = {
  insert: `INSERT INTO hotspot_otp_challenges (id, phone, purpose, code_hmac, created_at, expires_at, attempts, sends, last_sent_at, resend_after, consumed_at, superseded_at, ip, location_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  attempt: `UPDATE hotspot_otp_challenges SET attempts = attempts + 1 WHERE id = ? AND attempts < ? AND consumed_at IS NULL AND superseded_at IS NULL RETURNING attempts`,
  consume: `UPDATE hotspot_otp_challenges SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL AND superseded_at IS NULL`,
};

function bareSqliteOtpPairs(db: Sqlite.Database): Round {
  const insert = db.prepare(OTP_SQL.insert);
  const attempt = db.prepare(OTP_SQL.attempt);
  const consume = db.prepare(OTP_SQL.consume);
  let done = 0;
  return async (count) => {
    const t = performance.now();
    for (let i = done; i < done + count; i++) {
      const c = challenge(i, 'bare');
      insert.run(
        c.id,
        c.phone,
        c.purpose,
        c.codeHmac,
        c.createdAt.getTime(),
        c.expiresAt.getTime(),
        0,
        1,
        c.lastSentAt.getTime(),
        c.resendAfter.getTime(),
        null,
        null,
        null,
        null,
      );
      if ((attempt.get(c.id, 5) as { attempts: number } | undefined)?.attempts !== 1)
        throw new Error('attempt refused');
      if (consume.run(Date.now(), c.id).changes !== 1) throw new Error('consume refused');
    }
    done += count;
    return count / ((performance.now() - t) / 1000);
  };
}

function barePgOtpPairs(pool: pg.Pool, schema: string, concurrency: number): Round {
  const q = (s: string) => toPg(s.replaceAll('hotspot_', `"${schema}".hotspot_`));
  const [insert, attempt, consume] = [q(OTP_SQL.insert), q(OTP_SQL.attempt), q(OTP_SQL.consume)];
  let done = 0;
  return async (count) => {
    const offset = done;
    done += count;
    return throughput(count, concurrency, async (n) => {
      const c = challenge(offset + n, 'bare');
      await pool.query(insert, [
        c.id,
        c.phone,
        c.purpose,
        c.codeHmac,
        c.createdAt,
        c.expiresAt,
        0,
        1,
        c.lastSentAt,
        c.resendAfter,
        null,
        null,
        null,
        null,
      ]);
      const { rows } = await pool.query(attempt, [c.id, 5]);
      if (rows[0]?.attempts !== 1) throw new Error('attempt refused');
      if ((await pool.query(consume, [new Date(), c.id])).rowCount !== 1) throw new Error('consume refused');
    });
  };
}

/** An SMS sender that delivers instantly and hands the code to the bench. */
function capturingSender(): { send(m: SmsMessage): Promise<SmsLogEntry>; codes: Map<string, string> } {
  const codes = new Map<string, string>();
  return {
    codes,
    async send(m) {
      const code = /\b(\d{4,10})\b/.exec(m.text)?.[1];
      if (code) codes.set(m.to, code);
      const now = new Date();
      return {
        id: `sms-${codes.size}`,
        to: m.to,
        text: m.logText ?? m.text,
        purpose: m.purpose,
        status: 'sent',
        createdAt: now,
        updatedAt: now,
        attempts: [],
      };
    },
  };
}

function makeKit(store: HotspotStore, sms?: ReturnType<typeof capturingSender>): HotspotKit {
  return createHotspotKit({
    store,
    ...(sms ? { sms } : {}),
    secret: 'bench-secret-bench-secret-bench-secret',
    otp: { limits: { perPhone: false, perIp: false, perSubnet: false, perCallingCode: false, global: false } },
  });
}

async function kitOtpPairs(store: HotspotStore, count: number, concurrency: number, offset: number): Promise<number> {
  const sms = capturingSender();
  const kit = makeKit(store, sms);
  return throughput(count, concurrency, async (n) => {
    const phone = `+3712${String(offset + n).padStart(7, '0')}`;
    const started = await kit.otp.start({ phone, purpose: 'portal', ip: '198.51.100.7' });
    if (!started.ok) throw new Error(`otp.start refused: ${started.reason}`);
    const code = sms.codes.get(phone);
    if (!code) throw new Error('no code captured');
    const verified = await kit.otp.verify({ challengeId: started.challengeId, code });
    if (!verified.ok) throw new Error(`otp.verify refused: ${verified.reason}`);
  });
}

/** Runs a kit-level measurement, or says why it could not (the kit is built by other issues). */
async function tryKit<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    console.log(`  ${what}: not measured (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// SQLite
// ---------------------------------------------------------------------------------------------
async function sqliteBench(dir: string): Promise<void> {
  console.log('\n# SQLite (better-sqlite3, WAL, synchronous=NORMAL, file in the temp directory)');

  // 1. Events.
  if (PARTS.has('events')) {
    const store = await createSqliteStore({ filename: join(dir, 'events.db') });
    const bare = new Sqlite(join(dir, 'events.db'));
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = NORMAL');
    const [storeRate, bareRate] = await bestOf(5, 4_000, await storeEvents(store, 1), bareSqliteEvents(bare));
    bare.close();
    printTable(
      'Interim accounting events (one at a time, each its own BEGIN IMMEDIATE transaction; best of 5 rounds of 4,000)',
      [rate(storeRate, bareRate, 'usage.applySessionUpdate')],
    );
    const kitRate = await tryKit('kit.usage.record', () => kitEvents(makeKit(store), store, 5_000, 1));
    if (kitRate !== undefined)
      console.log(`  kit.usage.record (validation, voucher load, CAS, lifecycle): ${fmt(kitRate)}/s`);
    await store.close();
  }

  // 2. Status read over 1M and over 2M events: two files, measured in turns.
  if (PARTS.has('status')) {
    const file1 = join(dir, 'status-1m.db');
    const file2 = join(dir, 'status-2m.db');
    const vouchers1 = 1_000_000 / EVENTS_PER_VOUCHER;
    let t = performance.now();
    await migrateSqlite({ filename: file1 });
    let seed = new Sqlite(file1);
    seedSqlite(seed, 0, vouchers1);
    seed.pragma('wal_checkpoint(TRUNCATE)');
    seed.close();
    console.log(
      `  seeded 1,000,000 events (${fmt(vouchers1)} vouchers) by replaying each through the store's statements (prepared, 50,000 per transaction) in ${fmt((performance.now() - t) / 1000, 1)} s`,
    );
    t = performance.now();
    copyFileSync(file1, file2);
    seed = new Sqlite(file2);
    seedSqlite(seed, vouchers1, 2 * vouchers1);
    seed.pragma('wal_checkpoint(TRUNCATE)');
    seed.close();
    console.log(
      `  copied it and replayed 1,000,000 more (another ${fmt(vouchers1)} vouchers) in ${fmt((performance.now() - t) / 1000, 1)} s`,
    );

    const store1 = await createSqliteStore({ filename: file1 });
    const store2 = await createSqliteStore({ filename: file2 });
    const bare1 = new Sqlite(file1);
    const bare2 = new Sqlite(file2);
    const r = await interleaved(300, {
      store1: () => storeStatusRead(store1),
      store2: () => storeStatusRead(store2),
      bare1: bareSqliteStatusRead(bare1),
      bare2: bareSqliteStatusRead(bare2),
    });
    printTable('Portal status read: 200 vouchers, their totals, open sessions, 30 days of history', [
      lat(r.store1!, r.bare1!, '1M events (20,000 vouchers)'),
      lat(r.store2!, r.bare2!, '2M events (40,000 vouchers)'),
    ]);
    console.log(
      `  2M/1M p50: store ${fmt(r.store2!.p50 / r.store1!.p50, 2)}x, bare ${fmt(r.bare2!.p50 / r.bare1!.p50, 2)}x (target: p50 < 10 ms, 2M/1M < 1.2x)`,
    );
    const kit1 = makeKit(store1);
    const kit2 = makeKit(store2);
    const k = await tryKit('kit status read', () =>
      interleaved(100, { kit1: () => kitStatusRead(kit1), kit2: () => kitStatusRead(kit2) }),
    );
    if (k) {
      console.log(
        `  kit.vouchers.listForCustomer + kit.usage.history: 1M p50 ${fmt(k.kit1!.p50, 2)} ms (p95 ${fmt(k.kit1!.p95, 2)}), 2M p50 ${fmt(k.kit2!.p50, 2)} ms (p95 ${fmt(k.kit2!.p95, 2)}), 2M/1M ${fmt(k.kit2!.p50 / k.kit1!.p50, 2)}x`,
      );
    }
    await portalStatusPage(store1);
    bare1.close();
    bare2.close();
    await store1.close();
    await store2.close();
  }

  // 3. OTP pairs.
  if (PARTS.has('otp')) {
    const filename = join(dir, 'otp.db');
    const store = await createSqliteStore({ filename });
    const bare = new Sqlite(filename);
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = NORMAL');
    const [storeRate, bareRate] = await bestOf(5, 2_000, storeOtpPairs(store, 1), bareSqliteOtpPairs(bare));
    bare.close();
    printTable('OTP start+verify pairs (insert + registerAttempt + consume; best of 5 rounds)', [
      rate(storeRate, bareRate, 'store primitives'),
    ]);
    const kitRate = await tryKit('kit.otp.start + verify', () => kitOtpPairs(store, 2_000, 1, 0));
    if (kitRate !== undefined)
      console.log(`  kit.otp.start + kit.otp.verify (HMAC, limits, SMS stub): ${fmt(kitRate)} pairs/s`);
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------
async function findPostgres(): Promise<string | { reason: string }> {
  const candidates = process.env.PG_URL
    ? [process.env.PG_URL]
    : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
  let reason = '';
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      return url;
    } catch (error) {
      reason = (error as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { reason };
}

async function postgresBench(connectionString: string): Promise<void> {
  const CONCURRENCY = 8;
  console.log(`\n# PostgreSQL (pg, pool of 10, ${CONCURRENCY} concurrent callers, own schema per part)`);
  const prefix = `hk_bench_${process.pid}`;
  const admin = new pg.Pool({ connectionString, max: 10 });
  const schemas: string[] = [];
  const open = async (part: string) => {
    const schema = `${prefix}_${part}`;
    schemas.push(schema);
    await migratePostgres({ connectionString, schema });
    return { schema, store: await createPostgresStore({ connectionString, schema, poolSize: 10, migrate: false }) };
  };
  try {
    {
      const { schema, store } = await open('events');
      const [storeRate, bareRate] = await bestOf(
        5,
        800,
        await storeEvents(store, CONCURRENCY),
        await barePgEvents(admin, schema, CONCURRENCY),
      );
      printTable('Interim accounting events (each its own transaction; best of 5 rounds of 800)', [
        rate(storeRate, bareRate, 'usage.applySessionUpdate'),
      ]);
      const kitRate = await tryKit('kit.usage.record', () => kitEvents(makeKit(store), store, 2_000, CONCURRENCY));
      if (kitRate !== undefined) console.log(`  kit.usage.record: ${fmt(kitRate)}/s`);
      await store.close();
    }
    {
      const vouchers1 = 1_000_000 / EVENTS_PER_VOUCHER;
      const a = await open('status1m');
      const b = await open('status2m');
      let t = performance.now();
      await seedPostgres(admin, a.schema, 0, vouchers1);
      console.log(
        `  wrote the state of 1,000,000 events (${fmt(vouchers1)} vouchers) set-based in ${fmt((performance.now() - t) / 1000, 1)} s`,
      );
      t = performance.now();
      await seedPostgres(admin, b.schema, 0, 2 * vouchers1);
      console.log(
        `  wrote the state of 2,000,000 events (${fmt(2 * vouchers1)} vouchers) set-based in ${fmt((performance.now() - t) / 1000, 1)} s`,
      );
      const r = await interleaved(200, {
        store1: () => storeStatusRead(a.store),
        store2: () => storeStatusRead(b.store),
        bare1: barePgStatusRead(admin, a.schema),
        bare2: barePgStatusRead(admin, b.schema),
      });
      printTable('Portal status read: 200 vouchers, their totals, open sessions, 30 days of history (one caller)', [
        lat(r.store1!, r.bare1!, '1M events (20,000 vouchers)'),
        lat(r.store2!, r.bare2!, '2M events (40,000 vouchers)'),
      ]);
      console.log(
        `  2M/1M p50: store ${fmt(r.store2!.p50 / r.store1!.p50, 2)}x, bare ${fmt(r.bare2!.p50 / r.bare1!.p50, 2)}x`,
      );
      const kit1 = makeKit(a.store);
      const kit2 = makeKit(b.store);
      const k = await tryKit('kit status read', () =>
        interleaved(100, { kit1: () => kitStatusRead(kit1), kit2: () => kitStatusRead(kit2) }),
      );
      if (k) {
        console.log(
          `  kit.vouchers.listForCustomer + kit.usage.history: 1M p50 ${fmt(k.kit1!.p50, 2)} ms (p95 ${fmt(k.kit1!.p95, 2)}), 2M p50 ${fmt(k.kit2!.p50, 2)} ms (p95 ${fmt(k.kit2!.p95, 2)}), 2M/1M ${fmt(k.kit2!.p50 / k.kit1!.p50, 2)}x`,
        );
      }
      await a.store.close();
      await b.store.close();
    }
    {
      const { schema, store } = await open('otp');
      const [storeRate, bareRate] = await bestOf(
        5,
        600,
        storeOtpPairs(store, CONCURRENCY),
        barePgOtpPairs(admin, schema, CONCURRENCY),
      );
      printTable('OTP start+verify pairs (insert + registerAttempt + consume; best of 5 rounds)', [
        rate(storeRate, bareRate, 'store primitives'),
      ]);
      const kitRate = await tryKit('kit.otp.start + verify', () => kitOtpPairs(store, 1_000, CONCURRENCY, 5_000_000));
      if (kitRate !== undefined) console.log(`  kit.otp.start + kit.otp.verify: ${fmt(kitRate)} pairs/s`);
      await store.close();
    }
  } finally {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

export async function run(): Promise<void> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-bench-'));
  try {
    await sqliteBench(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const postgres = PARTS.has('postgres') ? await findPostgres() : { reason: 'not in BENCH_PARTS' };
  if (typeof postgres === 'string') await postgresBench(postgres);
  else console.log(`\n# PostgreSQL: skipped (unreachable: ${postgres.reason})`);
  console.log(`\n(store-sql bench took ${fmt((performance.now() - started) / 1000, 0)} s)`);
}
