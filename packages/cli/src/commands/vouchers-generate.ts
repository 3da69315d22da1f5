import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  createHotspotKit,
  createMemoryStore,
  type HotspotStore,
  isHotspotKitError,
  type PlanInput,
  type Voucher,
  type VoucherCodeOptions,
} from '@hotspot-kit/core';
import { CliFailure, CliUsageError, EXIT_CODES } from '../cli-errors.js';
import type { Command, OptionValues } from '../command.js';
import { num, str } from '../command.js';
import { toCsv } from '../csv.js';
import { databaseTarget, describeTarget, openStore } from '../database-url.js';
import { readJsonFile } from '../gateway-file.js';
import { parseDuration, parseSize } from '../units.js';

const NAME = 'vouchers generate';
const MAX_COUNT = 100_000;

/** The CSV columns, in order. */
export const VOUCHER_CSV_HEADER = [
  'code',
  'short_code',
  'plan',
  'traffic_total_bytes',
  'traffic_download_bytes',
  'traffic_upload_bytes',
  'online_time_seconds',
  'devices',
  'download_kbps',
  'upload_kbps',
  'expiry',
  'expires_at',
  'created_at',
  'id',
];

/** `hotspot-kit vouchers generate`: a series of vouchers to CSV, optionally saved to a database. */
export const vouchersGenerateCommand: Command = {
  name: NAME,
  summary: 'generate a series of voucher codes to CSV (plan limits from flags or a JSON file)',
  details:
    'Codes use an alphabet without look-alike characters and are unique within the series (and\n' +
    'within the database with --db). Without --db nothing is stored: print the CSV, import it\n' +
    'where you need it. With --db the plan and the vouchers are saved (migrations run first).\n' +
    'Sizes: 500MB, 1.5GB (binary units). Durations: 90m, 4h, 7d, 2w (a bare number is seconds).\n' +
    'The CSV goes to stdout (or --out); the summary to stderr.',
  options: {
    count: {
      type: 'string',
      short: 'n',
      value: '<n>',
      description: `How many vouchers (1 to ${MAX_COUNT})`,
      required: true,
    },
    plan: {
      type: 'string',
      short: 'p',
      value: '<file>',
      description: 'Plan as JSON (the fields of kit.plans.create); flags below override it',
    },
    name: { type: 'string', value: '<name>', description: 'Plan name (default "Voucher series")' },
    traffic: { type: 'string', value: '<size>', description: 'Total traffic limit, e.g. 1GB' },
    download: { type: 'string', value: '<size>', description: 'Download limit (with --upload: separate limits)' },
    upload: { type: 'string', value: '<size>', description: 'Upload limit (with --download)' },
    time: { type: 'string', value: '<duration>', description: 'Online-time limit, e.g. 4h' },
    devices: { type: 'string', value: '<n>', description: 'Simultaneous devices (default 1)' },
    'download-kbps': { type: 'string', value: '<kbit/s>', description: 'Download speed for the NAS' },
    'upload-kbps': { type: 'string', value: '<kbit/s>', description: 'Upload speed for the NAS' },
    valid: { type: 'string', value: '<duration>', description: 'Valid for this long after activation, e.g. 7d' },
    'valid-after-creation': { type: 'string', value: '<duration>', description: 'Valid for this long after creation' },
    'valid-until': { type: 'string', value: '<date>', description: 'Valid until a fixed date (ISO 8601)' },
    prefix: { type: 'string', value: '<text>', description: 'Code prefix, e.g. SUMMER-' },
    length: { type: 'string', value: '<n>', description: 'Characters after the prefix (default 10)' },
    'short-code-length': { type: 'string', value: '<n>', description: 'Also make numeric short codes of this length' },
    location: { type: 'string', value: '<id>', description: 'Location id to put on the vouchers' },
    out: { type: 'string', short: 'o', value: '<file>', description: 'Write the CSV here instead of stdout' },
    db: { type: 'string', value: '<file|url>', description: 'Save to this SQLite file or postgres:// URL' },
  },
  examples: [
    'hotspot-kit vouchers generate --count 500 --traffic 2GB --devices 2 --valid 7d --prefix CAFE- > cafe.csv',
    'hotspot-kit vouchers generate -n 100 --plan day-pass.json --out day-pass.csv --db .data/hotspot.db',
  ],
  async run(values, io) {
    const count = num(values, 'count', NAME, { min: 1, max: MAX_COUNT, integer: true }) as number;
    const plan = await planFrom(values, io.cwd);
    const prefix = str(values, 'prefix');
    const length = num(values, 'length', NAME, { min: 4, max: 32, integer: true });
    const shortCodeLength = num(values, 'short-code-length', NAME, { min: 4, max: 12, integer: true });
    const code: VoucherCodeOptions = {
      ...(prefix !== undefined ? { prefix } : {}),
      ...(length !== undefined ? { length } : {}),
      ...(shortCodeLength !== undefined ? { shortCodeLength } : {}),
    };
    const dbArg = str(values, 'db');
    const target = dbArg ? databaseTarget(dbArg, io.cwd) : undefined;
    let store: HotspotStore;
    if (target) {
      try {
        store = await openStore(target);
      } catch (error) {
        throw new CliFailure(`cannot open ${describeTarget(target)}: ${(error as Error).message}`);
      }
    } else {
      store = createMemoryStore();
    }
    const kit = createHotspotKit({ store, secret: randomBytes(32).toString('base64url') });
    let vouchers: Voucher[];
    try {
      const created = await kit.plans.create(plan).catch((error: unknown) => {
        if (isHotspotKitError(error) && error.issues.length > 0) {
          throw new CliUsageError('the plan is not valid', { issues: error.issues, command: NAME });
        }
        throw error;
      });
      const location = str(values, 'location');
      vouchers = await kit.vouchers.generateSeries({
        planId: created.id,
        count,
        code,
        ...(location ? { locationId: location } : {}),
      });
    } catch (error) {
      if (error instanceof CliUsageError) throw error;
      if (isHotspotKitError(error) && error.code.startsWith('INVALID')) {
        throw new CliUsageError(error.message, { issues: error.issues, command: NAME });
      }
      throw error;
    } finally {
      // The kit leaves the store open (whoever opens a resource closes it): kit, then store.
      await kit.close();
      await store.close();
    }

    const csv = toCsv(VOUCHER_CSV_HEADER, vouchers.map(csvRow));
    const out = str(values, 'out');
    if (out) {
      await writeFile(resolve(io.cwd, out), csv, 'utf8');
    } else {
      io.stdout(csv);
    }
    io.stderr(
      `Generated ${vouchers.length} vouchers (plan "${plan.name}")${out ? ` into ${out}` : ''}` +
        `${target ? `; saved to ${describeTarget(target)}` : '; not stored anywhere (no --db)'}\n`,
    );
    return EXIT_CODES.OK;
  },
};

