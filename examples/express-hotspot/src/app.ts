import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { expressPortal } from '@hotspot-kit/adapter-express';
import {
  createHotspotKit,
  type HotspotKit,
  type HotspotStore,
  type Logger,
  type NotificationOptions,
  type OtpOptions,
  type PhoneKitOptions,
  type Plan,
  type PortalOptions,
} from '@hotspot-kit/core';
import { createPortal } from '@hotspot-kit/portal-kit';
import { createSmsRouter, isSmsError, parseGatewayConfigs, type SmsRouter } from '@hotspot-kit/sms';
import { createPostgresStore, createSqliteStore } from '@hotspot-kit/store-sql';
import express, { type NextFunction, type Request, type Response } from 'express';
import { adminRouter } from './admin.js';
import { APP_DIR, type AppConfig, ConfigError, type PlanConfig, resolveFrom } from './config.js';
import { type ConsoleSms, consoleGatewayConfig, consoleGatewayRouter, loopbackBaseUrl } from './console-gateway.js';
import { createNasSimulator, type NasSimulator } from './nas-simulator.js';
import { createRadiusWiring, type RadiusWiring } from './radius.js';
import { type DemoSeed, seedDemoData } from './seed.js';
import { splashRouter } from './splash.js';

/** Options of {@link startHotspotApp}. */
export interface HotspotAppOptions {
  config: AppConfig;
  /** Relative paths in the config are taken from here (the config file's folder). */
  baseDir?: string;
  /** Where generated development secrets live (default `<baseDir>/.data`). */
  dataDir?: string;
  /** Production refuses generated secrets (default: `NODE_ENV === 'production'`). */
  production?: boolean;
  /** Where the app prints (default `console.log`). */
  print?: (line: string) => void;
}

/** A running app. */
export interface HotspotApp {
  /** `http://localhost:<port>` (or `publicUrl`). */
  url: string;
  port: number;
  server: Server;
  kit: HotspotKit;
  store: HotspotStore;
  sms: SmsRouter;
  nas: NasSimulator;
  adminToken: string;
  /** Whether the admin token was generated (development) rather than configured. */
  adminTokenGenerated: boolean;
  /** What the console gateway printed, newest last (tests read OTP codes from it). */
  consoleMessages: ConsoleSms[];
  /** Set when demo data was seeded by this start. */
  seeded: DemoSeed | undefined;
  storeKind: 'sqlite' | 'postgres';
  /** Stops timers, the NAS, the server and the kit (closing the store). Safe to call twice. */
  close(): Promise<void>;
}

/** Thrown when the port is taken: `npm start` says so and exits non-zero. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly port: number) {
    super(
      `Port ${port} is already in use (is another hotspot app or server running?). ` +
        `Stop it, or start on another port: PORT=${port + 1} npm start`,
    );
  }
}

function listen(server: Server, port: number, host: string | undefined): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** A development secret kept in the data folder so restarts keep OTPs and portal links valid. */
function devSecret(dataDir: string, name: string): string {
  const file = `${dataDir}/${name}`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(24).toString('base64url');
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

function consoleLogger(print: (line: string) => void): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) =>
    print(`[kit] ${level} ${message}${fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`);
  return {
    debug() {},
    info: (m, f) => line('info', m, f),
    warn: (m, f) => line('warn', m, f),
    error: (m, f) => line('error', m, f),
  };
}

async function ensurePlan(kit: HotspotKit, config: PlanConfig): Promise<Plan> {
  const existing = (await kit.plans.list()).find((p) => p.name === config.name);
  if (existing) return existing;
  return kit.plans.create({
    name: config.name,
    ...(config.downloadKbps ? { downloadKbps: config.downloadKbps } : {}),
    ...(config.uploadKbps ? { uploadKbps: config.uploadKbps } : {}),
    ...(config.trafficLimitMb ? { trafficLimit: { totalBytes: Math.round(config.trafficLimitMb * 1024 * 1024) } } : {}),
    ...(config.onlineTimeMinutes ? { onlineTimeSeconds: Math.round(config.onlineTimeMinutes * 60) } : {}),
    simultaneousDevices: config.simultaneousDevices,
    expiry: { kind: 'after-activation', seconds: Math.round(config.validHours * 3600) },
  });
}

async function openStore(config: AppConfig, baseDir: string, logger: Logger): Promise<HotspotStore> {
  if (config.store.postgres) {
    return createPostgresStore({
      connectionString: config.store.postgres,
      ...(config.store.schema ? { schema: config.store.schema } : {}),
      logger, // a dropped database connection shows in the app's log
    });
  }
  const filename = resolveFrom(baseDir, config.store.sqlite);
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  return createSqliteStore({ filename });
}

