// RADIUS benchmark: requests per second through FreeRADIUS 3 → the kit's FreeRADIUS handler
// (rest module, body = json) → a SQLite file store, against the same FreeRADIUS answering
// from a static `users` file and acknowledging accounting itself (the floor). The load is a
// pool of concurrent radclient processes, each with many requests in flight (radperf is not
// packaged for Debian). Reported: authorize (a PAP login: authorize + post-auth through the
// kit) and accounting (Interim-Update with rising counters) per second, and kit/floor.
//   npm run bench -- radius        (BENCH_RADIUS_REQUESTS, BENCH_RADIUS_CLIENTS, BENCH_RADIUS_PARALLEL)

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHotspotKit, type HotspotKit } from '@hotspot-kit/core';
import { createFreeradiusHandler } from '@hotspot-kit/radius';
import { createSqliteStore } from '@hotspot-kit/store-sql';
import {
  freeradiusMissing,
  type RunningFreeradius,
  startFreeradius,
} from '../packages/radius/test/support/freeradius.js';
import { serveFetch } from '../packages/radius/test/support/serve-fetch.js';

const REQUESTS = Number(process.env.BENCH_RADIUS_REQUESTS ?? 4000);
const CLIENTS = Number(process.env.BENCH_RADIUS_CLIENTS ?? 4);
const PARALLEL = Number(process.env.BENCH_RADIUS_PARALLEL ?? 16);
const VOUCHERS = 200;
const SECRET = 'bench-shared-secret';

const mac = (i: number) =>
  `A4-83-E7-00-${((i >> 8) & 255).toString(16).padStart(2, '0')}-${(i & 255).toString(16).padStart(2, '0')}`;

/** Sends `requests` (radclient input blocks) with a pool of radclient processes; requests per second. */
async function load(port: number, kind: 'auth' | 'acct', requests: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-radperf-'));
  const share = Math.ceil(requests.length / CLIENTS);
  const files = Array.from({ length: CLIENTS }, (_, c) => {
    const file = join(dir, `${c}.txt`);
    writeFileSync(file, `${requests.slice(c * share, (c + 1) * share).join('\n\n')}\n`);
    return file;
  });
  const started = performance.now();
  const failures = await Promise.all(
    files.map(
      (file) =>
        new Promise<number>((resolve) => {
          const child = spawn('radclient', [
            '-q',
            '-s',
            '-r',
            '3',
            '-t',
            '5',
            '-p',
            String(PARALLEL),
            '-f',
            file,
            `127.0.0.1:${port}`,
            kind,
            SECRET,
          ]);
          let out = '';
          child.stdout.on('data', (c) => {
            out += c;
          });
          child.on('close', () =>
            resolve(
              Number(/Total denied auths:\s+(\d+)/.exec(out)?.[1] ?? 0) +
                Number(/Total lost auths:\s+(\d+)/.exec(out)?.[1] ?? 0),
            ),
          );
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  const failed = failures.reduce((a, b) => a + b, 0);
  if (failed > 0) console.log(`  (${failed} of ${requests.length} ${kind} requests denied or lost)`);
  return requests.length / seconds;
}

function logins(codes: string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i % codes.length;
    const code = codes[n] as string;
    return `User-Name = "${code}"\nUser-Password = "${code}"\nCalling-Station-Id = "${mac(n)}"\nNAS-Identifier = "bench-nas"\nMessage-Authenticator = 0x00`;
  });
}

// As a NAS sends them: with the Class the accept carried (the voucher's id).
function interims(codes: string[], ids: string[], count: number, round: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i % codes.length;
    const tick = round * count + i;
    const klass = Buffer.from(`hotspot-kit:${ids[n]}`).toString('hex');
    return [
      'Acct-Status-Type = Interim-Update',
      `Class = 0x${klass}`,
      `User-Name = "${codes[n]}"`,
      `Acct-Session-Id = "s-${n}"`,
      'NAS-Identifier = "bench-nas"',
      `Acct-Session-Time = ${tick}`,
      `Acct-Input-Octets = ${tick * 100}`,
      `Acct-Output-Octets = ${tick * 400}`,
      `Calling-Station-Id = "${mac(n)}"`,
    ].join('\n');
  });
}