function csvRow(v: Voucher): unknown[] {
  const limit = v.limits.trafficLimit;
  const expiry = v.limits.expiry;
  return [
    v.code,
    v.shortCode,
    v.planName,
    limit && 'totalBytes' in limit ? limit.totalBytes : undefined,
    limit && 'downloadBytes' in limit ? limit.downloadBytes : undefined,
    limit && 'uploadBytes' in limit ? limit.uploadBytes : undefined,
    v.limits.onlineTimeSeconds,
    v.limits.simultaneousDevices,
    v.limits.downloadKbps,
    v.limits.uploadKbps,
    expiry.kind === 'fixed'
      ? `fixed ${new Date(expiry.validUntil).toISOString()}`
      : `${expiry.kind} ${expiry.seconds}s`,
    v.expiresAt,
    v.createdAt,
    v.id,
  ];
}

function sizeFlag(values: OptionValues, name: string): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const bytes = parseSize(raw);
  if (bytes === null)
    throw new CliUsageError(`--${name} ${raw}: must be a size such as 500MB or 2GB`, { command: NAME });
  return bytes;
}

function durationFlag(values: OptionValues, name: string): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const seconds = parseDuration(raw);
  if (seconds === null)
    throw new CliUsageError(`--${name} ${raw}: must be a duration such as 90m, 4h or 7d`, { command: NAME });
  return seconds;
}

