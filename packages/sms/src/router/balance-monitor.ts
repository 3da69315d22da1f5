import type { AlertRepository, Logger, SmsSenderEvent } from '@hotspot-kit/core';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { BalanceResult } from './sms-router.js';

/** What the monitor needs from its router. */
export interface BalanceMonitorContext {
  gateways(): readonly GatewayConfig[];
  checkBalance(gatewayId: string): Promise<BalanceResult>;
  emit(event: SmsSenderEvent): void;
  alerts: AlertRepository | undefined;
  clock(): Date;
  logger: Logger;
  newId(): string;
}

/** A running balance monitor. */
export interface BalanceMonitor {
  start(): void;
  /** Stops the timers; resolves when the checks in flight have finished. */
  stop(): Promise<void>;
  /** Re-reads the gateways' `balanceCheck` (after a reload) when running. */
  reschedule(): void;
  /** Checks every monitored gateway now; resolves when done. */
  checkNow(): Promise<void>;
  readonly running: boolean;
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

  const monitored = () => ctx.gateways().filter((g) => g.balanceCheck?.enabled === true);

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

  return {
    start() {
      if (running) return;
      running = true;
      schedule();
      for (const config of monitored()) void check(config);
    },
    async stop() {
      running = false;
      for (const timer of timers.values()) clearInterval(timer);
      timers.clear();
      await Promise.all(inFlight.values());
    },
    reschedule() {
      if (!running) return;
      const ids = new Set(monitored().map((g) => g.id));
      for (const id of low) if (!ids.has(id)) low.delete(id);
      schedule();
    },
    async checkNow() {
      await Promise.all(monitored().map((config) => check(config)));
    },
    get running() {
      return running;
    },
  };
}
