import { createRequire } from 'node:module';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { SmsError, type SmsErrorCode } from '../errors.js';
import { createSecretMasker } from '../secrets/secret-masker.js';
import type {
  LuaBuildContext,
  LuaBuildResult,
  LuaCallLimits,
  LuaHookRunner,
  LuaParseResult,
  LuaResponse,
} from './lua-hook-runner.js';
import type { LuaWorkerData, LuaWorkerOp, LuaWorkerReply, LuaWorkerRequest } from './lua-worker-protocol.js';
import { luaWorkerSource } from './lua-worker-source.js';

/** Options of {@link createLuaHookRunner}; every field has a safe default. */
export interface LuaHookRunnerOptions {
  /** Deadline of one hook call when the call names none, in ms. Default 200. */
  deadlineMs?: number;
  /** Cap on the Lua heap (all compiled scripts and their data), in bytes. Default 32 MiB. */
  memoryLimitBytes?: number;
  /**
   * How long past its deadline a call may run before the host terminates the worker, in ms. Only
   * a single long library call (a backtracking pattern match) gets there: the in-Lua deadline stops
   * everything else. Default 400 (room for a worker that the OS scheduled late on a busy machine, which is not an overrun).
   */
  hardTimeoutGraceMs?: number;
  /** V8 limits of the worker thread. Default `{ maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 }`. */
  resourceLimits?: ResourceLimits;
  /** Compiled scripts kept in the worker, least recently used dropped first. Default 64. */
  maxCachedScripts?: number;
  /** Longest script accepted, in UTF-8 bytes. Default 256 KiB. */
  maxScriptBytes?: number;
  /** How long the worker may take to start (load the WebAssembly), in ms. Default 15000. */
  startTimeoutMs?: number;
  /**
   * Nice value of the worker thread on Linux (0-19), so a script spinning until its deadline takes
   * CPU from the host's event loop last. Ignored on other systems, where it would apply to the
   * whole process. Default 10.
   */
  workerNiceness?: number;
}

const DEFAULTS = {
  deadlineMs: 200,
  memoryLimitBytes: 32 * 1024 * 1024,
  hardTimeoutGraceMs: 400,
  resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
  maxCachedScripts: 64,
  maxScriptBytes: 256 * 1024,
  startTimeoutMs: 15_000,
  workerNiceness: 10,
};

/** Longest deadline a call may ask for: a hook is a few string operations, not a batch job. */
const MAX_DEADLINE_MS = 60_000;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BUILD_FIELDS = new Set(['url', 'method', 'headers', 'body']);

type ResultReply = Extract<LuaWorkerReply, { type: 'result' }>;
type FailureReply = Extract<LuaWorkerReply, { type: 'failure' }>;

interface Job {
  op: LuaWorkerOp;
  source: string;
  arg?: unknown;
  deadlineMs: number;
  resolve(reply: ResultReply): void;
  reject(error: SmsError): void;
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
  job: Job;
  slot: Slot;
  timer: NodeJS.Timeout;
}

/**
 * Creates the Lua hook runner: real Lua 5.4 (wasmoon) in a `worker_threads` worker, behind the
 * {@link LuaHookRunner} seam. Scripts run in a sandbox (safe libraries only, helpers `json`,
 * `url`, `base64`, `crypto`), each call under a deadline no `pcall`/`xpcall`/`__gc` trick escapes,
 * with a memory cap; a call stuck in one long library call gets its worker terminated and
 * replaced. Calls are queued and run one at a time in the worker; the caller's event loop only
 * ever awaits a message. The worker starts on the first call; `close()` stops it.
 *
 * @example
 * ```ts
 * const lua = createLuaHookRunner();
 * const script = 'function build(ctx) return json.encode({ to = ctx.to, text = ctx.message }) end';
 * const built = await lua.build(script, ctx); // { kind: 'payload', body: '{"text":"hi","to":"+15550100"}' }
 * await lua.close();
 * ```
 */