/** The plan: the JSON file (if any) with the flags on top. Validation is the kit's (it names fields). */
async function planFrom(values: OptionValues, cwd: string): Promise<PlanInput> {
  let plan: Record<string, unknown> = {};
  const file = str(values, 'plan');
  if (file) {
    const { value } = await readJsonFile(file, cwd, 'plan file', NAME);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new CliUsageError(`plan file ${file}: must hold one JSON object (the fields of kit.plans.create)`, {
        command: NAME,
      });
    }
    plan = { ...(value as Record<string, unknown>) };
    const expiry = plan.expiry as { kind?: string; validUntil?: unknown } | undefined;
    if (expiry?.kind === 'fixed' && typeof expiry.validUntil === 'string') {
      plan.expiry = { ...expiry, validUntil: new Date(expiry.validUntil) };
    }
  }
  const name = str(values, 'name');
  if (name !== undefined) plan.name = name;
  plan.name ??= 'Voucher series';

  const traffic = sizeFlag(values, 'traffic');
  const download = sizeFlag(values, 'download');
  const upload = sizeFlag(values, 'upload');
  if (traffic !== undefined && (download !== undefined || upload !== undefined)) {
    throw new CliUsageError('--traffic (one total) and --download/--upload (separate limits) do not go together', {
      command: NAME,
    });
  }
  if ((download === undefined) !== (upload === undefined)) {
    throw new CliUsageError('--download and --upload go together (or use --traffic for one total)', { command: NAME });
  }
  if (traffic !== undefined) plan.trafficLimit = { totalBytes: traffic };
  if (download !== undefined && upload !== undefined)
    plan.trafficLimit = { downloadBytes: download, uploadBytes: upload };
  const time = durationFlag(values, 'time');
  if (time !== undefined) plan.onlineTimeSeconds = time;
  const devices = num(values, 'devices', NAME, { min: 1, max: 1000, integer: true });
  if (devices !== undefined) plan.simultaneousDevices = devices;
  plan.simultaneousDevices ??= 1;
  const down = num(values, 'download-kbps', NAME, { min: 1, integer: true });
  if (down !== undefined) plan.downloadKbps = down;
  const up = num(values, 'upload-kbps', NAME, { min: 1, integer: true });
  if (up !== undefined) plan.uploadKbps = up;

  const valid = durationFlag(values, 'valid');
  const afterCreation = durationFlag(values, 'valid-after-creation');
  const until = str(values, 'valid-until');
  const given = [valid, afterCreation, until].filter((x) => x !== undefined).length;
  if (given > 1) {
    throw new CliUsageError('give one of --valid, --valid-after-creation and --valid-until', { command: NAME });
  }
  if (valid !== undefined) plan.expiry = { kind: 'after-activation', seconds: valid };
  if (afterCreation !== undefined) plan.expiry = { kind: 'after-creation', seconds: afterCreation };
  if (until !== undefined) {
    const date = new Date(until);
    if (Number.isNaN(date.getTime())) {
      throw new CliUsageError(`--valid-until ${until}: must be a date such as 2025-12-31 or 2025-12-31T23:59:00Z`, {
        command: NAME,
      });
    }
    plan.expiry = { kind: 'fixed', validUntil: date };
  }
  if (plan.expiry === undefined) {
    throw new CliUsageError(
      'say how long the vouchers stay valid: --valid 7d (after activation), --valid-after-creation 30d or --valid-until 2025-12-31',
      { command: NAME },
    );
  }
  return plan as unknown as PlanInput;
}
