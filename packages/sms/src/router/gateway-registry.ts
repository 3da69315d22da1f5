import type { Logger } from '@hotspot-kit/core';
import { type GatewayConfig, type GatewayConfigSource, parseGatewayConfigs } from '../config/gateway-config.js';
import { SmsError } from '../errors.js';
import type { LuaAccess } from '../gateways/custom-gateway.js';
import type { GatewaySender } from './gateway-sender.js';

/** The gateways in use: validated configs (priority order) and their senders by id. */
export interface GatewaySet {
  readonly configs: readonly GatewayConfig[];
  readonly senders: ReadonlyMap<string, GatewaySender>;
}

/**
 * Holds the gateway configs in use: loads them (from an array, or a `GatewayConfigSource` on
 * first need), validates them (schema and Lua scripts), swaps them on reload and follows the
 * source's change notifications. A failed load or reload keeps the previous set.
 */
export interface GatewayRegistry {
  /** The set in use; loads it from the source on first need (and throws when that fails). */
  current(): Promise<GatewaySet>;
  /** The set in use, or an empty one when the source cannot be loaded (the error is logged). */
  currentOrNone(): Promise<GatewaySet>;
  /** The set in use when loaded, without loading it. */
  peek(): GatewaySet | undefined;
  /** One gateway's sender; throws `UNKNOWN_GATEWAY`. */
  sender(gatewayId: string): Promise<GatewaySender>;
  /** Validates and swaps in `configs`, or the source's configs again; throws and keeps the old set when invalid. */
  reload(configs?: readonly unknown[]): Promise<void>;
  /** Calls `listener` with every set swapped in after this call; returns the unsubscribe function. */
  subscribe(listener: (set: GatewaySet) => void): () => void;
  /** Stops following the source. */
  close(): void;
}

/** What the registry needs from its router. */
export interface GatewayRegistryContext {
  /** Makes the sender of one validated config. */
  build(config: GatewayConfig): GatewaySender;
  lua: LuaAccess;
  logger: Logger;
}

const EMPTY: GatewaySet = { configs: [], senders: new Map() };

function isSource(value: unknown): value is GatewayConfigSource {
  return !Array.isArray(value) && typeof (value as GatewayConfigSource | null)?.load === 'function';
}

/** Makes the registry; an invalid array of configs throws `INVALID_GATEWAY_CONFIG` here, naming each bad field. */
export function createGatewayRegistry(
  gateways: readonly unknown[] | GatewayConfigSource,
  ctx: GatewayRegistryContext,
): GatewayRegistry {
  const source = isSource(gateways) ? gateways : undefined;
  if (!source && !Array.isArray(gateways)) {
    const message = 'must be an array of gateway configs or a source with load()';
    throw new SmsError('INVALID_GATEWAY_CONFIG', `Invalid gateway config: gateways: ${message}`, {
      issues: [{ path: 'gateways', message }],
    });
  }
  const listeners = new Set<(set: GatewaySet) => void>();
  let set: GatewaySet | undefined;
  let loading: Promise<GatewaySet> | undefined;

  const apply = (configs: GatewayConfig[]): GatewaySet => {
    set = { configs, senders: new Map(configs.map((c) => [c.id, ctx.build(c)] as const)) };
    for (const listener of listeners) listener(set);
    return set;
  };

  // Scripts are compiled before a set is swapped in: a syntax error is a config error, not a failed send.
  const validateLua = async (configs: GatewayConfig[]) => {
    const issues: { path: string; message: string }[] = [];
    for (const [i, c] of configs.entries()) {
      if (c.type !== 'custom' || !c.useLuaScript || !c.luaScript) continue;
      try {
        await (await ctx.lua.runner()).inspect(c.luaScript);
      } catch (error) {
        issues.push({ path: `[${i}].luaScript`, message: error instanceof Error ? error.message : String(error) });
      }
    }
    if (issues.length > 0) {
      const summary = issues.map((x) => `${x.path}: ${x.message}`).join('; ');
      throw new SmsError('INVALID_GATEWAY_CONFIG', `Invalid gateway config: ${summary}`, { issues });
    }
  };

  const load = async (configs: readonly unknown[]): Promise<GatewaySet> => {
    const parsed = parseGatewayConfigs(configs);
    await validateLua(parsed);
    return apply(parsed);
  };

  const registry: GatewayRegistry = {
    current() {
      if (set) return Promise.resolve(set);
      loading ??= (async () => load(await (source as GatewayConfigSource).load()))().finally(() => {
        loading = undefined;
      });
      return loading;
    },
    async currentOrNone() {
      try {
        return await registry.current();
      } catch (error) {
        ctx.logger.error('SMS gateway configs could not be loaded', { error: String(error) });
        return EMPTY;
      }
    },
    peek: () => set,
    async sender(gatewayId) {
      const sender = (await registry.current()).senders.get(gatewayId);
      if (!sender) throw new SmsError('UNKNOWN_GATEWAY', `No gateway with id "${gatewayId}"`, { gatewayId });
      return sender;
    },
    async reload(configs) {
      if (configs !== undefined) await load(configs);
      else if (source) await load(await source.load());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      unsubscribeSource?.();
    },
  };

  if (!source) apply(parseGatewayConfigs(gateways as readonly unknown[]));
  const unsubscribeSource = source?.subscribe?.(() => {
    registry.reload().catch((error: unknown) => {
      ctx.logger.error('SMS gateway configs could not be reloaded; keeping the previous ones', {
        error: String(error),
      });
    });
  });
  return registry;
}
