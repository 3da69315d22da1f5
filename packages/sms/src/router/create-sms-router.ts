import {
  type Logger,
  type SmsAttempt,
  type SmsLogEntry,
  type SmsMessage,
  type SmsSenderEvent,
  silentLogger,
} from '@hotspot-kit/core';
import {
  type GatewayConfig,
  type GatewayConfigSource,
  gatewayName,
  parseGatewayConfigs,
  servesLocation,
} from '../config/gateway-config.js';
import { SmsError } from '../errors.js';
import { createCustomGateway, type LuaAccess } from '../gateways/custom-gateway.js';
import { type GatewayDriver, type OutgoingSms, previewRequest, snippet } from '../gateways/gateway-driver.js';
import { createTwilioGateway } from '../gateways/twilio-gateway.js';
import { createHttpTransport, describeNetworkError } from '../http/http-transport.js';
import type { LuaHookRunner } from '../lua/lua-hook-runner.js';
import type { SecretMasker } from '../secrets/secret-masker.js';
import { createStatusCallbackHandler } from '../twilio/status-callback.js';
import { createBalanceMonitor } from './balance-monitor.js';
import { attemptScope, createCircuitBreaker } from './circuit-breaker.js';
import { type LoggedText, loggedText } from './logged-text.js';
import { poolKey, runAttempt } from './run-attempt.js';
import type { BalanceResult, SmsRouter, SmsRouterOptions, TestSendResult } from './sms-router.js';

interface Loaded {
  configs: GatewayConfig[];
  drivers: Map<string, GatewayDriver>;
}

const DEFAULT_TEST_TEXT = 'hotspot-kit test message';

function isSource(value: SmsRouterOptions['gateways']): value is GatewayConfigSource {
  return !Array.isArray(value) && typeof (value as GatewayConfigSource | null)?.load === 'function';
}

/**
 * Makes the SMS router: priority failover over the configured gateways per location, every
 * attempt in the SMS log, a circuit breaker, test sends, balance checks and Twilio delivery
 * receipts. It implements core's `SmsSender`, so it is what `createHotspotKit({ sms })` takes.
 * Invalid configs throw an {@link SmsError} `INVALID_GATEWAY_CONFIG` naming each bad field.
 *
 * @example
 * ```ts
 * const store = createMemoryStore()
 * const router = createSmsRouter({
 *   gateways: [
 *     { id: 'twilio', name: 'Twilio', type: 'twilio', enabled: true, accountSid: 'AC…',
 *       apiKey: 'SK…', apiSecret: process.env.TWILIO_SECRET!, from: '+15005550006' },
 *     { id: 'backup', name: 'Backup', type: 'custom', enabled: true, method: 'POST', contentType: 'json',
 *       url: 'https://sms.example/send', payload: '{"to":"%TO%","text":"%MESSAGE%"}', verifySsl: true,
 *       useLuaScript: false, customHeaderName: 'X-Api-Key', customHeaderValue: '%SECRET:key%',
 *       secrets: { key: process.env.BACKUP_KEY! } },
 *   ],
 *   log: store.smsLog,
 *   alerts: store.alerts,
 * })
 * const entry = await router.send({ to: '+14155550100', text: 'Hello', purpose: 'test' })
 * ```
 */