/**
 * Starts the reference hotspot backend: listens first (so a taken port fails at once),
 * opens the store, builds the SMS router (the console gateway posts to this very server),
 * the kit, the portal, the splash page, the admin API and the simulated NAS.
 */
export async function startHotspotApp(options: HotspotAppOptions): Promise<HotspotApp> {
  const { config } = options;
  const print = options.print ?? ((line: string) => console.log(line));
  const baseDir = options.baseDir ?? APP_DIR;
  const dataDir = options.dataDir ?? resolveFrom(baseDir, '.data');
  const production = options.production ?? process.env.NODE_ENV === 'production';

  if (production && (!config.secret || !config.adminToken)) {
    throw new ConfigError('NODE_ENV=production needs KIT_SECRET and ADMIN_TOKEN (no generated development secrets)');
  }
  const secret = config.secret ?? devSecret(dataDir, 'kit-secret');
  const adminTokenGenerated = !config.adminToken;
  const adminToken = config.adminToken ?? devSecret(dataDir, 'admin-token');

  // Listen before anything else: requests wait for `handler` until the app is ready.
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('Starting, try again in a second');
  });
  server.keepAliveTimeout = 5_000;
  const address = await listen(server, config.port, config.host);
  const port = address.port;
  const url = (config.publicUrl ?? `http://localhost:${port}`).replace(/\/$/, '');

  // Shutdown order matters: the NAS and pending event handlers (notification SMS) finish while
  // the server still answers the console gateway; then the server stops; then kit → router →
  // store, each closed by whoever made it (the kit never closes the store or router it was given).
  const parts: {
    store?: HotspotStore;
    sms?: SmsRouter;
    kit?: HotspotKit;
    nas?: NasSimulator;
    radius?: RadiusWiring;
    timer?: NodeJS.Timeout;
  } = {};
  const step = async (what: string, run: () => unknown) => {
    try {
      await run();
    } catch (error) {
      print(`[app] while shutting down (${what}): ${(error as Error).message}`);
    }
  };
  const closeAll = async () => {
    const { store, sms, kit, nas, timer } = parts;
    if (timer) clearInterval(timer);
    if (nas) await step('nas', () => nas.stop());
    if (sms) await step('balance monitor', () => sms.stop());
    if (kit) await step('pending events', () => kit.settled());
    await step(
      'server',
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 1_000).unref();
        }),
    );
    // After the pending events: a disconnect in flight gets its answer first.
    if (parts.radius) await step('radius', () => parts.radius?.close());
    if (kit) await step('kit', () => kit.close());
    if (sms) await step('sms router', () => sms.close());
    if (store) await step('store', () => store.close());
  };

  try {
    const storeKind = config.store.postgres ? 'postgres' : 'sqlite';
    const store = await openStore(config, baseDir, consoleLogger(print));
    parts.store = store;

    // Checked on their own first, so that errors name the config file's own paths.
    try {
      parseGatewayConfigs(config.sms.gateways);
    } catch (error) {
      if (!isSmsError(error)) throw error;
      const problems = error.issues.map(
        (i) => `sms.gateways${i.path.startsWith('[') ? '' : '.'}${i.path}: ${i.message}`,
      );
      throw new ConfigError(`Invalid gateway config: ${problems.join('; ')}`);
    }
    let gatewayList = [
      ...(config.sms.consoleGateway ? [consoleGatewayConfig(loopbackBaseUrl(address))] : []),
      ...config.sms.gateways,
    ] as (Record<string, unknown> & { id: string })[];
    if (production && config.sms.consoleGateway) {
      print('[app] WARNING: the development console gateway is on in production: SMS are printed, not sent');
    }
    if (gatewayList.length === 0) {
      throw new ConfigError('sms: no gateway configured (turn on sms.consoleGateway or add sms.gateways)');
    }
    const sms = createSmsRouter({ gateways: gatewayList as never, log: store.smsLog, alerts: store.alerts });
    parts.sms = sms;

    const notifications = { ...(config.notifications ?? {}) } as Record<string, unknown>;
    const statusPageLink = { ...((notifications.statusPageLink as Record<string, unknown> | undefined) ?? {}) };
    if (statusPageLink.portalUrl === undefined) statusPageLink.portalUrl = `${url}/portal`;
    notifications.statusPageLink = statusPageLink;

    const kit = createHotspotKit({
      store,
      sms,
      secret,
      ...(config.otp ? { otp: config.otp as OtpOptions } : {}),
      ...(config.portal ? { portal: config.portal as PortalOptions } : {}),
      notifications: notifications as NotificationOptions,
      ...(config.phone ? { phone: config.phone as PhoneKitOptions } : {}),
      logger: consoleLogger(print),
    });
    parts.kit = kit;

    const location = await kit.locations.save({
      id: config.location.id,
      name: config.location.name,
      timezone: config.location.timezone,
      ...(config.location.senderId ? { senderId: config.location.senderId } : {}),
      ...(config.location.branding ? { branding: config.location.branding } : {}),
    });
    const splashPlan = await ensurePlan(kit, config.splash.plan);

    let seeded: DemoSeed | undefined;
    if (config.demo.seed && !(await kit.customers.findByPhone(config.demo.phone))) {
      seeded = await seedDemoData({
        store,
        secret,
        phone: config.demo.phone,
        name: config.demo.name,
        locationId: location.id,
        ...(config.phone ? { phoneOptions: config.phone as PhoneKitOptions } : {}),
      });
    }

    const nas = createNasSimulator({
      kit,
      intervalMs: config.nas.intervalSeconds * 1000,
      bytesPerTick: config.nas.kilobytesPerTick * 1024,
      print,
    });
    parts.nas = nas;

    // The host's side of the kit's events: disconnect what must go (RADIUS Disconnect / CoA).
    kit.events.on('voucher.exhausted', ({ voucher, reason }) => nas.disconnect(voucher.id, `limit reached: ${reason}`));
    kit.events.on('voucher.expired', ({ voucher }) => nas.disconnect(voucher.id, 'validity over'));
    kit.events.on('device.removed', ({ voucherId, device }) => {
      print(`[nas] device ${device.mac} removed from voucher ${voucherId}: would send a RADIUS Disconnect-Request`);
    });
    kit.events.on('sms.balance.low', ({ gatewayId, amount, currency, threshold }) => {
      print(`[sms] balance of gateway ${gatewayId} is low: ${amount} ${currency ?? ''} (threshold ${threshold})`);
    });

    // Bring the demo customer's active vouchers online (after a restart too).
    const demoCustomer = await kit.customers.findByPhone(config.demo.phone);
    if (demoCustomer) {
      for (const v of await kit.vouchers.listForCustomer(demoCustomer.id)) {
        if (v.status === 'active' || v.status === 'online') await nas.connect(v.id, v.devices[0]?.mac);
      }
    }

    // Housekeeping a host runs on timers: expiry, lost stops, notification retries.
    parts.timer = setInterval(() => {
      void Promise.allSettled([
        kit.vouchers.expireDue(),
        kit.usage.closeStaleSessions(),
        kit.notifications.retryFailed(),
      ]);
    }, 30_000);
    parts.timer.unref();

    const consoleMessages: ConsoleSms[] = [];
    const portal = createPortal(kit, { locationId: location.id });

    const app = express();
    app.disable('x-powered-by');
    app.set('trust proxy', 'loopback');
    app.use(consoleGatewayRouter({ print, keep: consoleMessages }));
    if (config.radius?.enabled) {
      parts.radius = createRadiusWiring(kit, config.radius, radiusLogger(print));
      app.use('/radius', parts.radius.handler);
    }
    app.use('/portal', expressPortal(portal));
    app.use(
      '/admin',
      adminRouter({
        token: adminToken,
        store,
        router: sms,
        gateways: {
          get: () => gatewayList as never,
          set: (next) => {
            gatewayList = next;
          },
        },
      }),
    );
    app.use(
      splashRouter({
        kit,
        otp: config.splash.otp,
        locationId: location.id,
        planId: splashPlan.id,
        nas,
        portalPath: '/portal',
      }),
    );
    app.get('/healthz', (_req, res) => {
      res.json({ ok: true });
    });
    app.use((_req, res) => {
      res.status(404).type('text').send('Not found. Try /splash, /portal or /admin');
    });
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      print(`[app] error: ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent) res.status(500).type('text').send('Something went wrong on our side.');
    });

    handler = app;
    nas.start();
    if (config.sms.balanceMonitor) sms.startBalanceMonitor();

    let closed: Promise<void> | undefined;
    return {
      url,
      port,
      server,
      kit,
      store,
      sms,
      nas,
      adminToken,
      adminTokenGenerated,
      consoleMessages,
      seeded,
      storeKind,
      close: () => {
        closed ??= closeAll();
        return closed;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Kit logs of the RADIUS side, as lines on the app's console. */
function radiusLogger(print: (line: string) => void) {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    print(`[radius] ${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  return { debug() {}, info: line('info'), warn: line('warn'), error: line('error') };
}
