import type { ResourceLimits } from 'node:worker_threads';
import { SmsError, type SmsErrorCode } from '../errors.js';
import { createSecretMasker } from '../secrets/secret-masker.js';
import type { LuaBuildContext, LuaCallOptions, LuaHookRunner, LuaResponse } from './lua-hook-runner.js';
import { toBalance, toBuildResult, toParseResult } from './lua-result.js';
import type { LuaFailureReply, LuaResultReply, LuaWorkerOp } from './lua-worker-protocol.js';
import { createLuaScheduler, jobName } from './lua-worker-slot.js';

/** Options of {@link createLuaHookRunner}; every field has a safe default. */
export interface LuaHookRunnerOptions {
  /**
   * Deadline of one call (the script's top level and the hook) when the call names none, in ms
   * of CPU time: a script the machine did not schedule keeps going until the process has spent
   * that much, up to ten times the deadline plus a second on the clock. Default 200.
   */
  deadlineMs?: number;
  /**
   * Cap on the Lua heap of each script scope (a gateway's config version: its compiled script
   * and what one call builds), in bytes. Default 32 MiB.
   */
  memoryLimitBytes?: number;
  /**
   * How long past its deadline a call may run before the host terminates the worker, in ms. Only
   * a single long library call (a backtracking pattern match) gets there: the in-Lua deadline stops
   * everything else. Counted in the process's CPU time, like the deadline, so a worker the OS
   * scheduled late on a busy machine is not taken for an overrun. Default 400.
   */
  hardTimeoutGraceMs?: number;
  /** V8 limits of the worker thread. Default `{ maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 }`. */
  resourceLimits?: ResourceLimits;
  /** Script scopes (Lua states with their compiled script) kept in the worker, least recently used closed first. Default 64. */
  maxCachedScripts?: number;
  /** Longest script accepted, in UTF-8 bytes. Default 256 KiB. */
  maxScriptBytes?: number;
  /** How long the worker may take to start (load the WebAssembly), in ms. Default 15000. */
  startTimeoutMs?: number;
  /**
   * Nice value of the worker thread on Linux (0-19), so a script spinning until its deadline takes
   * CPU from the host's event loop last. Ignored on other systems, where it would apply to the
   * whole process. Default 0: on a busy machine a niced worker gets so little CPU that legitimate
   * scripts run into the clock cap of their deadline.
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
  workerNiceness: 0,
};

/** Longest deadline a call may ask for: a hook is a few string operations, not a batch job. */
const MAX_DEADLINE_MS = 60_000;

/**
 * Creates the Lua hook runner: real Lua 5.4 (wasmoon) in a `worker_threads` worker, behind the
 * {@link LuaHookRunner} seam. Scripts run in a sandbox (safe libraries only, helpers `json`,
 * `url`, `base64`, `crypto`), each call under a deadline no `pcall`/`xpcall`/`__gc` trick escapes.
 * Each script scope (`options.scope`: a gateway's config version) has a Lua state of its own
 * with its own memory cap, and every call runs the script in a new environment: no global
 * survives from one call to the next. A call stuck in one long library call gets its worker
 * terminated and replaced. Calls are queued and run one at a time in the worker; the caller's
 * event loop only ever awaits a message. The worker starts on the first call; `close()` stops it.
 *
 * @example
 * ```ts
 * const lua = createLuaHookRunner();
 * const script = 'function build(ctx) return json.encode({ to = ctx.to, text = ctx.message }) end';
 * const built = await lua.build(script, ctx, { scope: 'gateway-1' }); // { kind: 'payload', body: '{"text":"hi","to":"+15550100"}' }
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
  const scheduler = createLuaScheduler({
    memoryLimitBytes: settings.memoryLimitBytes,
    maxCachedScripts: settings.maxCachedScripts,
    hardTimeoutGraceMs: settings.hardTimeoutGraceMs,
    resourceLimits: settings.resourceLimits,
    startTimeoutMs: settings.startTimeoutMs,
    niceness: process.platform === 'linux' ? settings.workerNiceness : 0,
  });
  let closed = false;
  // Secret values seen in each script's ctx, masked out of its error messages.
  const secretsBySource = new Map<string, Set<string>>();

  const failureError = (reply: LuaFailureReply, source: string, deadlineMs: number): SmsError => {
    const secrets = secretsBySource.get(source);
    const masker = secrets && secrets.size > 0 ? createSecretMasker(secrets) : undefined;
    const detail = masker ? masker.mask(reply.message) : reply.message;
    const what = reply.phase === 'load' ? 'Lua script' : jobName(reply.phase);
    const at = reply.line === undefined ? '' : ` at line ${reply.line}`;
    const luaLine = reply.line === undefined ? {} : { luaLine: reply.line };
    switch (reply.kind) {
      case 'timeout':
        return new SmsError('LUA_TIMEOUT', `${what} exceeded its ${deadlineMs} ms deadline${at}`, luaLine);
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

  const call = async (
    op: LuaWorkerOp,
    script: string,
    arg: unknown,
    callOptions: LuaCallOptions | undefined,
  ): Promise<LuaResultReply> => {
    if (closed) throw new SmsError('LUA_ERROR', 'the Lua hook runner is closed');
    if (typeof script !== 'string' || script.trim() === '') throw new SmsError('LUA_ERROR', 'the Lua script is empty');
    const source = withoutBom(script);
    if (Buffer.byteLength(source, 'utf8') > settings.maxScriptBytes) {
      throw new SmsError('LUA_ERROR', `the Lua script is larger than ${formatBytes(settings.maxScriptBytes)}`);
    }
    const deadlineMs =
      callOptions?.deadlineMs === undefined
        ? settings.deadlineMs
        : positive('limits.deadlineMs', callOptions.deadlineMs, MAX_DEADLINE_MS, 'LUA_ERROR');
    const scope = callOptions?.scope ?? '';
    if (typeof scope !== 'string') throw new SmsError('LUA_ERROR', 'the Lua call scope must be a string');
    const job = { op, source, scope, deadlineMs, ...(arg === undefined ? {} : { arg }) };
    const reply = await scheduler.run(callOptions?.signal ? { ...job, signal: callOptions.signal } : job);
    if (reply.type === 'failure') throw failureError(reply, source, deadlineMs);
    return reply;
  };

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
    async inspect(script, callOptions) {
      return (await call('inspect', script, undefined, callOptions)).hooks;
    },

    async build(script, ctx, callOptions) {
      if (ctx === null || typeof ctx !== 'object') throw new SmsError('LUA_ERROR', 'Lua build() needs a ctx table');
      const text = typeof script === 'string' ? withoutBom(script) : script;
      rememberSecrets(text, ctx);
      // `gateway.secrets` is always a table, even when the gateway has none.
      const arg = { ...ctx, gateway: { ...ctx.gateway, secrets: { ...(ctx.gateway?.secrets ?? {}) } } };
      const reply = await call('build', text, arg, callOptions);
      if (reply.missing) throw new SmsError('LUA_ERROR', 'the Lua script defines no build(ctx) function');
      return toBuildResult(reply.value);
    },

    async parse(script, res, callOptions) {
      if (res === null || typeof res !== 'object') throw new SmsError('LUA_ERROR', 'Lua parse() needs a res table');
      const reply = await call('parse', script, responseArg(res), callOptions);
      return reply.missing ? null : toParseResult(reply.value);
    },

    async balance(script, res, callOptions) {
      if (res === null || typeof res !== 'object') throw new SmsError('LUA_ERROR', 'Lua balance() needs a res table');
      const reply = await call('balance', script, responseArg(res), callOptions);
      return reply.missing ? null : toBalance(reply.value);
    },

    async close() {
      if (closed) return;
      closed = true;
      await scheduler.close();
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
