import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The FreeRADIUS files the docs give, as shipped in the package. */
export const SHIPPED = fileURLToPath(new URL('../../freeradius/', import.meta.url));

export const shipped = (file: string) => readFileSync(join(SHIPPED, file), 'utf8');

/** Why FreeRADIUS (with its rest module) cannot run here, or `null` when it can. */
export function freeradiusMissing(): string | null {
  const version = spawnSync('freeradius', ['-v'], { encoding: 'utf8' });
  if (version.error || !/FreeRADIUS Version 3\./.test(version.stdout))
    return 'FreeRADIUS 3 (freeradius) is not installed';
  if (spawnSync('radclient', ['-h'], { encoding: 'utf8' }).error)
    return 'radclient (freeradius-utils) is not installed';
  if (!existsSync('/usr/lib/freeradius/rlm_rest.so')) return 'the rest module (freeradius-rest) is not installed';
  return null;
}

/** Ports no one listens on now (UDP), for a FreeRADIUS of our own. */
export async function freeUdpPorts(count: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createSocket>>((done) => {
          const socket = createSocket('udp4');
          socket.bind(0, '127.0.0.1', () => done(socket));
        }),
    ),
  );
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((done) => s.close(() => done()))));
  return ports;
}

export interface FreeradiusOptions {
  /** The handler's URL (replaces the shipped `connect_uri`); omit for a server without the kit. */
  handlerUrl?: string;
  secret: string;
  /** Replaces the shipped site: e.g. a floor that answers from a `users` file. */
  site?: (ports: { auth: number; acct: number }) => string;
  /** A `users` file for the `files` module (with `site`). */
  users?: string;
}

export interface RunningFreeradius {
  auth: number;
  acct: number;
  output(): string;
  stop(): Promise<void>;
}

/** Replaces `from` in `text`, failing loudly when the shipped file no longer has it. */
function replace(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the shipped FreeRADIUS file lost '${from}'`);
  return text.replaceAll(from, to);
}

/**
 * Starts FreeRADIUS 3 in the foreground on free loopback ports, with the docs' module, site
 * and dictionary rendered into a temporary config directory (a minimal radiusd.conf stands
 * in for the distribution's), and resolves once it is ready. `stop()` ends it and removes
 * the directory.
 */
export async function startFreeradius(options: FreeradiusOptions): Promise<RunningFreeradius> {
  const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-freeradius-'));
  const [auth, acct] = (await freeUdpPorts(2)) as [number, number];
  const ports = { auth, acct };
  const site = options.site
    ? options.site(ports)
    : replace(
        replace(
          replace(shipped('sites-available/hotspot-kit'), 'ipaddr = *', 'ipaddr = 127.0.0.1'),
          'port = 1812',
          `port = ${auth}`,
        ),
        'port = 1813',
        `port = ${acct}`,
      );
  writeFileSync(join(dir, 'site'), site);
  const rest = options.handlerUrl
    ? replace(shipped('mods-available/rest'), 'http://127.0.0.1:3000/radius', options.handlerUrl)
    : '';
  writeFileSync(join(dir, 'rest'), rest);
  writeFileSync(join(dir, 'dictionary'), shipped('dictionary'));
  writeFileSync(join(dir, 'users'), options.users ?? '');
  writeFileSync(
    join(dir, 'radiusd.conf'),
    `prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = \${exec_prefix}/sbin
raddbdir = ${dir}
confdir = \${raddbdir}
logdir = \${confdir}
run_dir = \${confdir}
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/radiusd.pid
max_request_time = 30
cleanup_delay = 2
max_requests = 65536
hostname_lookups = no
log {
	destination = stdout
	colourise = no
	auth = no
}
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = yes
}
thread pool {
	start_servers = 8
	max_servers = 64
	min_spare_servers = 4
	max_spare_servers = 16
	max_requests_per_server = 0
	auto_limit_acct = no
}
client localhost {
	ipaddr = 127.0.0.1
	secret = ${options.secret}
}
modules {
	$INCLUDE /etc/freeradius/3.0/mods-available/always
	$INCLUDE /etc/freeradius/3.0/mods-available/pap
	$INCLUDE /etc/freeradius/3.0/mods-available/chap
	files {
		filename = \${confdir}/users
	}
	$INCLUDE \${confdir}/rest
}
$INCLUDE \${confdir}/site
`,
  );
  const child: ChildProcess = spawn('freeradius', ['-f', '-d', dir, '-l', 'stdout'], {
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (!output.includes('Ready to process requests')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`FreeRADIUS did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { auth, acct, output: () => output, stop };
}
