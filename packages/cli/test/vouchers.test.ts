import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteStore } from '@hotspot-kit/store-sql';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trimEnd().split('\r\n');
  const names = (header ?? '').split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((v, i) => [names[i], v])));
}

describe('hotspot-kit vouchers generate', () => {
  it('prints a series as CSV with the plan limits; the summary goes to stderr', async () => {
    const { code, stdout, stderr } = await cli([
      'vouchers',
      'generate',
      '--count',
      '25',
      '--traffic',
      '2GB',
      '--time',
      '4h',
      '--devices',
      '2',
      '--valid',
      '7d',
      '--prefix',
      'CAFE-',
      '--length',
      '8',
      '--name',
      'Cafe week',
    ]);
    expect(code).toBe(0);
    const rows = parseCsv(stdout);
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((r) => r.code)).size).toBe(25);
    for (const row of rows) {
      expect(row.code).toMatch(/^CAFE-[A-Z0-9]{8}$/);
      expect(row.code).not.toMatch(/^CAFE-.*[01OIL]/);
      expect(row.plan).toBe('Cafe week');
      expect(row.traffic_total_bytes).toBe(String(2 * 1024 ** 3));
      expect(row.online_time_seconds).toBe('14400');
      expect(row.devices).toBe('2');
      expect(row.expiry).toBe('after-activation 604800s');
    }
    expect(stderr).toContain('Generated 25 vouchers (plan "Cafe week")');
    expect(stderr).toContain('not stored anywhere');
  });

  it('reads the plan from a JSON file, flags on top, and writes --out', async () => {
    const plan = tmp.file('plan.json', {
      name: 'Weekend',
      trafficLimit: { downloadBytes: 1_000_000_000, uploadBytes: 200_000_000 },
      simultaneousDevices: 3,
      expiry: { kind: 'fixed', validUntil: '2099-12-31T23:59:00Z' },
    });
    const { code, stdout } = await cli(
      [
        'vouchers',
        'generate',
        '-n',
        '3',
        '--plan',
        'plan.json',
        '--devices',
        '1',
        '--short-code-length',
        '6',
        '--out',
        'out.csv',
      ],
      tmp.dir,
    );
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(plan).toBeTruthy();
    const rows = parseCsv(readFileSync(join(tmp.dir, 'out.csv'), 'utf8'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      plan: 'Weekend',
      traffic_download_bytes: '1000000000',
      traffic_upload_bytes: '200000000',
      devices: '1',
      expiry: 'fixed 2099-12-31T23:59:00.000Z',
    });
    for (const row of rows) expect(row.short_code).toMatch(/^\d{6}$/);
  });

  it('--db saves the plan and vouchers to a SQLite file', async () => {
    const db = join(tmp.dir, 'vouchers.db');
    const { code, stdout, stderr } = await cli([
      'vouchers',
      'generate',
      '-n',
      '4',
      '--traffic',
      '500MB',
      '--valid',
      '1d',
      '--db',
      db,
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain(`saved to SQLite ${db}`);
    const codes = parseCsv(stdout).map((r) => r.code as string);
    const store = await createSqliteStore({ filename: db });
    try {
      for (const c of codes) {
        const voucher = await store.vouchers.getByCode(c);
        expect(voucher?.state).toBe('new');
        expect(voucher?.planName).toBe('Voucher series');
      }
      expect((await store.plans.list()).map((p) => p.name)).toContain('Voucher series');
    } finally {
      await store.close();
    }
  });

  it('without a validity it says which flags to use (exit 2)', async () => {
    const { code, stderr } = await cli(['vouchers', 'generate', '-n', '3']);
    expect(code).toBe(2);
    expect(stderr).toContain('say how long the vouchers stay valid: --valid 7d');
  });

  it.each([
    [['--count', '0', '--valid', '1d'], '--count 0: must be at least 1'],
    [['--count', 'ten', '--valid', '1d'], '--count ten: must be a number'],
    [['--count', '200000', '--valid', '1d'], '--count 200000: must be at most 100000'],
    [['--count', '2', '--valid', 'forever'], '--valid forever: must be a duration'],
    [['--count', '2', '--valid', '1d', '--traffic', 'lots'], '--traffic lots: must be a size'],
    [
      ['--count', '2', '--valid', '1d', '--traffic', '1GB', '--download', '1GB', '--upload', '1GB'],
      'do not go together',
    ],
    [['--count', '2', '--valid', '1d', '--download', '1GB'], '--download and --upload go together'],
    [['--count', '2', '--valid', '1d', '--valid-until', '2030-01-01'], 'give one of --valid'],
    [['--count', '2', '--valid-until', 'next tuesday'], '--valid-until next tuesday: must be a date'],
    [['--count', '2', '--valid', '1d', '--length', '2'], '--length 2: must be at least 4'],
  ])('bad flags %j are usage errors', async (flags, message) => {
    const { code, stdout, stderr } = await cli(['vouchers', 'generate', ...flags]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('a plan file the kit refuses is a usage error naming the field', async () => {
    tmp.file('bad-plan.json', {
      name: 'Broken',
      simultaneousDevices: 0,
      expiry: { kind: 'after-activation', seconds: 60 },
    });
    const { code, stderr } = await cli(['vouchers', 'generate', '-n', '2', '--plan', 'bad-plan.json'], tmp.dir);
    expect(code).toBe(2);
    expect(stderr).toContain('simultaneousDevices');
  });

  it('a plan file that is not an object or not JSON is refused', async () => {
    tmp.file('list-plan.json', [1, 2]);
    const list = await cli(['vouchers', 'generate', '-n', '2', '--plan', 'list-plan.json', '--valid', '1d'], tmp.dir);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('must hold one JSON object');
    tmp.file('junk-plan.json', 'name: x');
    const junk = await cli(['vouchers', 'generate', '-n', '2', '--plan', 'junk-plan.json', '--valid', '1d'], tmp.dir);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain('plan file junk-plan.json is not valid JSON');
  });
});