export function createLuaHookRunner(options: LuaHookRunnerOptions = {}): LuaHookRunner {
  const settings = {
    deadlineMs: positive('deadlineMs', options.deadlineMs ?? DEFAULTS.deadlineMs, MAX_DEADLINE_MS),
    memoryLimitBytes: positive('memoryLimitBytes', options.memoryLimitBytes ?? DEFAULTS.memoryLimitBytes, 2 ** 30),
    hardTimeoutGraceMs: positive(
      'hardTimeoutGraceMs',
      options.hardTimeoutGraceMs ?? DEFAULTS.hardTimeoutGraceMs,
      60_000,
    ),
    resourceLimits: options.resourceLimits ?? DEFAULTS.resourceLimits,
    maxCachedScripts: positive('maxCachedScripts', options.maxCachedScripts ?? DEFAULTS.maxCachedScripts, 10_000),
    maxScriptBytes: positive('maxScriptBytes', options.maxScriptBytes ?? DEFAULTS.maxScriptBytes, 16 * 1024 * 1024),
    startTimeoutMs: positive('startTimeoutMs', options.startTimeoutMs ?? DEFAULTS.startTimeoutMs, 600_000),
    workerNiceness: niceness(options.workerNiceness ?? DEFAULTS.workerNiceness),
  };
  const queue: Job[] = [];
  let slot: Slot | undefined;
  let current: InFlight | undefined;
  let closed = false;
  let nextId = 1;
  let source: string | undefined;
  let wasmoonPath: string | undefined;
  // Secret values seen in each script's ctx, masked out of its error messages.
  const secretsBySource = new Map<string, Set<string>>();

  const keepAlive = () => {
    if (!slot) return;
    if (current || queue.length > 0) slot.worker.ref();
    else slot.worker.unref();
  };

  const spawn = (): Slot => {
    wasmoonPath ??= createRequire(import.meta.url).resolve('wasmoon');
    source ??= luaWorkerSource();
    const workerData: LuaWorkerData = {
      wasmoonPath,
      memoryLimitBytes: settings.memoryLimitBytes,
      maxCachedScripts: settings.maxCachedScripts,
      niceness: process.platform === 'linux' ? settings.workerNiceness : 0,
    };
    const worker = new Worker(source, {
      eval: true,
      workerData,
      resourceLimits: settings.resourceLimits,
      // The host's own flags (loaders, inspector) mean nothing to this plain-JS worker.
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
    const job = queue.shift()!;
    const id = nextId++;
    const active = slot;
    const timer = setTimeout(() => overran(active), job.deadlineMs + settings.hardTimeoutGraceMs);
    current = { id, job, slot: active, timer };
    const request: LuaWorkerRequest = { id, op: job.op, source: job.source, deadlineMs: job.deadlineMs };
    if (job.arg !== undefined) request.arg = job.arg;
    try {
      active.worker.postMessage(request);
    } catch (e) {
      // A value that cannot be cloned (a function in ctx): this call fails, the queue goes on.
      finish();
      job.reject(new SmsError('LUA_ERROR', `the Lua ${job.op}() argument cannot be passed: ${(e as Error).message}`));
      pump();
    }
  };

  const finish = (): InFlight | undefined => {
    const done = current;
    if (done) clearTimeout(done.timer);
    current = undefined;
    return done;
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
    if (reply.type === 'compiled') {
      // The script's top level ran under its own deadline; the hook call gets a full one too.
      current.timer.refresh();
      return;
    }
    const done = finish()!;
    if (reply.type === 'result') {
      done.job.resolve(reply);
    } else {
      done.job.reject(failureError(reply, done.job));
    }
    pump();
  };

  const overran = (from: Slot) => {
    if (from.dead || !current || current.slot !== from) return;
    const done = finish()!;
    retire(from);
    void from.worker.terminate();
    const what = done.job.op === 'inspect' ? 'Lua script' : `Lua ${done.job.op}()`;
    done.job.reject(
      new SmsError(
        'LUA_TIMEOUT',
        `${what} exceeded its ${done.job.deadlineMs} ms deadline inside a single long-running library call ` +
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
      const done = finish();
      done?.job.reject(error);
      for (const job of queue.splice(0)) job.reject(error);
      keepAlive();
      return;
    }
    const done = finish();
    if (done) {
      const what = done.job.op === 'inspect' ? 'Lua script' : `Lua ${done.job.op}()`;
      const message = outOfMemory
        ? `${what} exhausted the Lua worker's memory; the worker was replaced`
        : `${what} stopped the Lua worker (${reason}); the worker was replaced`;
      done.job.reject(new SmsError(code, message, { cause: e }));
    }
    pump();
  };

  const failureError = (reply: FailureReply, job: Job): SmsError => {
    const secrets = secretsBySource.get(job.source);
    const masker = secrets && secrets.size > 0 ? createSecretMasker(secrets) : undefined;
    const detail = masker ? masker.mask(reply.message) : reply.message;
    const what = reply.phase === 'load' ? 'Lua script' : `Lua ${reply.phase}()`;
    const at = reply.line === undefined ? '' : ` at line ${reply.line}`;
    const luaLine = reply.line === undefined ? {} : { luaLine: reply.line };
    switch (reply.kind) {
      case 'timeout':
        return new SmsError('LUA_TIMEOUT', `${what} exceeded its ${job.deadlineMs} ms deadline${at}`, luaLine);
      case 'memory':
        return new SmsError(
          'LUA_MEMORY',
          `${what} exceeded the Lua memory limit of ${formatBytes(settings.memoryLimitBytes)}${at}: ${detail}`,
          luaLine,
        );
      case 'sandbox':
        return new SmsError(
          'LUA_SANDBOX',
          `${what} used something the sandbox does not offer${at}: ${detail}`,
          luaLine,
        );
      default:
        return new SmsError(
          'LUA_ERROR',
          reply.phase === 'load' ? `Lua script failed to load${at}: ${detail}` : `${what} failed${at}: ${detail}`,
          luaLine,
        );
    }
  };

  const call = (op: LuaWorkerOp, script: string, arg: unknown, limits: LuaCallLimits | undefined) =>
    new Promise<ResultReply>((resolve, reject) => {
      if (closed) throw new SmsError('LUA_ERROR', 'the Lua hook runner is closed');
      if (typeof script !== 'string' || script.trim() === '') {
        throw new SmsError('LUA_ERROR', 'the Lua script is empty');
      }
      const text = withoutBom(script);
      if (Buffer.byteLength(text, 'utf8') > settings.maxScriptBytes) {
        throw new SmsError('LUA_ERROR', `the Lua script is larger than ${formatBytes(settings.maxScriptBytes)}`);
      }
      const deadlineMs =
        limits?.deadlineMs === undefined
          ? settings.deadlineMs
          : positive('limits.deadlineMs', limits.deadlineMs, MAX_DEADLINE_MS, 'LUA_ERROR');
      const job: Job = { op, source: text, deadlineMs, resolve, reject };
      if (arg !== undefined) job.arg = arg;
      queue.push(job);
      pump();
    });

  const rememberSecrets = (script: string, ctx: LuaBuildContext) => {
    const values = Object.values(ctx.gateway?.secrets ?? {}).filter((v): v is string => typeof v === 'string');
    if (values.length === 0) return;
    let known = secretsBySource.get(script);
    if (!known) {
      if (secretsBySource.size >= 256) secretsBySource.delete(secretsBySource.keys().next().value as string);
      known = new Set();
      secretsBySource.set(script, known);
    }
    for (const v of values) known.add(v);
  };

  return {
    async inspect(script) {
      return (await call('inspect', script, undefined, undefined)).hooks;
    },

    async build(script, ctx, limits) {
      if (ctx === null || typeof ctx !== 'object') throw new SmsError('LUA_ERROR', 'Lua build() needs a ctx table');
      const text = typeof script === 'string' ? withoutBom(script) : script;
      rememberSecrets(text, ctx);
      // `gateway.secrets` is always a table, even when the gateway has none.
      const arg = { ...ctx, gateway: { ...ctx.gateway, secrets: { ...(ctx.gateway?.secrets ?? {}) } } };
      const reply = await call('build', text, arg, limits);
      if (reply.missing) throw new SmsError('LUA_ERROR', 'the Lua script defines no build(ctx) function');
      return toBuildResult(reply.value);
    },

    async parse(script, res, limits) {
      if (res === null || typeof res !== 'object') throw new SmsError('LUA_ERROR', 'Lua parse() needs a res table');
      const reply = await call('parse', script, responseArg(res), limits);
      return reply.missing ? null : toParseResult(reply.value);
    },

    async balance(script, res, limits) {
      if (res === null || typeof res !== 'object') throw new SmsError('LUA_ERROR', 'Lua balance() needs a res table');
      const reply = await call('balance', script, responseArg(res), limits);
      return reply.missing ? null : toBalance(reply.value);
    },

    async close() {
      if (closed) return;
      closed = true;
      const error = new SmsError('LUA_ERROR', 'the Lua hook runner was closed');
      finish()?.job.reject(error);
      for (const job of queue.splice(0)) job.reject(error);
      const old = slot;
      if (old) {
        retire(old);
        await old.worker.terminate();
      }
    },
  };
}

/** Editors on Windows save a byte-order mark that Lua would read as a syntax error. */
function withoutBom(script: string): string {
  return script.charCodeAt(0) === 0xfeff ? script.slice(1) : script;
}

function responseArg(res: LuaResponse): LuaResponse {
  return { status: res.status, headers: { ...res.headers }, body: res.body };
}

function invalid(message: string): SmsError {
  return new SmsError('LUA_ERROR', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

function toBuildResult(value: unknown): LuaBuildResult {
  const shape = 'return a payload string or a table { url?, method?, headers?, body }';
  if (typeof value === 'string') return { kind: 'payload', body: value };
  if (value === undefined || value === null) throw invalid(`Lua build() returned nothing; ${shape}`);
  if (!isRecord(value)) {
    throw invalid(`Lua build() returned ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}; ${shape}`);
  }
  for (const key of Object.keys(value)) {
    if (!BUILD_FIELDS.has(key)) throw invalid(`Lua build() returned an unknown field '${key}'; ${shape}`);
  }
  const out: Extract<LuaBuildResult, { kind: 'request' }> = { kind: 'request' };
  if (value.url !== undefined && value.url !== null) {
    if (typeof value.url !== 'string') throw invalid('Lua build() returned url that is not a string');
    let protocol: string;
    try {
      protocol = new URL(value.url).protocol;
    } catch {
      throw invalid(`Lua build() returned url that is not a valid URL: ${value.url.slice(0, 200)}`);
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw invalid(`Lua build() returned a ${protocol} url; only http and https are allowed`);
    }
    out.url = value.url;
  }
  if (value.method !== undefined && value.method !== null) {
    if (typeof value.method !== 'string' || !/^[A-Za-z]{1,16}$/.test(value.method)) {
      throw invalid('Lua build() returned method that is not an HTTP method name');
    }
    out.method = value.method.toUpperCase();
  }
  if (value.headers !== undefined && value.headers !== null) {
    if (!isRecord(value.headers)) throw invalid('Lua build() returned headers that is not a table of name = value');
    const headers: Record<string, string> = {};
    for (const [name, raw] of Object.entries(value.headers)) {
      const text = scalarText(raw);
      if (!HEADER_NAME.test(name)) throw invalid(`Lua build() returned an invalid header name '${name.slice(0, 100)}'`);
      if (text === undefined) throw invalid(`Lua build() returned header '${name}' that is not a string`);
      if (/[\r\n\0]/.test(text)) throw invalid(`Lua build() returned header '${name}' with a line break or NUL`);
      headers[name] = text;
    }
    out.headers = headers;
  }
  if (value.body !== undefined && value.body !== null) {
    const body = scalarText(value.body);
    if (body === undefined) {
      throw invalid('Lua build() returned body that is not a string (encode tables with json.encode)');
    }
    out.body = body;
  }
  return out;
}

function toParseResult(value: unknown): LuaParseResult {
  if (typeof value === 'boolean') return { ok: value };
  if (!isRecord(value) || typeof value.ok !== 'boolean') {
    throw invalid('Lua parse() must return a table { ok = true|false, id?, error? }');
  }
  const out: LuaParseResult = { ok: value.ok };
  const id = scalarText(value.id);
  if (id !== undefined && id !== '') out.id = id;
  const error = scalarText(value.error);
  if (error !== undefined && error !== '') out.error = error;
  return out;
}

function toBalance(value: unknown): number {
  const amount = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    throw invalid(`Lua balance() must return a number, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  return amount;
}

function positive(name: string, value: number, max: number, code: SmsErrorCode = 'INVALID_GATEWAY_CONFIG'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new SmsError(code, `${name} must be a number above 0 and at most ${max}`, {
      issues: [{ path: name, message: `must be a number above 0 and at most ${max}` }],
    });
  }
  return value;
}

function niceness(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 19) {
    throw new SmsError('INVALID_GATEWAY_CONFIG', 'workerNiceness must be an integer from 0 to 19', {
      issues: [{ path: 'workerNiceness', message: 'must be an integer from 0 to 19' }],
    });
  }
  return value;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;
}
