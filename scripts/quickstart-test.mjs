#!/usr/bin/env node
// The README's quickstart, tried as a newcomer would: clone the repository into a temp folder,
// `npm ci` (or `npm install`), `npm start`, then walk splash -> activation -> portal in real
// headless Chromium with the codes the console gateway prints, check that a second `npm start`
// on the same port refuses plainly, and stop the first with Ctrl-C (SIGINT to its process
// group, as a terminal sends it).
//
//   npm run test:quickstart              clone of HEAD (what CI checks)
//   npm run test:quickstart -- --worktree copy of the working tree, uncommitted changes included
//   npm run test:quickstart -- --keep     keep the temp folder (its path is printed)
//
// Env: CHROMIUM_PATH (default /usr/bin/chromium), QUICKSTART_TIMEOUT_MS (default 600000),
// QUICKSTART_VERBOSE=1 (echo the server's output).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const keep = args.has('--keep');
const fromWorktree = args.has('--worktree');
const { CHROMIUM_PATH, QUICKSTART_TIMEOUT_MS, QUICKSTART_VERBOSE } = process.env;
const chromiumPath = CHROMIUM_PATH ?? '/usr/bin/chromium';
const deadline = Date.now() + Number(QUICKSTART_TIMEOUT_MS ?? 600_000);
const VISITOR = '+491701234567';

const results = [];
const started = Date.now();
const log = (message) => console.log(`[quickstart +${Math.round((Date.now() - started) / 1000)}s] ${message}`);

/** Runs one named check; a failure is recorded and stops the walk. */
async function check(name, run) {
  const t0 = Date.now();
  try {
    const detail = await run();
    results.push({ name, ok: true });
    log(`ok   ${name}${detail ? ` (${detail})` : ''} [${((Date.now() - t0) / 1000).toFixed(1)} s]`);
  } catch (error) {
    results.push({ name, ok: false, error });
    log(`FAIL ${name}: ${error?.message ?? error}`);
    throw error;
  }
}

function remaining(cap) {
  const left = deadline - Date.now();
  if (left <= 0) throw new Error('the quickstart test ran out of time');
  return Math.min(left, cap);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion; rejects with its tail of output when it fails. */
function run(command, argv, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? remaining(480_000));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else {
        const error = new Error(`${command} ${argv.join(' ')} exited ${code ?? signal}:\n${output.slice(-3000)}`);
        error.output = output;
        reject(error);
      }
    });
  });
}

/**
 * `npm start` in its own process group, its output collected line by line. `waitFor` resolves
 * with the first line (after `from`) matching a pattern.
 */
