import { silentLogger } from '@hotspot-kit/core';
import { servesLocation } from '../config/gateway-config.js';
import { SmsError } from '../errors.js';
import type { OutgoingSms } from '../gateways/gateway-driver.js';
import { createHttpTransport } from '../http/http-transport.js';
import { createStatusCallbackHandler } from '../twilio/status-callback.js';
import { checkBalance } from './balance-check.js';
import { createBalanceMonitor } from './balance-monitor.js';
import { checkMessage } from './check-message.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { createDiagnostics } from './diagnostics.js';
import { createFailoverSender } from './failover-sender.js';
import { createGatewayRegistry } from './gateway-registry.js';
import { createGatewaySender } from './gateway-sender.js';
import { createLazyLua } from './lazy-lua.js';
import { loggedText } from './logged-text.js';
import { poolKey } from './run-attempt.js';
import { createSmsEvents } from './sms-events.js';
import { createSmsLogWriter } from './sms-log-writer.js';
import type { SmsRouter, SmsRouterOptions } from './sms-router.js';

/**
 * Makes the SMS router: priority failover over the configured gateways per location, every
 * attempt in the SMS log, a circuit breaker, test sends, balance checks and Twilio delivery
 * receipts. It implements core's `SmsSender`, so it is what `createHotspotKit({ sms })` takes.
 * Invalid configs throw an {@link SmsError} `INVALID_GATEWAY_CONFIG` naming each bad field.
 * Shut down with `close()` (after the kit, before the store).
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
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const newId = options.generateId ?? (() => globalThis.crypto.randomUUID());
  const transport = createHttpTransport(options.fetch);
  const breaker = createCircuitBreaker(options.circuitBreaker);
  const lua = createLazyLua({ runner: options.luaRunner, deadlineMs: options.luaDeadlineMs, clock });
  const events = createSmsEvents(logger);
  const logWriter = createSmsLogWriter({ log: options.log, logger, clock, newId });
  const registry = createGatewayRegistry(options.gateways, {
    build: (config) => createGatewaySender(config, { lua, transport, clock }),
    lua,
    logger,
  });
  const diagnostics = createDiagnostics({ registry, logWriter });
  const balance = async (gatewayId: string) => checkBalance(await registry.sender(gatewayId), transport, clock);
  const monitor = createBalanceMonitor({
    gateways: () => registry.peek()?.configs,
    load: () => registry.current(),
    checkBalance: balance,
    emit: events.emit,
    alerts: options.alerts,
    clock,
    logger,
    newId,
  });
  const statusCallback = createStatusCallbackHandler({
    gateways: async () => (await registry.current()).configs,
    log: options.log,
    clock,
    logger,
  });
  registry.subscribe((set) => {
    transport.retain(new Set([...set.senders.values()].map((s) => poolKey(s.driver))));
    breaker.retain(new Set(set.senders.keys()));
    monitor.reschedule();
  });

  return {
    async send(message) {
      checkMessage(message);
      const { configs, senders } = await registry.currentOrNone();
      const logged = loggedText(message);
      const entry = await logWriter.start(message, logged);
      const candidates = configs
        .filter((c) => c.enabled && servesLocation(c, message.locationId))
        .map((c) => senders.get(c.id))
        .filter((s) => s !== undefined);
      const sms: OutgoingSms = { id: entry.id, to: message.to, text: message.text };
      if (message.sender !== undefined) sms.sender = message.sender;
      const attempts = await createFailoverSender(candidates, { breaker, clock }).send(sms, logged);
      return logWriter.finish(entry, attempts);
    },
    subscribe: events.subscribe,
    testSend: diagnostics.testSend,
    previewRequest: diagnostics.previewRequest,
    checkBalance: balance,
    startBalanceMonitor: () => monitor.start(),
    stop: () => monitor.stop(),
    handleStatusCallback: statusCallback,
    reload: registry.reload,
    getGateways: async () => (await registry.current()).configs,
    circuitState: (gatewayId) => breaker.state(gatewayId, clock().getTime()),
    async close() {
      await monitor.close();
      registry.close();
      await transport.close();
      await lua.close();
    },
  };
}