export async function run(): Promise<void> {
  const missing = freeradiusMissing();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-radius-bench-'));
  const kit: HotspotKit = createHotspotKit({
    store: await createSqliteStore({ filename: join(dir, 'bench.db') }),
    secret: 'a-bench-secret-that-is-long-enough',
  });
  const plan = await kit.plans.create({
    name: 'Bench',
    simultaneousDevices: 1,
    onlineTimeSeconds: 10 * 86_400,
    trafficLimit: { totalBytes: 2 ** 50 },
    downloadKbps: 4000,
    uploadKbps: 1000,
    expiry: { kind: 'after-activation', seconds: 30 * 86_400 },
  });
  const series = await kit.vouchers.generateSeries({ planId: plan.id, count: VOUCHERS });
  const codes = series.map((v) => v.code);
  const ids = series.map((v) => v.id);
  const handler = createFreeradiusHandler(kit);
  // Server time per REST call, to tell the kit's own cost from the rest of the path.
  const timing = { ms: 0, calls: 0 };
  const http = await serveFetch({
    async fetch(request) {
      const started = performance.now();
      const response = await handler.fetch(request);
      timing.ms += performance.now() - started;
      timing.calls += 1;
      return response;
    },
  });
  const servers: RunningFreeradius[] = [];
  try {
    const withKit = await startFreeradius({ handlerUrl: `${http.url}/radius`, secret: SECRET });
    servers.push(withKit);
    const users = codes
      .map(
        (c) =>
          `${c} Cleartext-Password := "${c}"\n\tSession-Timeout = 864000, Acct-Interim-Interval = 300, Mikrotik-Total-Limit = 5000000, Mikrotik-Rate-Limit = "1000k/4000k"`,
      )
      .join('\n\n');
    const floor = await startFreeradius({
      secret: SECRET,
      users: `${users}\n`,
      site: ({ auth, acct }) => `server floor {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = ${auth}
	}
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = ${acct}
	}
	authorize {
		files
		chap
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
	}
	preacct {
	}
	accounting {
		ok
	}
	post-auth {
		update reply {
			&Message-Authenticator := 0x00
		}
	}
}
`,
    });
    servers.push(floor);

    // Warm-up: every voucher logs in once (activation, device binding), one interim each.
    await load(withKit.auth, 'auth', logins(codes, VOUCHERS));
    await load(withKit.acct, 'acct', interims(codes, ids, VOUCHERS, 0));
    await load(floor.auth, 'auth', logins(codes, VOUCHERS));

    const rows: [string, number, number, number][] = [];
    const mean = () => {
      const value = timing.ms / Math.max(1, timing.calls);
      timing.ms = 0;
      timing.calls = 0;
      return value;
    };
    mean();
    const authKit = await load(withKit.auth, 'auth', logins(codes, REQUESTS));
    const authServer = mean();
    const authFloor = await load(floor.auth, 'auth', logins(codes, REQUESTS));
    rows.push(['authorize (PAP login)', authKit, authFloor, authServer]);
    mean();
    const acctKit = await load(withKit.acct, 'acct', interims(codes, ids, REQUESTS, 1));
    const acctServer = mean();
    const acctFloor = await load(floor.acct, 'acct', interims(codes, ids, REQUESTS, 1));
    rows.push(['accounting (Interim-Update)', acctKit, acctFloor, acctServer]);

    console.log(
      `${REQUESTS} requests, ${CLIENTS} radclient processes × ${PARALLEL} in flight, ${VOUCHERS} vouchers, SQLite file store`,
    );
    console.log(
      '| request | FreeRADIUS → kit → SQLite (req/s) | FreeRADIUS, users file (req/s) | ratio | handler time per REST call |',
    );
    console.log('| --- | --- | --- | --- | --- |');
    for (const [name, kitRate, floorRate, server] of rows) {
      const ratio = (kitRate / floorRate).toFixed(2);
      console.log(`| ${name} | ${kitRate.toFixed(0)} | ${floorRate.toFixed(0)} | ${ratio} | ${server.toFixed(1)} ms |`);
    }
    const summary = await kit.usage.summary((await kit.vouchers.getByCode(codes[0] as string))?.id as string);
    console.log(`check: voucher 1 online ${summary.used.onlineSeconds} s, ${summary.used.totalBytes} bytes counted`);
  } finally {
    for (const server of servers) await server.stop();
    await http.close();
    await kit.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