function startServer(cwd, env) {
  const child = spawn('npm', ['start'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = new Set();
  let partial = '';
  const onData = (chunk) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (QUICKSTART_VERBOSE) console.log(`  | ${line}`);
      for (const w of waiters) w();
    }
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let done = false;
  exited.then(() => {
    done = true;
    if (partial) lines.push(partial);
    for (const w of waiters) w();
  });
  return {
    child,
    lines,
    exited,
    output: () => lines.join('\n'),
    /** Sends a signal to the whole group, like Ctrl-C in a terminal. */
    signal(sig) {
      try {
        process.kill(-child.pid, sig);
      } catch {}
    },
    waitFor(pattern, { from = 0, timeout = 60_000, what = String(pattern) } = {}) {
      return new Promise((resolve, reject) => {
        const look = () => {
          for (let i = from; i < lines.length; i++) {
            const m = pattern.exec(lines[i]);
            if (m) return finish(() => resolve({ match: m, index: i }));
          }
          if (done) finish(() => reject(new Error(`npm start exited before ${what}:\n${lines.slice(-40).join('\n')}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`timed out waiting for ${what}:\n${lines.slice(-40).join('\n')}`))),
          remaining(timeout),
        );
        const finish = (fn) => {
          clearTimeout(timer);
          waiters.delete(look);
          fn();
        };
        waiters.add(look);
        look();
      });
    },
  };
}

/** The text of the next console-gateway SMS to `phone` (after line `from`) that matches `pattern`. */
async function nextSms(server, phone, pattern, from, what) {
  const escaped = phone.replace(/[+]/g, '\\+');
  let index = from;
  for (;;) {
    const head = await server.waitFor(new RegExp(`^\\[sms-console\\] ── SMS #\\d+ to ${escaped}\\b`), {
      from: index,
      timeout: 30_000,
      what,
    });
    const body = [];
    for (let i = head.index + 1; i < server.lines.length && server.lines[i].startsWith('[sms-console] │'); i++) {
      body.push(server.lines[i].replace(/^\[sms-console\] │ ?/, ''));
    }
    // The body lines follow the header at once; give a slow pipe a moment.
    if (body.length === 0) await new Promise((r) => setTimeout(r, 100));
    const text = body.join('\n') || (server.lines[head.index + 1] ?? '').replace(/^\[sms-console\] │ ?/, '');
    const m = pattern.exec(text);
    if (m) return { text, match: m, index: head.index + 1 };
    index = head.index + 1;
  }
}

let folder;
let server;
let browser;
let exitCode = 1;
try {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath} (set CHROMIUM_PATH)`);
  const { chromium } = await import('playwright-core');
  folder = mkdtempSync(join(tmpdir(), 'hotspot-kit-quickstart-'));
  const clone = join(folder, 'hotspot-kit');

  await check(fromWorktree ? 'copy the working tree' : 'git clone', async () => {
    if (fromWorktree) {
      const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo })
        .toString()
        .split('\0')
        .filter(Boolean);
      for (const file of files) {
        const from = join(repo, file);
        if (!existsSync(from)) continue; // deleted in the working tree
        mkdirSync(dirname(join(clone, file)), { recursive: true });
        cpSync(from, join(clone, file));
      }
      return `${files.length} files`;
    }
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo }).toString().trim();
    await run('git', ['clone', '--quiet', '--no-hardlinks', repo, clone], { cwd: folder, timeout: remaining(120_000) });
    return `HEAD ${head}`;
  });

  // A newcomer's shell: no CI flag, no inherited npm lifecycle variables from this run.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$|^CI$|^PORT$|^DATABASE_URL$/i.test(k)),
  );
  env.NO_UPDATE_NOTIFIER = '1';

  const hasLock = existsSync(join(clone, 'package-lock.json'));
  await check(hasLock ? 'npm ci' : 'npm install', async () => {
    if (!hasLock) {
      await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: clone, env, timeout: remaining(480_000) });
      return undefined;
    }
    try {
      await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone, env, timeout: remaining(480_000) });
      return undefined;
    } catch (error) {
      // A registry mirror that lacks other platforms' optional packages (e.g. @biomejs/cli-darwin-*)
      // makes npm ci refuse any lockfile (npm/cli#4828, #8320). The README's command still works.
      if (!/package-lock\.json .*in sync/s.test(String(error?.output))) throw error;
      log(
        'npm ci refused the lockfile as out of sync (optional platform packages missing from this registry); running the README command, npm install',
      );
      await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: clone, env, timeout: remaining(480_000) });
      return 'fell back to npm install';
    }
  });

  const port = await freePort();
  const base = `http://localhost:${port}`;
  const startEnv = { ...env, PORT: String(port) };
  server = startServer(clone, startEnv);

  let demoPhone;
  await check('npm start serves and prints the URLs and the demo phone', async () => {
    await server.waitFor(/Admin API\s+http:\/\/localhost:\d+\/admin/, { timeout: 300_000, what: 'the start banner' });
    const out = server.output();
    for (const path of ['/splash', '/portal']) {
      if (!out.includes(`${base}${path}`)) throw new Error(`the banner does not show ${base}${path}`);
    }
    demoPhone = /Demo phone\s+(\+\d+)/.exec(out)?.[1];
    if (!demoPhone) throw new Error('the banner does not show the demo phone');
    const health = await fetch(`${base}/healthz`);
    if (!health.ok) throw new Error(`GET /healthz answered ${health.status}`);
    return `port ${port}, demo phone ${demoPhone}`;
  });

  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  page.setDefaultTimeout(20_000);

  let voucherCode;
  await check('splash page: phone, then the SMS code printed by the console gateway', async () => {
    await page.goto(`${base}/`);
    if (!page.url().endsWith('/splash')) throw new Error(`/ did not lead to the splash page (${page.url()})`);
    const mark = server.lines.length;
    await page.fill('#phone', VISITOR);
    await page.click('form[action="/splash/phone"] button[type=submit]');
    await page.waitForSelector('#code');
    const { match } = await nextSms(server, VISITOR, /\b(\d{4,10})\b/, mark, 'the splash OTP SMS');
    await page.fill('#code', match[1]);
    await page.click('form[action="/splash/verify"] button[type=submit]');
    await page.waitForSelector('[data-testid=voucher-code]');
    voucherCode = (await page.textContent('[data-testid=voucher-code]'))?.trim();
    if (!voucherCode) throw new Error('no voucher code on the "online" page');
    return `voucher ${voucherCode} activated`;
  });

  let link;
  await check('activation texts the portal link (statusPageLink policy)', async () => {
    const sms = await nextSms(server, VISITOR, /(https?:\/\/\S+\/portal\S*)/, 0, 'the portal-link SMS');
    link = sms.match[1];
    return link.replace(/t=[^&]+/, 't=…');
  });

  await check('portal: the link pre-fills the phone, SMS code, status page shows the voucher', async () => {
    await page.goto(link);
    const prefilled = await page.inputValue('#phone');
    if (prefilled.replace(/\s/g, '') !== VISITOR) throw new Error(`the phone field holds "${prefilled}"`);
    const mark = server.lines.length;
    await page.click('form:has(#phone) button[type=submit]');
    await page.waitForSelector('#code');
    const { match } = await nextSms(server, VISITOR, /\b(\d{4,10})\b/, mark, 'the portal OTP SMS');
    await page.fill('#code', match[1]);
    await page.click('form:has(#code) button[type=submit]');
    await page.waitForFunction((code) => (document.body.textContent ?? '').includes(code), voucherCode, {
      timeout: 20_000,
    });
    const text = (await page.textContent('body')) ?? '';
    if (!text.includes('Free WiFi, 1 hour')) throw new Error('the status page does not show the plan name');
    return `status page at ${new URL(page.url()).pathname}`;
  });

  await browser.close();
  browser = undefined;

  await check('a second npm start on the used port says so and exits non-zero', async () => {
    const second = startServer(clone, startEnv);
    const { code, signal } = await Promise.race([
      second.exited,
      new Promise((_, reject) =>
        setTimeout(() => {
          second.signal('SIGKILL');
          reject(new Error('the second npm start did not exit'));
        }, remaining(180_000)),
      ),
    ]);
    if (code === 0 || signal) throw new Error(`it exited ${code ?? signal}`);
    if (!/Port \d+ is already in use/.test(second.output())) {
      throw new Error(`no clear message:\n${second.lines.slice(-15).join('\n')}`);
    }
    return `exit ${code}: "${second.lines.find((l) => /already in use/.test(l))?.trim()}"`;
  });

  await check('Ctrl-C (SIGINT) stops the server cleanly with exit code 0', async () => {
    server.signal('SIGINT');
    const { code, signal } = await Promise.race([
      server.exited,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the server did not stop within 20 s')), 20_000)),
    ]);
    if (code !== 0) throw new Error(`npm start exited ${code ?? signal}:\n${server.lines.slice(-10).join('\n')}`);
    if (!server.output().includes('stopped cleanly')) throw new Error('no "stopped cleanly" line');
    server = undefined;
    const refused = await fetch(`${base}/healthz`).then(
      () => false,
      () => true,
    );
    if (!refused) throw new Error('the port still answers after the stop');
  });
  exitCode = 0;
} catch (error) {
  if (!results.some((r) => !r.ok)) {
    results.push({ name: 'quickstart', ok: false, error });
    log(`FAIL ${error?.stack ?? error}`);
  }
} finally {
  await browser?.close().catch(() => {});
  if (server) {
    server.signal('SIGINT');
    const stopped = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r(null), 10_000))]);
    if (!stopped) server.signal('SIGKILL');
  }
  if (folder && !keep) rmSync(folder, { recursive: true, force: true });
  else if (folder) log(`kept ${folder}`);
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`\nquickstart: ${passed} passed, ${failed} failed (${Math.round((Date.now() - started) / 1000)} s)`);
process.exit(failed === 0 && exitCode === 0 ? 0 : 1);
