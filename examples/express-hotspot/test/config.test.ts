import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PortInUseError, startHotspotApp } from '../src/app.js';
import { applyEnvOverrides, ConfigError, loadAppConfig, parseAppConfig } from '../src/config.js';
import { bootApp, shippedConfig } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'express-hotspot-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config file and environment overrides', () => {
  it('the shipped config.json is valid and turns on splash OTP and the portal link', () => {
    const config = parseAppConfig(shippedConfig());
    expect(config.port).toBe(3000);
    expect(config.store.sqlite).toBe('.data/hotspot.db');
    expect(config.store.postgres).toBeUndefined();
    expect(config.splash.otp).toBe(true);
    expect((config.notifications as { statusPageLink: { enabled: boolean } }).statusPageLink.enabled).toBe(true);
  });

  it('environment variables override single fields', () => {
    const gateways = join(dir, 'gateways.json');
    writeFileSync(gateways, JSON.stringify({ id: 'x', type: 'custom', url: 'https://sms.example.com' }));
    const raw = applyEnvOverrides(shippedConfig(), {
      PORT: '3100',
      DATABASE_URL: 'postgres://app@db/hotspot',
      DATABASE_SCHEMA: 'hotspot',
      KIT_SECRET: 'first-secret-0123456789, old-secret-0123456789',
      ADMIN_TOKEN: 'an-admin-token-of-some-length',
      SMS_CONSOLE: '0',
      SMS_GATEWAYS_FILE: gateways,
      SPLASH_OTP: 'false',
      PORTAL_OTP: 'off',
      NAS_INTERVAL_SECONDS: '0',
      DEMO_SEED: 'no',
      PUBLIC_URL: 'https://wifi.example.com',
    });
    const config = parseAppConfig(raw);
    expect(config.port).toBe(3100);
    expect(config.store).toEqual({
      sqlite: '.data/hotspot.db',
      postgres: 'postgres://app@db/hotspot',
      schema: 'hotspot',
    });
    expect(config.secret).toEqual(['first-secret-0123456789', 'old-secret-0123456789']);
    expect(config.adminToken).toBe('an-admin-token-of-some-length');
    expect(config.sms.consoleGateway).toBe(false);
    expect(config.sms.gateways).toEqual([{ id: 'x', type: 'custom', url: 'https://sms.example.com' }]);
    expect(config.splash.otp).toBe(false);
    expect(config.portal).toMatchObject({ otp: false });
    expect(config.nas.intervalSeconds).toBe(0);
    expect(config.demo.seed).toBe(false);
    expect(config.publicUrl).toBe('https://wifi.example.com');
    // Untouched fields keep the file's values.
    expect(config.location.name).toBe('Demo Café');
  });

  it('a bad variable is named', () => {
    expect(() => applyEnvOverrides({}, { SPLASH_OTP: 'maybe' })).toThrow('SPLASH_OTP=maybe: must be 0 or 1');
    expect(() => applyEnvOverrides({}, { PORT: 'eighty' })).toThrow('PORT=eighty: must be a number');
  });

  it('a bad field is named with the file', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ port: 70_000, splash: { otp: 'yes' }, colour: 'red' }));
    let error: unknown;
    try {
      loadAppConfig({ HOTSPOT_CONFIG: file });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toMatch(/port: .*65535/);
    expect(message).toContain('splash.otp');
    expect(message).toContain('colour');
  });

  it('a missing or broken config file is said plainly', () => {
    expect(() => loadAppConfig({ HOTSPOT_CONFIG: join(dir, 'nope.json') })).toThrow(
      /Cannot read config file .*nope\.json/,
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "port": 3000,, }');
    expect(() => loadAppConfig({ HOTSPOT_CONFIG: broken })).toThrow(/broken\.json is not valid JSON/);
  });
});

describe('starting', () => {
  it('a used port is a PortInUseError saying so', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const config = parseAppConfig({
        ...shippedConfig(),
        port,
        host: '127.0.0.1',
        store: { sqlite: join(dir, 'x.db') },
      });
      const start = startHotspotApp({ config, baseDir: dir, print: () => {} });
      await expect(start).rejects.toBeInstanceOf(PortInUseError);
      await expect(start).rejects.toThrow(`Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('an invalid gateway in the config is refused naming the field, and the port is freed', async () => {
    const gateways = [
      { id: 'bad', type: 'custom', url: 'https://sms.example.com', method: 'GET', contentType: 'json' },
    ];
    const config = parseAppConfig({
      ...shippedConfig(),
      port: 0,
      host: '127.0.0.1',
      store: { sqlite: join(dir, 'y.db') },
      sms: { consoleGateway: true, gateways },
    });
    await expect(startHotspotApp({ config, baseDir: dir, print: () => {} })).rejects.toThrow(
      /sms\.gateways\[0\]\.contentType: 'json' cannot be sent with method 'GET'/,
    );
  });

  it('no gateway at all is a configuration error', async () => {
    const config = parseAppConfig({
      ...shippedConfig(),
      port: 0,
      host: '127.0.0.1',
      store: { sqlite: join(dir, 'z.db') },
      sms: { consoleGateway: false, gateways: [] },
    });
    await expect(startHotspotApp({ config, baseDir: dir, print: () => {} })).rejects.toThrow(/no gateway configured/);
  });

  it('production refuses generated secrets', async () => {
    const config = parseAppConfig({ ...shippedConfig(), port: 0, store: { sqlite: join(dir, 'p.db') } });
    await expect(startHotspotApp({ config, baseDir: dir, production: true, print: () => {} })).rejects.toThrow(
      /KIT_SECRET and ADMIN_TOKEN/,
    );
  });

  it('a restart keeps the data and does not seed twice', async () => {
    const sqlite = join(dir, 'restart.db');
    const first = await bootApp({ store: { sqlite } });
    const seededPhone = first.app.seeded?.phone;
    await first.app.close();
    const second = await bootApp({ store: { sqlite } });
    try {
      expect(seededPhone).toBe('+14155552671');
      expect(second.app.seeded).toBeUndefined();
      const customer = await second.app.kit.customers.findByPhone('+14155552671');
      expect((await second.app.kit.vouchers.listForCustomer(customer!.id)).length).toBe(4);
      // The NAS picked the active voucher up again.
      expect(second.app.nas.online()).toHaveLength(1);
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});

describe('PostgreSQL with one setting', () => {
  const url = process.env.PG_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `hk_example_test_${process.pid}_${Date.now().toString(36)}`;

  it('runs the same app on PostgreSQL (store.postgres / DATABASE_URL)', async (ctx) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
    } catch (error) {
      if (process.env.CI) throw new Error(`PostgreSQL is required in CI: ${(error as Error).message}`);
      ctx.skip(`PostgreSQL not reachable at ${url}`);
    }
    try {
      const booted = await bootApp(applyEnvOverrides({}, { DATABASE_URL: url, DATABASE_SCHEMA: schema }));
      try {
        expect(booted.app.storeKind).toBe('postgres');
        expect(booted.app.seeded?.vouchers.active.status).toBeDefined();
        const customer = await booted.app.kit.customers.findByPhone('+14155552671');
        expect((await booted.app.kit.vouchers.listForCustomer(customer!.id)).map((v) => v.status)).toContain('online');
        const { rows } = await client.query(
          'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1',
          [schema],
        );
        expect((rows[0] as { n: number }).n).toBeGreaterThan(5);
      } finally {
        await booted.stop();
      }
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await client.end();
    }
  });
});
