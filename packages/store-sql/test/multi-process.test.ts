import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHotspotKit, type HotspotStore, type OtpChallengeRecord } from '@hotspot-kit/core';
import { createPostgresStore, createSqliteStore } from '@hotspot-kit/store-sql';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/migrations/migrations.js';
import { describeWithoutPostgres, dropSchemas, probePostgres, runPrefix } from './postgres-env.js';

// Real processes, each with its own store (its own pool or its own SQLite connection), racing
// on one OTP challenge and one notification key: the guarantees must hold across processes,
// not just across promises of one process.

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workerScript = fileURLToPath(new URL('./fixtures/race-worker.ts', import.meta.url));

interface RaceResult {
  attemptsWon: number;
  attemptValues: number[];
  consumesWon: number;
  claimsWon: number;
}

interface Worker {
  ready: Promise<void>;
  result: Promise<unknown>;
  go(): void;
}

function startWorker(task: Record<string, unknown>): Worker {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', workerScript, JSON.stringify(task)], {
    cwd: packageDir,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(packageDir, 'tsconfig.json') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const result = new Promise<unknown>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').includes('ready')) markReady();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = stdout.trim().split('\n').filter(Boolean).pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`race worker exited with ${code}: ${stderr || stdout}`));
        return;
      }
      resolve(JSON.parse(last));
    });
  });
  // A worker that dies before `ready` must not hang the test.
  result.catch(() => markReady());
  return { ready, result, go: () => child.stdin?.end('go\n') };
}

function challenge(id: string): OtpChallengeRecord {
  const now = new Date();
  return {
    id,
    phone: '+14155550100',
    purpose: 'portal',
    codeHmac: 'a'.repeat(64),
    createdAt: now,
    expiresAt: new Date(now.getTime() + 300_000),
    attempts: 0,
    sends: 1,
    lastSentAt: now,
    resendAfter: new Date(now.getTime() + 30_000),
  };
}

async function race(store: HotspotStore, processes: number, task: Record<string, unknown>): Promise<void> {
  await store.otp.insert(challenge('race-attempts'));
  await store.otp.insert(challenge('race-consume'));
  const workers = Array.from({ length: processes }, () =>
    startWorker({
      ...task,
      attemptChallengeId: 'race-attempts',
      consumeChallengeId: 'race-consume',
      notificationKey: 'status-page-link:customer:race',
      calls: 10,
    }),
  );
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.go();
  const results = (await Promise.all(workers.map((w) => w.result))) as RaceResult[];

  const attemptsWon = results.reduce((n, r) => n + r.attemptsWon, 0);
  expect(attemptsWon).toBe(5); // 10 calls per process, never more than maxAttempts in total
  expect(results.flatMap((r) => r.attemptValues).sort()).toEqual([1, 2, 3, 4, 5]);
  expect((await store.otp.get('race-attempts'))?.attempts).toBe(5);
  expect(results.reduce((n, r) => n + r.consumesWon, 0)).toBe(1);
  expect(results.reduce((n, r) => n + r.claimsWon, 0)).toBe(1);
  expect((await store.notifications.get('status-page-link:customer:race'))?.status).toBe('claimed');
}

/**
 * Processes each with its own kit (group commit, session cache) recording the same sessions'
 * events in different orders at once: every session counts exactly once, as its highest
 * counters, in the totals and the day buckets alike.
 */
