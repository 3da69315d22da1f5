import type { AlertRepository, Logger, SmsSenderEvent } from '@hotspot-kit/core';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { BalanceResult } from './sms-router.js';

/** What the monitor needs from its router. */
export interface BalanceMonitorContext {
  /** The gateway configs in use; `undefined` while a source has not loaded them. */
  gateways(): readonly GatewayConfig[] | undefined;
  /** Loads the configs (called when the monitor is started before they are). */
  load(): Promise<unknown>;
  checkBalance(gatewayId: string): Promise<BalanceResult>;
  emit(event: SmsSenderEvent): void;
  alerts: AlertRepository | undefined;
  clock(): Date;
  logger: Logger;
  newId(): string;
}

/** The balance monitor of one router. */
export interface BalanceMonitor {
  /** Starts now, or once the configs are loaded (unless stopped or closed before). */
  start(): void;
  /** Stops the timers (and a pending start); resolves when the checks in flight have finished. */
  stop(): Promise<void>;
  /** Stops for good: a later `start` does nothing. */
  close(): Promise<void>;
  /** Re-reads the gateways' `balanceCheck` (after a reload) when running. */
  reschedule(): void;
}

/**
 * Checks each gateway with `balanceCheck.enabled` every `everyMinutes` (and once when started).
 * A balance below `threshold` emits `sms.balance.low` and, with `dashboard`, inserts an alert;
 * once per low spell: it is said again only after the balance went back up.
 */
export function createBalanceMonitor(ctx: BalanceMonitorContext): BalanceMonitor {
  const timers = new Map<string, ReturnType<typeof setInterval>>();
  const low = new Set<string>();
  const inFlight = new Map<string, Promise<void>>();
  let running = false;
  // Asked to run (a start may wait for the configs), and closed for good.
  let wanted = false;
  let closed = false;

  const check = (config: GatewayConfig): Promise<void> => {
    const pending = inFlight.get(config.id);
    if (pending) return pending;
    const run = (async () => {
      const settings = config.balanceCheck;
      if (!settings?.enabled) return;
      try {
        const balance = await ctx.checkBalance(config.id);
        if (balance.amount >= settings.threshold) {
          low.delete(config.id);
          return;
        }
        if (low.has(config.id)) return;
        low.add(config.id);
        const at = ctx.clock();
        const event: SmsSenderEvent = {
          type: 'sms.balance.low',
          gatewayId: config.id,
          amount: balance.amount,
          threshold: settings.threshold,
          at,
        };
        if (balance.currency !== undefined) event.currency = balance.currency;
        if (settings.email !== undefined) event.email = settings.email;
        if (settings.dashboard && ctx.alerts) {
          await ctx.alerts.insert({
            id: ctx.newId(),
            gatewayId: config.id,
            amount: balance.amount,
            ...(balance.currency === undefined ? {} : { currency: balance.currency }),
            threshold: settings.threshold,
            createdAt: at,
          });
        }
        ctx.emit(event);
      } catch (error) {
        ctx.logger.warn('SMS gateway balance check failed', {
          gatewayId: config.id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    })().finally(() => inFlight.delete(config.id));
    inFlight.set(config.id, run);
    return run;
  };

  const monitored = () => (ctx.gateways() ?? []).filter((g) => g.balanceCheck?.enabled === true);

  const schedule = () => {
    for (const timer of timers.values()) clearInterval(timer);
    timers.clear();
    for (const config of monitored()) {
      const minutes = config.balanceCheck?.everyMinutes ?? 60;
      const timer = setInterval(() => void check(config), minutes * 60_000);
      // A monitor must not keep the host process alive on its own.
      timer.unref?.();
      timers.set(config.id, timer);
    }
  };

  const begin = () => {
    if (running || !wanted || closed) return;
    running = true;
    schedule();
    for (const config of monitored()) void check(config);
  };

  const monitor: BalanceMonitor = {
    start() {
      if (closed) return;
      wanted = true;
      if (ctx.gateways() !== undefined) return begin();
      // stop() or close() may come while the configs load: begin() checks.
      ctx
        .load()
        .then(begin)
        .catch((error: unknown) =>
          ctx.logger.error('balance monitor: gateway configs could not be loaded', { error: String(error) }),
        );
    },
    async stop() {
      wanted = false;
      running = false;
      for (const timer of timers.values()) clearInterval(timer);
      timers.clear();
      await Promise.all(inFlight.values());
    },
    async close() {
      closed = true;
      await monitor.stop();
    },
    reschedule() {
      if (!running) return;
      const ids = new Set(monitored().map((g) => g.id));
      for (const id of low) if (!ids.has(id)) low.delete(id);
      schedule();
    },
  };
  return monitor;
}