export function createSmsRouter(options: SmsRouterOptions): SmsRouter {
  if (options === null || typeof options !== 'object') {
    throw new SmsError('INVALID_GATEWAY_CONFIG', 'createSmsRouter needs an options object with gateways');
  }
  const source = isSource(options.gateways) ? options.gateways : undefined;
  if (!source && !Array.isArray(options.gateways)) {
    throw new SmsError(
      'INVALID_GATEWAY_CONFIG',
      'Invalid gateway config: gateways: must be an array of gateway configs or a source with load()',
      { issues: [{ path: 'gateways', message: 'must be an array of gateway configs or a source with load()' }] },
    );
  }
  const clock = options.clock ?? (() => new Date());
  const logger: Logger = options.logger ?? silentLogger;
  const newId = options.generateId ?? (() => globalThis.crypto.randomUUID());
  const log = options.log ?? options.store?.smsLog;
  const alerts = options.alerts ?? options.store?.alerts;
  const transport = createHttpTransport(options.fetch);
  const breaker = createCircuitBreaker(options.circuitBreaker);
  const listeners = new Set<(event: SmsSenderEvent) => void>();

  let luaRunner: Promise<LuaHookRunner> | undefined = options.luaRunner
    ? Promise.resolve(options.luaRunner)
    : undefined;
  const lua: LuaAccess = {
    runner() {
      // Loaded on first use only: hosts without Lua gateways never load wasmoon.
      luaRunner ??= import('../lua/index.js').then((m) => m.createLuaHookRunner());
      return luaRunner;
    },
    deadlineMs: options.luaDeadlineMs ?? 200,
    now: clock,
  };

  const makeDrivers = (configs: GatewayConfig[]): Map<string, GatewayDriver> =>
    new Map(
      configs.map((c) => [c.id, c.type === 'twilio' ? createTwilioGateway(c) : createCustomGateway(c, lua)] as const),
    );

  let loaded: Loaded | undefined;
  let monitorWanted = false;
  let closed = false;
  let loading: Promise<Loaded> | undefined;

  const apply = (configs: GatewayConfig[]) => {
    const drivers = makeDrivers(configs);
    loaded = { configs, drivers };
    transport.retain(new Set([...drivers.values()].map(poolKey)));
    breaker.retain(new Set(drivers.keys()));
    monitor.reschedule();
    return loaded;
  };

  const validateLua = async (configs: GatewayConfig[]) => {
    const issues: { path: string; message: string }[] = [];
    for (const [i, c] of configs.entries()) {
      if (c.type !== 'custom' || !c.useLuaScript || !c.luaScript) continue;
      try {
        await (await lua.runner()).inspect(c.luaScript);
      } catch (error) {
        issues.push({ path: `[${i}].luaScript`, message: error instanceof Error ? error.message : String(error) });
      }
    }
    if (issues.length > 0) {
      const summary = issues.map((x) => `${x.path}: ${x.message}`).join('; ');
      throw new SmsError('INVALID_GATEWAY_CONFIG', `Invalid gateway config: ${summary}`, { issues });
    }
  };

  const loadFromSource = async (): Promise<Loaded> => {
    if (!source) throw new Error('no gateway source');
    const configs = parseGatewayConfigs(await source.load());
    await validateLua(configs);
    return apply(configs);
  };

  const current = async (): Promise<Loaded> => {
    if (loaded) return loaded;
    loading ??= loadFromSource().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  const driverFor = async (gatewayId: string): Promise<GatewayDriver> => {
    const driver = (await current()).drivers.get(gatewayId);
    if (!driver) throw new SmsError('UNKNOWN_GATEWAY', `No gateway with id "${gatewayId}"`, { gatewayId });
    return driver;
  };

  const emit = (event: SmsSenderEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error('sms event listener threw', { type: event.type, error: String(error) });
      }
    }
  };

  const maskerFor = (driver: GatewayDriver, logged: LoggedText): SecretMasker =>
    logged.hide.length > 0 ? driver.masker.with(logged.hide) : driver.masker;

  const newEntry = (message: SmsMessage, id: string, logged: LoggedText): SmsLogEntry => {
    const now = clock();
    const entry: SmsLogEntry = {
      id,
      to: message.to,
      text: logged.text,
      purpose: message.purpose,
      status: 'sending',
      createdAt: now,
      updatedAt: now,
      attempts: [],
    };
    if (message.locationId !== undefined) entry.locationId = message.locationId;
    if (message.sender !== undefined) entry.sender = message.sender;
    if (message.meta !== undefined) entry.meta = { ...message.meta };
    return entry;
  };

  const insertEntry = async (entry: SmsLogEntry) => {
    if (!log) return;
    try {
      await log.insert(entry);
    } catch (error) {
      // The message still goes out: a customer waiting for a code must get it.
      logger.error('could not insert the SMS log entry', { id: entry.id, error: String(error) });
    }
  };

  const finish = async (entry: SmsLogEntry, tried: SmsAttempt[]): Promise<SmsLogEntry> => {
    const sent = tried.find((a) => a.outcome === 'sent');
    const last = [...tried].reverse().find((a) => a.skipped === undefined);
    entry.status = sent ? 'sent' : 'failed';
    const by = sent ?? last;
    if (by) entry.gatewayId = by.gatewayId;
    if (sent?.providerMessageId !== undefined) entry.providerMessageId = sent.providerMessageId;
    if (!sent) {
      const code = last?.providerError?.code;
      if (code !== undefined) entry.errorCode = String(code);
      else if (tried.length === 0) entry.errorCode = 'NO_GATEWAY';
    }
    entry.updatedAt = clock();
    if (log) {
      try {
        await log.update(entry);
      } catch (error) {
        // The SMS went out (or not) already; throwing would invite a resend.
        logger.error('could not update the SMS log entry', { id: entry.id, error: String(error) });
      }
    }
    return entry;
  };

  const checkMessage = (message: SmsMessage) => {
    const issues: { path: string; message: string }[] = [];
    if (message === null || typeof message !== 'object') issues.push({ path: '(root)', message: 'must be an object' });
    else {
      if (typeof message.to !== 'string' || message.to.trim() === '')
        issues.push({ path: 'to', message: 'must be a phone number' });
      if (typeof message.text !== 'string') issues.push({ path: 'text', message: 'must be a string' });
      if (typeof message.purpose !== 'string' || message.purpose === '')
        issues.push({ path: 'purpose', message: 'must be a string' });
    }
    if (issues.length > 0) {
      throw new SmsError(
        'INVALID_MESSAGE',
        `Invalid SMS message: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        {
          issues,
        },
      );
    }
  };

  const monitor = createBalanceMonitor({
    gateways: () => loaded?.configs ?? [],
    checkBalance: (id) => router.checkBalance(id),
    emit,
    alerts,
    clock,
    logger,
    newId,
  });

  const statusCallback = createStatusCallbackHandler({
    gateways: async () => (await current()).configs,
    log,
    clock,
    logger,
  });

  const router: SmsRouter = {
    async send(message) {
      checkMessage(message);
      let state: Loaded;
      try {
        state = await current();
      } catch (error) {
        logger.error('SMS gateway configs could not be loaded', { error: String(error) });
        state = { configs: [], drivers: new Map() };
      }
      const logged = loggedText(message);
      const entry = newEntry(message, newId(), logged);
      await insertEntry(entry);
      const candidates = state.configs.filter((c) => c.enabled && servesLocation(c, message.locationId));
      const now = () => clock().getTime();
      // With every candidate's circuit open, skipping them all would fail for sure: try them.
      const useBreaker = !candidates.every((c) => breaker.isOpen(c.id, now()));
      for (const config of candidates) {
        const driver = state.drivers.get(config.id) as GatewayDriver;
        const open = useBreaker ? breaker.check(config.id, now()) : null;
        if (open) {
          const skipped: SmsAttempt = {
            gatewayId: config.id,
            startedAt: clock(),
            durationMs: 0,
            outcome: 'error',
            error: `skipped: circuit open after ${open.failures} recent failures; next try after ${open.retryAt.toISOString()}`,
            skipped: 'circuit-open',
          };
          if (config.name !== undefined) skipped.gatewayName = config.name;
          entry.attempts.push(skipped);
          continue;
        }
        const sms: OutgoingSms = { id: entry.id, to: message.to, text: message.text };
        if (message.sender !== undefined) sms.sender = message.sender;
        const result = await runAttempt(driver, sms, maskerFor(driver, logged), transport, clock);
        const { attempt } = result;
        breaker.record(config.id, attemptScope(result), now());
        entry.attempts.push(attempt);
        if (attempt.outcome === 'sent') break;
      }
      return finish(entry, entry.attempts);
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    async testSend(gatewayId, to, testOptions = {}) {
      const driver = await driverFor(gatewayId);
      const text = testOptions.text ?? `${DEFAULT_TEST_TEXT} (${gatewayName(driver.config)})`;
      const message: SmsMessage = { to, text, purpose: 'test' };
      if (testOptions.sender !== undefined) message.sender = testOptions.sender;
      checkMessage(message);
      const entry = newEntry(message, newId(), loggedText(message));
      await insertEntry(entry);
      const sms: OutgoingSms = { id: entry.id, to, text };
      if (message.sender !== undefined) sms.sender = message.sender;
      const masker = driver.masker;
      const { attempt, request, response } = await runAttempt(driver, sms, masker, transport, clock);
      entry.attempts.push(attempt);
      await finish(entry, entry.attempts);
      const result: TestSendResult = {
        ...attempt,
        request: attempt.request ?? (request ? previewRequest(request, masker) : { method: '', url: '', headers: {} }),
        attempt,
        entry,
      };
      if (response) {
        result.response = { status: response.status, headers: response.headers, body: masker.mask(response.body) };
      }
      return result;
    },

    async previewRequest(gatewayId, message) {
      const driver = await driverFor(gatewayId);
      const sms: OutgoingSms = { id: message.id ?? 'preview', to: message.to, text: message.text };
      if (message.sender !== undefined) sms.sender = message.sender;
      const logged = loggedText({ text: message.text, logText: message.logText, purpose: 'preview' });
      return previewRequest(await driver.buildRequest(sms), maskerFor(driver, logged));
    },

    async checkBalance(gatewayId) {
      const driver = await driverFor(gatewayId);
      const request = driver.balanceRequest();
      if (!request) {
        throw new SmsError(
          'BALANCE_UNAVAILABLE',
          `Gateway "${gatewayId}" has no balance settings (add balance: { url, jsonPath? })`,
          { gatewayId },
        );
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), driver.config.timeoutMs);
      try {
        const response = await transport.send(request, {
          poolKey: poolKey(driver),
          verifySsl: driver.config.type === 'custom' ? driver.config.verifySsl : true,
          signal: controller.signal,
        });
        const reading = await driver.readBalance(response);
        const result: BalanceResult = {
          gatewayId,
          amount: reading.amount,
          raw: driver.masker.mask(snippet(response.body, 2000)),
          checkedAt: clock(),
        };
        if (reading.currency !== undefined) result.currency = reading.currency;
        return result;
      } catch (error) {
        if (error instanceof SmsError) {
          if (error.code === 'BALANCE_UNAVAILABLE') throw error;
          throw new SmsError('BALANCE_UNAVAILABLE', driver.masker.mask(error.message), { gatewayId, cause: error });
        }
        const reason = controller.signal.aborted
          ? `no answer within ${driver.config.timeoutMs} ms`
          : driver.masker.mask(describeNetworkError(error));
        throw new SmsError('BALANCE_UNAVAILABLE', `Balance of gateway "${gatewayId}" unavailable: ${reason}`, {
          gatewayId,
        });
      } finally {
        clearTimeout(timer);
      }
    },

    startBalanceMonitor() {
      const handle = { stop: () => router.stop() };
      if (closed) return handle;
      monitorWanted = true;
      if (loaded) monitor.start();
      else {
        current()
          .then(() => {
            // stop() or close() may have come while the configs were loading.
            if (monitorWanted && !closed) monitor.start();
          })
          .catch((error: unknown) =>
            logger.error('balance monitor: gateway configs could not be loaded', { error: String(error) }),
          );
      }
      return handle;
    },

    stopBalanceMonitor() {
      return router.stop();
    },

    stop() {
      monitorWanted = false;
      return monitor.stop();
    },

    handleStatusCallback(request) {
      return statusCallback(request);
    },

    async reload(configs) {
      let next: GatewayConfig[];
      if (configs !== undefined) next = parseGatewayConfigs(configs);
      else if (source) next = parseGatewayConfigs(await source.load());
      else return;
      await validateLua(next);
      apply(next);
    },

    async getGateways() {
      return (await current()).configs;
    },

    circuitState(gatewayId) {
      return breaker.state(gatewayId, clock().getTime());
    },

    async close() {
      closed = true;
      await router.stop();
      unsubscribeSource?.();
      await transport.close();
      if (luaRunner && !options.luaRunner) await (await luaRunner.catch(() => null))?.close();
    },
  };

  if (!source) apply(parseGatewayConfigs(options.gateways));
  const unsubscribeSource = source?.subscribe?.(() => {
    router.reload().catch((error: unknown) => {
      logger.error('SMS gateway configs could not be reloaded; keeping the previous ones', { error: String(error) });
    });
  });

  return router;
}
