import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { SmsError, type SmsErrorCode } from '../errors.js';
import type {
  LuaFailureReply,
  LuaResultReply,
  LuaWorkerData,
  LuaWorkerOp,
  LuaWorkerReply,
  LuaWorkerRequest,
} from './lua-worker-protocol.js';
import { wallCapMs } from './worker/wall-cap.js';

/** One call waiting for, or running in, the worker. */
export interface LuaJob {
  op: LuaWorkerOp;
  source: string;
  scope: string;
  arg?: unknown;
  deadlineMs: number;
  signal?: AbortSignal;
}

/** How the scheduler runs the worker. */
export interface LuaSchedulerSettings {
  memoryLimitBytes: number;
  maxCachedScripts: number;
  hardTimeoutGraceMs: number;
  resourceLimits: ResourceLimits;
  startTimeoutMs: number;
  /** 0 leaves the thread's priority alone. */
  niceness: number;
}

/** Runs jobs one at a time in a worker that it starts on demand and replaces when it overruns. */
export interface LuaScheduler {
  /** Resolves with the worker's answer; rejects with an `SmsError` when the worker could not give one. */
  run(job: LuaJob): Promise<LuaResultReply | LuaFailureReply>;
  close(): Promise<void>;
}

interface Pending {
  job: LuaJob;
  resolve(reply: LuaResultReply | LuaFailureReply): void;
  reject(error: SmsError): void;
  /** Stops listening to the job's signal. */
  unlisten(): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  startTimer: NodeJS.Timeout;
  fatalMessage?: string;
}

interface InFlight {
  id: number;
  pending: Pending;
  slot: Slot;
  timer: NodeJS.Timeout;
  startedAt: number;
  cpuAtStart: number;
  /** The caller gave up (its signal aborted): the answer, when it comes, goes nowhere. */
  abandoned: boolean;
}

/** CPU time of this process (every thread, the worker's included), in ms. */
function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** What a job is called in messages. */
export function jobName(op: LuaWorkerOp): string {
  return op === 'inspect' ? 'Lua script' : `Lua ${op}()`;
}

function aborted(job: LuaJob): SmsError {
  return new SmsError('LUA_ERROR', `${jobName(job.op)} was abandoned by its caller (aborted)`, {
    cause: job.signal?.reason,
  });
}

/** The part of esbuild's API the development path uses (esbuild is not a runtime dependency). */
interface EsbuildSync {
  buildSync(options: Record<string, unknown>): { outputFiles: { text: string }[] };
}

/**
 * The worker's entry: the bundled `lua-worker.js` next to the built package; when this module
 * runs from its TypeScript source (vitest, tsx), the worker's sources bundled here with esbuild
 * (a development dependency) and run as an eval'd worker.
 */
