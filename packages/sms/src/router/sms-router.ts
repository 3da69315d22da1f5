import type {
  AlertRepository,
  Logger,
  SmsAttempt,
  SmsLogEntry,
  SmsLogRepository,
  SmsMessage,
  SmsRequestPreview,
  SmsSender,
  SmsSenderEvent,
} from '@hotspot-kit/core';
import type { GatewayConfig, GatewayConfigSource } from '../config/gateway-config.js';
import type { FetchLike } from '../http/http-transport.js';
import type { LuaHookRunner } from '../lua/lua-hook-runner.js';
import type { CircuitBreakerOptions, CircuitState } from './circuit-breaker.js';

/**
 * The SMS log the router writes: core's `SmsLogRepository` (`store.smsLog`).
 *
 * @deprecated Use `SmsLogRepository` from `@hotspot-kit/core`; this alias stays because the
 * design's contract names it.
 */
export type SmsLogStore = SmsLogRepository;

/**
 * Options of {@link createSmsRouter}. What the router writes goes to three places, one each:
 * `log` (every message and its attempts), `alerts` (low-balance dashboard alerts) and `logger`
 * (what went wrong inside the router: a failed log write, a reload, a balance check).
 */
export interface SmsRouterOptions {
  /** Gateway configs (plain JSON; the array order is the priority), or a source to load them from. */
  gateways: readonly unknown[] | GatewayConfigSource;
  /** Where every send and its attempts are logged (`store.smsLog`). Without it nothing is kept. */
  log?: SmsLogRepository;
  /** Where low-balance dashboard alerts go (`store.alerts`); without it only the event is emitted. */
  alerts?: AlertRepository;
  /** Where the router reports its own failures (never codes or secrets). Default: silent. */
  logger?: Logger;
  /** A `fetch` to use instead of the built-in undici client (tests, other runtimes). */
  fetch?: FetchLike;
  /** The time (tests). */
  clock?: () => Date;
  /** Skipping gateways that keep failing; `false` turns it off. */
  circuitBreaker?: CircuitBreakerOptions | false;
  /** A Lua runner to use instead of loading the built-in one (wasmoon) on first need. */
  luaRunner?: LuaHookRunner;
  /** CPU deadline of one Lua hook call, ms. Default 200. */
  luaDeadlineMs?: number;
  /** Makes SMS log entry ids (`%ID%`). Default: random UUIDs. */
  generateId?: () => string;
}

/** An account balance, from {@link SmsRouter.checkBalance}. */
export interface BalanceResult {
  gatewayId: string;
  amount: number;
  currency?: string;
  /** The provider's answer (secrets masked). */
  raw: string;
  checkedAt: Date;
}

/** What {@link SmsRouter.testSend} did: the attempt, the request made (secrets masked) and the answer. */
export interface TestSendResult extends SmsAttempt {
  request: SmsRequestPreview;
  /** The provider's answer (body secrets masked); absent when none came (error, timeout). */
  response?: { status: number; headers: Record<string, string>; body: string };
  /** The attempt alone (the same fields as this result). */
  attempt: SmsAttempt;
  /** The SMS log entry of the test message (purpose `test`). */
  entry: SmsLogEntry;
}

/** A message for {@link SmsRouter.previewRequest}; `id` defaults to `preview`. */
export type PreviewMessage = Pick<SmsMessage, 'to' | 'text'> &
  Partial<Pick<SmsMessage, 'sender' | 'logText'>> & { id?: string };

/**
 * Sends SMS through the configured gateways with failover, and is the kit's `SmsSender`.
 * `send` always resolves to the SMS log entry (`sent` or `failed`, every attempt recorded).
 */
export interface SmsRouter extends SmsSender {
  /**
   * Tries the enabled gateways serving the message's location in configured order until one
   * accepts it; resolves within the sum of their `timeoutMs`. Gateways whose circuit is open
   * are skipped (an attempt with `skipped: 'circuit-open'` says so), unless all are.
   */
  send(message: SmsMessage): Promise<SmsLogEntry>;
  /** Low-balance events (`sms.balance.low`); returns the unsubscribe function. */
  subscribe(listener: (event: SmsSenderEvent) => void): () => void;
  /** Sends a test SMS through one gateway (also a disabled one), ignoring the circuit breaker. */
  testSend(gatewayId: string, to: string, options?: { text?: string; sender?: string }): Promise<TestSendResult>;
  /** The request a gateway would make for `message` (Lua `build` included), secrets masked; nothing is sent. */
  previewRequest(gatewayId: string, message: PreviewMessage): Promise<SmsRequestPreview>;
  /** Reads a gateway's balance; throws `BALANCE_UNAVAILABLE` when it cannot. */
  checkBalance(gatewayId: string): Promise<BalanceResult>;
  /**
   * Checks balances now and every `balanceCheck.everyMinutes` for gateways with
   * `balanceCheck.enabled`. With a `GatewayConfigSource` not loaded yet, it starts once the
   * configs are loaded, unless {@link SmsRouter.stop} or {@link SmsRouter.close} came first.
   */
  startBalanceMonitor(): void;
  /** Stops the balance monitor; resolves when the checks in flight have finished. */
  stop(): Promise<void>;
  /** Handles Twilio's delivery-receipt callback (a Web `Request`); see `docs/gateways.md`. */
  handleStatusCallback(request: Request): Promise<Response>;
  /**
   * Swaps the gateway configs at runtime (reorder, enable, disable, edit) without dropping sends
   * in flight; with no argument, loads them again from the `GatewayConfigSource`. Throws
   * `INVALID_GATEWAY_CONFIG` (and keeps the old configs) when the new ones are invalid.
   */
  reload(configs?: readonly unknown[]): Promise<void>;
  /** The validated configs in use, defaults applied. */
  getGateways(): Promise<readonly GatewayConfig[]>;
  /** A gateway's circuit breaker state. */
  circuitState(gatewayId: string): CircuitState;
  /**
   * Stops the monitor (waiting for its checks in flight), stops listening to the config source
   * and closes connections and the Lua worker it made. Nothing starts afterwards.
   */
  close(): Promise<void>;
}
