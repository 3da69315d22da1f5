import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HotspotApp, startHotspotApp } from '../src/app.js';
import { APP_DIR, type AppConfig, parseAppConfig } from '../src/config.js';

/** The shipped config.json, as a newcomer gets it. */
export function shippedConfig(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(APP_DIR, 'config.json'), 'utf8')) as Record<string, unknown>;
}

/** Boots the app in-process on a free loopback port with a temp SQLite file. */
export async function bootApp(overrides: Record<string, unknown> = {}): Promise<{
  app: HotspotApp;
  config: AppConfig;
  lines: string[];
  dir: string;
  stop(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'express-hotspot-'));
  const config = parseAppConfig({
    ...shippedConfig(),
    port: 0,
    host: '127.0.0.1',
    store: { sqlite: join(dir, 'hotspot.db') },
    // The tests drive the simulated NAS by hand (nas.tick()).
    nas: { intervalSeconds: 0, kilobytesPerTick: 4096 },
    ...overrides,
  });
  const lines: string[] = [];
  const app = await startHotspotApp({ config, baseDir: dir, dataDir: join(dir, '.data'), print: (l) => lines.push(l) });
  return {
    app,
    config,
    lines,
    dir,
    async stop() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs a form like a browser does. */
export function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

/** The value of a hidden input in a page. */
export function hidden(page: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!m?.[1]) throw new Error(`no hidden field ${name} in the page`);
  return m[1];
}

/** Waits until `check` returns a value (polling), or fails after `ms`. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A browser-like visitor of the splash page: keeps the CSRF cookie and sends the hidden field. */
export async function splashVisitor(base: string, query = '') {
  const first = await fetch(`${base}/splash${query}`);
  const page = await first.text();
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = hidden(page, '_csrf');
  return {
    page,
    cookie,
    csrf,
    post(path: string, fields: Record<string, string>) {
      return postForm(`${base}${path}`, { _csrf: csrf, ...fields }, { cookie });
    },
  };
}