async function accountingRace(store: HotspotStore, processes: number, task: Record<string, unknown>): Promise<void> {
  const kit = createHotspotKit({ store, secret: 'race-test-secret-0123456789' });
  const plan = await kit.plans.create({
    name: 'Race',
    simultaneousDevices: 5,
    expiry: { kind: 'after-creation', seconds: 10 * 365 * 86_400 },
  });
  const vouchers: string[] = [];
  for (let i = 0; i < 4; i++) vouchers.push((await kit.vouchers.create({ planId: plan.id })).id);
  const sessions = 24;
  const steps = 12;
  const workers = Array.from({ length: processes }, (_, i) =>
    startWorker({ ...task, accounting: { vouchers, sessions, steps, seed: 7919 * (i + 1) } }),
  );
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.go();
  expect(await Promise.all(workers.map((w) => w.result))).toEqual(
    Array(processes).fill({ recorded: sessions * steps }),
  );
  const last = steps - 1;
  const expected = new Map<string, number>(vouchers.map((v) => [v, 0]));
  for (let s = 0; s < sessions; s++) {
    const v = vouchers[s % vouchers.length] as string;
    expected.set(v, (expected.get(v) ?? 0) + last * 7_000_000 + s);
  }
  const totals = await store.usage.getTotalsMany(vouchers);
  expect(new Map([...totals].map(([v, t]) => [v, t.downloadBytes]))).toEqual(expected);
  for (const v of vouchers) expect(totals.get(v)).toMatchObject({ onlineSeconds: (sessions / 4) * last * 60 });
  const history = await store.usage.dailyHistory(vouchers, '2026-03-01', '2026-03-01');
  expect(history.map((d) => d.downloadBytes)).toEqual([[...expected.values()].reduce((a, b) => a + b, 0)]);
  expect(await store.usage.openSessions(vouchers, new Date(0))).toEqual([]);
}

describe('multi-process races on one SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-race-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('two processes: the guess cap, single consume and exactly-once claim hold', async () => {
    const filename = join(dir, 'race.db');
    const store = await createSqliteStore({ filename });
    try {
      await race(store, 2, { dialect: 'sqlite', filename });
    } finally {
      await store.close();
    }
  }, 90_000);

  it('three processes recording the same sessions through their kits count every session once', async () => {
    const filename = join(dir, 'accounting.db');
    const store = await createSqliteStore({ filename });
    try {
      await accountingRace(store, 3, { dialect: 'sqlite', filename });
    } finally {
      await store.close();
    }
  }, 120_000);

  it('two processes opening a new file at once both migrate it without error', async () => {
    const filename = join(dir, 'fresh.db');
    const workers = Array.from({ length: 2 }, () => startWorker({ dialect: 'sqlite', filename, openOnly: true }));
    for (const w of workers) w.go();
    expect(await Promise.all(workers.map((w) => w.result))).toEqual([{ opened: true }, { opened: true }]);
    const store = await createSqliteStore({ filename, migrate: false });
    expect(await store.customers.get('nobody')).toBeNull();
    await store.close();
  }, 90_000);
});

const probe = await probePostgres();

if (probe.ok) {
  describe('multi-process races on PostgreSQL', () => {
    const prefix = runPrefix('race');
    afterAll(async () => {
      const pool = new pg.Pool({ connectionString: probe.connectionString, max: 1 });
      await dropSchemas(pool, prefix);
      await pool.end();
    });

    it('four processes: the guess cap, single consume and exactly-once claim hold', async () => {
      const schema = `${prefix}_a`;
      const store = await createPostgresStore({ connectionString: probe.connectionString, schema, poolSize: 2 });
      try {
        await race(store, 4, { dialect: 'postgres', connectionString: probe.connectionString, schema });
      } finally {
        await store.close();
      }
    }, 90_000);

    it('three processes recording the same sessions through their kits count every session once', async () => {
      const schema = `${prefix}_c`;
      const store = await createPostgresStore({ connectionString: probe.connectionString, schema, poolSize: 2 });
      try {
        await accountingRace(store, 3, { dialect: 'postgres', connectionString: probe.connectionString, schema });
      } finally {
        await store.close();
      }
    }, 120_000);

    it('four processes opening a new schema at once migrate it exactly once', async () => {
      const schema = `${prefix}_b`;
      const workers = Array.from({ length: 4 }, () =>
        startWorker({ dialect: 'postgres', connectionString: probe.connectionString, schema, openOnly: true }),
      );
      for (const w of workers) w.go();
      expect(await Promise.all(workers.map((w) => w.result))).toEqual(Array(4).fill({ opened: true }));
      const pool = new pg.Pool({ connectionString: probe.connectionString, max: 1 });
      try {
        const { rows } = await pool.query(`SELECT version FROM "${schema}".hotspot_migrations`);
        expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await pool.end();
      }
    }, 90_000);
  });
} else {
  describeWithoutPostgres('multi-process races on PostgreSQL', probe.reason);
}
