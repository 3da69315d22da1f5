// The crash child of bench/accounting.bench.ts: records interim events through
// kit.usage.record with CALLERS concurrent callers, forever, and writes one line
// "<session> <event number>" to stdout as soon as each record() has resolved. The parent
// kills this process with SIGKILL in the middle of the burst. Stdout is a pipe, and writes to
// a pipe are synchronous on Linux, so every line written is in the kernel when the kill lands.
//   node --import tsx bench/accounting-burst.ts '<json: { target, prefix, vouchers, start }>'
import { writeSync } from 'node:fs';
import { CALLERS, interim, makeKit, openStore, type StoreTarget } from './accounting-workload.js';

interface BurstArgs {
  target: StoreTarget;
  prefix: string;
  vouchers: string[];
  /** The last event number already stored per session. */
  start: number[];
}

const args = JSON.parse(process.argv[2] ?? '{}') as BurstArgs;
const store = await openStore(args.target);
const kit = makeKit(store);
const counters = [...args.start];
let next = 0;
writeSync(1, 'ready\n');
await Promise.all(
  Array.from({ length: CALLERS }, async () => {
    for (;;) {
      const i = next++ % counters.length;
      const k = (counters[i] as number) + 1;
      counters[i] = k;
      await kit.usage.record(interim(args.prefix, args.vouchers, i, k));
      writeSync(1, `${i} ${k}\n`);
    }
  }),
);
