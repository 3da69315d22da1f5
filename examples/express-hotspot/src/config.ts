import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/** Where the example lives: relative paths in the config file are taken from here. */
export const APP_DIR = resolve(import.meta.dirname, '..');

const flag = z.boolean();

const planSchema = z
  .object({
    name: z.string().min(1),
    downloadKbps: z.number().int().positive().optional(),
    uploadKbps: z.number().int().positive().optional(),
    trafficLimitMb: z.number().positive().optional(),
    onlineTimeMinutes: z.number().positive().optional(),
    simultaneousDevices: z.number().int().min(1).default(1),
    validHours: z.number().positive(),
  })
  .strict();

/**
 * The app's settings file (`config.json`). Kit options (`otp`, `portal`, `notifications`,
 * `phone`) are passed through to `createHotspotKit`, which validates them; gateway configs
 * are validated by `createSmsRouter`. Both errors name the bad field.
 */
export const appConfigSchema = z
  .object({
    port: z.number().int().min(0).max(65_535).default(3000),
    /** Interface to listen on; absent: every interface (a captive portal is reached over the LAN). */
    host: z.string().min(1).optional(),
    /** Public base URL (used in SMS links); default `http://localhost:<port>`. */
    publicUrl: z.string().url().optional(),
    /** HMAC keys; the first signs, all verify. Development: generated into `.data/` when absent. */
    secret: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    /** Bearer token for `/admin/*`. Development: generated into `.data/` when absent. */
    adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
    store: z
      .object({
        /** SQLite file (the default store), relative to the app folder. */
        sqlite: z.string().min(1).default('.data/hotspot.db'),
        /** PostgreSQL connection string; when set, PostgreSQL is used instead of SQLite. */
        postgres: z.string().min(1).optional(),
        /** PostgreSQL schema for the tables (default: the connection's current schema). */
        schema: z.string().min(1).optional(),
      })
      .strict()
      .default({ sqlite: '.data/hotspot.db' }),
    location: z
      .object({
        id: z.string().min(1).default('demo-cafe'),
        name: z.string().min(1).default('Demo Café'),
        timezone: z.string().default('UTC'),
        senderId: z.string().optional(),
        branding: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .default({ id: 'demo-cafe', name: 'Demo Café', timezone: 'UTC' }),
    sms: z
      .object({
        /** Put the development console gateway first in the list (prints SMS, sends nothing). */
        consoleGateway: flag.default(true),
        /** Gateway configs (DESIGN section 5), in priority order. */
        gateways: z.array(z.record(z.string(), z.unknown())).default([]),
        /** Run `router.startBalanceMonitor()` (gateways with `balanceCheck.enabled`). */
        balanceMonitor: flag.default(false),
      })
      .strict()
      .default({ consoleGateway: true, gateways: [], balanceMonitor: false }),
    splash: z
      .object({
        /** Verify the phone with an SMS code on the splash page. */
        otp: flag.default(true),
        /** The plan of the voucher a verified splash visitor gets. */
        plan: planSchema.default({ name: 'Free WiFi, 1 hour', simultaneousDevices: 1, validHours: 1 }),
      })
      .strict()
      .default({ otp: true, plan: { name: 'Free WiFi, 1 hour', simultaneousDevices: 1, validHours: 1 } }),
    otp: z.record(z.string(), z.unknown()).optional(),
    portal: z.record(z.string(), z.unknown()).optional(),
    notifications: z.record(z.string(), z.unknown()).optional(),
    phone: z.record(z.string(), z.unknown()).optional(),
    nas: z
      .object({
        /** Seconds between simulated interim accounting updates; 0 turns the simulator off. */
        intervalSeconds: z.number().min(0).default(5),
        /** Average download per tick, in kilobytes (upload is a quarter of it). */
        kilobytesPerTick: z.number().min(0).default(2048),
      })
      .strict()
      .default({ intervalSeconds: 5, kilobytesPerTick: 2048 }),
    /** FreeRADIUS's rest module answered at /radius (loopback only), and Disconnect/CoA to the NAS (docs/freeradius.md). */
    radius: z
      .object({
        enabled: flag.default(true),
        /** Passed to createFreeradiusHandler: vendors, interimIntervalSeconds, locale, messages, ... */
        handler: z.record(z.string(), z.unknown()).default({}),
        /** The NAS that take Disconnect/CoA ({ id, address, port?, secret }); validated by createRadiusDisconnector. */
        nas: z.array(z.unknown()).default([]),
        timeoutMs: z.number().int().positive().optional(),
        retries: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    demo: z
      .object({
        /** Seed demo data on first start (the demo customer is absent). */
        seed: flag.default(true),
        phone: z.string().default('+14155552671'),
        name: z.string().default('Demo Customer'),
      })
      .strict()
      .default({ seed: true, phone: '+14155552671', name: 'Demo Customer' }),
  })
  .strict();

export type AppConfig = z.output<typeof appConfigSchema>;
export type AppConfigInput = z.input<typeof appConfigSchema>;
export type PlanConfig = z.output<typeof planSchema>;

/** A settings problem, said in one message that names the field (and the file or variable). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Environment variables that override the config file. Each maps to one field; documented
 * in the example's README.
 */
export const ENV_OVERRIDES = {
  PORT: 'port',
  HOST: 'host',
  PUBLIC_URL: 'publicUrl',
  KIT_SECRET: 'secret (comma-separated for rotation)',
  ADMIN_TOKEN: 'adminToken',
  DATABASE_URL: 'store.postgres',
  DATABASE_SCHEMA: 'store.schema',
  SQLITE_FILE: 'store.sqlite',
  SMS_CONSOLE: 'sms.consoleGateway (0/1)',
  SMS_GATEWAYS_FILE: 'sms.gateways (a JSON file: one gateway or an array)',
  SPLASH_OTP: 'splash.otp (0/1)',
  PORTAL_OTP: 'portal.otp (0/1)',
  NAS_INTERVAL_SECONDS: 'nas.intervalSeconds (0: off)',
  DEMO_SEED: 'demo.seed (0/1)',
} as const;

function parseFlag(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name}=${value}: must be 0 or 1 (or true/false)`);
}

function parseNumber(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`${name}=${value}: must be a number`);
  return n;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

type Json = Record<string, unknown>;

function section(raw: Json, key: string): Json {
  const value = raw[key];
  if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw new ConfigError(`${key}: must be an object`);
  }
  const copy = { ...((value as Json | undefined) ?? {}) };
  raw[key] = copy;
  return copy;
}

/** Applies the environment overrides (see {@link ENV_OVERRIDES}) to a raw config object. */
export function applyEnvOverrides(input: unknown, env: Record<string, string | undefined>): Json {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError('The config must be a JSON object');
  }
  const raw: Json = { ...(input as Json) };
  const get = (name: keyof typeof ENV_OVERRIDES) => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const port = get('PORT');
  if (port !== undefined) raw.port = parseNumber('PORT', port);
  const host = get('HOST');
  if (host !== undefined) raw.host = host;
  const publicUrl = get('PUBLIC_URL');
  if (publicUrl !== undefined) raw.publicUrl = publicUrl;
  const secret = get('KIT_SECRET');
  if (secret !== undefined) raw.secret = secret.split(',').map((s) => s.trim());
  const adminToken = get('ADMIN_TOKEN');
  if (adminToken !== undefined) raw.adminToken = adminToken;
  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl !== undefined) section(raw, 'store').postgres = databaseUrl;
  const schema = get('DATABASE_SCHEMA');
  if (schema !== undefined) section(raw, 'store').schema = schema;
  const sqlite = get('SQLITE_FILE');
  if (sqlite !== undefined) section(raw, 'store').sqlite = sqlite;
  const consoleGateway = get('SMS_CONSOLE');
  if (consoleGateway !== undefined) section(raw, 'sms').consoleGateway = parseFlag('SMS_CONSOLE', consoleGateway);
  const gatewaysFile = get('SMS_GATEWAYS_FILE');
  if (gatewaysFile !== undefined) {
    const gateways = readJson(resolve(gatewaysFile), 'SMS_GATEWAYS_FILE');
    section(raw, 'sms').gateways = Array.isArray(gateways) ? gateways : [gateways];
  }
  const splashOtp = get('SPLASH_OTP');
  if (splashOtp !== undefined) section(raw, 'splash').otp = parseFlag('SPLASH_OTP', splashOtp);
  const portalOtp = get('PORTAL_OTP');
  if (portalOtp !== undefined) section(raw, 'portal').otp = parseFlag('PORTAL_OTP', portalOtp);
  const nas = get('NAS_INTERVAL_SECONDS');
  if (nas !== undefined) section(raw, 'nas').intervalSeconds = parseNumber('NAS_INTERVAL_SECONDS', nas);
  const seed = get('DEMO_SEED');
  if (seed !== undefined) section(raw, 'demo').seed = parseFlag('DEMO_SEED', seed);
  return raw;
}

/** Validates a raw config object; the error names every bad field. */
export function parseAppConfig(raw: unknown, source = 'config'): AppConfig {
  const result = appConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(root)';
    return `${path}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid ${source}: ${problems.join('; ')}`);
}

/**
 * Reads the config file (`HOTSPOT_CONFIG`, default `config.json` in the app folder), applies
 * the environment overrides and validates the result.
 */
export function loadAppConfig(env: Record<string, string | undefined> = process.env): {
  config: AppConfig;
  file: string;
} {
  const file = resolve(env.HOTSPOT_CONFIG ?? resolve(APP_DIR, 'config.json'));
  const raw = readJson(file, 'config file');
  const config = parseAppConfig(applyEnvOverrides(raw, env), `config (${file} and environment)`);
  return { config, file };
}

/** A path from the config, taken relative to `base` (the config file's folder). */
export function resolveFrom(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

/** The folder of the config file, for relative paths in it. */
export function configDir(file: string): string {
  return dirname(file);
}