function workerEntry(): { entry: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) return { entry: new URL('./lua-worker.js', here), eval: false };
  const esbuild = createRequire(here)('esbuild') as EsbuildSync;
  const built = esbuild.buildSync({
    entryPoints: [fileURLToPath(new URL('./worker/lua-worker.ts', here))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  return { entry: built.outputFiles[0]!.text, eval: true };
}

/** Makes the scheduler; the worker starts on the first job. */
export function createLuaScheduler(settings: LuaSchedulerSettings): LuaScheduler {
  const queue: Pending[] = [];
  let slot: Slot | undefined;
  let current: InFlight | undefined;
  let closed = false;
  let nextId = 1;
  let entry: { entry: string | URL; eval: boolean } | undefined;
  let wasmoonPath: string | undefined;

  const keepAlive = () => {
    if (!slot) return;
    if (current || queue.length > 0) slot.worker.ref();
    else slot.worker.unref();
  };

  const spawn = (): Slot => {
    wasmoonPath ??= createRequire(import.meta.url).resolve('wasmoon');
    entry ??= workerEntry();
    const workerData: LuaWorkerData = {
      wasmoonPath,
      memoryLimitBytes: settings.memoryLimitBytes,
      maxCachedScripts: settings.maxCachedScripts,
      niceness: settings.niceness,
    };
    const worker = new Worker(entry.entry, {
      eval: entry.eval,
      workerData,
      resourceLimits: settings.resourceLimits,
      // The host's own flags (loaders, inspector) mean nothing to the worker.
      execArgv: [],
      env: {},
    });
    const started: Slot = {
      worker,
      ready: false,
      dead: false,
      startTimer: setTimeout(() => {
        crashed(started, new Error(`the Lua worker did not start within ${settings.startTimeoutMs} ms`));
        void worker.terminate();
      }, settings.startTimeoutMs),
    };
    started.startTimer.unref();
    worker.on('message', (reply: LuaWorkerReply) => onReply(started, reply));
    worker.on('error', (e: Error) => crashed(started, e));
    worker.on('exit', (code: number) => crashed(started, new Error(`the Lua worker exited with code ${code}`)));
    return started;
  };

  const pump = () => {
    if (closed || current || queue.length === 0) {
      keepAlive();
      return;
    }
    if (!slot) slot = spawn();
    keepAlive();
    if (!slot.ready) return;
    const pending = queue.shift()!;
    const { job } = pending;
    const id = nextId++;
    const active = slot;
    const timer = setTimeout(() => overran(active), job.deadlineMs + settings.hardTimeoutGraceMs);
    current = {
      id,
      pending,
      slot: active,
      timer,
      startedAt: performance.now(),
      cpuAtStart: processCpuMs(),
      abandoned: false,
    };
    const request: LuaWorkerRequest = {
      id,
      op: job.op,
      source: job.source,
      scope: job.scope,
      deadlineMs: job.deadlineMs,
    };
    if (job.arg !== undefined) request.arg = job.arg;
    try {
      active.worker.postMessage(request);
    } catch (e) {
      // A value that cannot be cloned (a function in ctx): this call fails, the queue goes on.
      settle(
        finish(),
        undefined,
        new SmsError('LUA_ERROR', `the ${jobName(job.op)} argument cannot be passed: ${(e as Error).message}`),
      );
      pump();
    }
  };

  const finish = (): InFlight | undefined => {
    const done = current;
    if (done) clearTimeout(done.timer);
    current = undefined;
    return done;
  };

  const settle = (
    done: InFlight | undefined,
    reply: LuaResultReply | LuaFailureReply | undefined,
    error?: SmsError,
  ): void => {
    if (!done) return;
    done.pending.unlisten();
    if (done.abandoned) return;
    if (error) done.pending.reject(error);
    else done.pending.resolve(reply!);
  };

  const retire = (old: Slot) => {
    old.dead = true;
    clearTimeout(old.startTimer);
    if (slot === old) slot = undefined;
  };

  const onReply = (from: Slot, reply: LuaWorkerReply) => {
    if (from.dead) return;
    if (reply.type === 'ready') {
      from.ready = true;
      clearTimeout(from.startTimer);
      pump();
      return;
    }
    if (reply.type === 'fatal') {
      from.fatalMessage = reply.message;
      return;
    }
    if (!current || current.slot !== from || current.id !== reply.id) return;
    settle(finish(), reply);
    pump();
  };

  const overran = (from: Slot) => {
    if (from.dead || !current || current.slot !== from) return;
    // A worker the machine did not schedule has not overrun: only once the process has spent
    // the allowance in CPU time (or the clock passed the cap) is the call stuck in a library call.
    const allowance = current.pending.job.deadlineMs + settings.hardTimeoutGraceMs;
    const spent = processCpuMs() - current.cpuAtStart;
    const cap = current.startedAt + wallCapMs(current.pending.job.deadlineMs) + settings.hardTimeoutGraceMs;
    if (spent < allowance && performance.now() < cap) {
      current.timer = setTimeout(() => overran(from), Math.max(20, allowance - spent));
      return;
    }
    const done = finish()!;
    retire(from);
    void from.worker.terminate();
    settle(
      done,
      undefined,
      new SmsError(
        'LUA_TIMEOUT',
        `${jobName(done.pending.job.op)} exceeded its ${done.pending.job.deadlineMs} ms deadline inside a single long-running library call ` +
          '(for example a backtracking pattern match); the Lua worker was stopped and replaced',
      ),
    );
    // Replace it now, so the next call finds a warm worker.
    if (!closed) slot = spawn();
    pump();
  };

  const crashed = (from: Slot, e: Error) => {
    if (from.dead) return;
    const wasReady = from.ready;
    retire(from);
    const reason = from.fatalMessage ?? e.message;
    const outOfMemory = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    const code: SmsErrorCode = outOfMemory ? 'LUA_MEMORY' : 'LUA_ERROR';
    if (!wasReady) {
      // Could not start: fail everything waiting rather than respawning in a loop.
      const error = new SmsError('LUA_ERROR', `the Lua runtime could not start: ${reason}`, { cause: e });
      settle(finish(), undefined, error);
      for (const pending of queue.splice(0)) {
        pending.unlisten();
        pending.reject(error);
      }
      keepAlive();
      return;
    }
    const done = finish();
    if (done) {
      const what = jobName(done.pending.job.op);
      const message = outOfMemory
        ? `${what} exhausted the Lua worker's memory; the worker was replaced`
        : `${what} stopped the Lua worker (${reason}); the worker was replaced`;
      settle(done, undefined, new SmsError(code, message, { cause: e }));
    }
    pump();
  };

  return {
    run(job) {
      return new Promise((resolve, reject) => {
        if (closed) throw new SmsError('LUA_ERROR', 'the Lua hook runner is closed');
        const { signal } = job;
        if (signal?.aborted) throw aborted(job);
        const onAbort = () => {
          const queued = queue.indexOf(pending);
          if (queued >= 0) {
            // Never started: it leaves the queue and the worker never sees it.
            queue.splice(queued, 1);
            keepAlive();
          } else if (current?.pending === pending) {
            // Running: the worker's deadline stops it; the caller does not wait for that.
            current.abandoned = true;
          } else return;
          reject(aborted(job));
        };
        const pending: Pending = {
          job,
          resolve,
          reject,
          unlisten: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(pending);
        pump();
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      const error = new SmsError('LUA_ERROR', 'the Lua hook runner was closed');
      settle(finish(), undefined, error);
      for (const pending of queue.splice(0)) {
        pending.unlisten();
        pending.reject(error);
      }
      const old = slot;
      if (old) {
        retire(old);
        await old.worker.terminate();
      }
    },
  };
}
