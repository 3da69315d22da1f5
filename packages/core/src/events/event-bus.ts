import type { Logger } from '../logger.js';

export type EventHandler<P> = (payload: P) => void | Promise<void>;

/** Typed publish/subscribe. `on` returns the unsubscribe function. */
export interface EventBus<E extends object> {
  on<K extends keyof E & string>(name: K, handler: EventHandler<E[K]>): () => void;
  off<K extends keyof E & string>(name: K, handler: EventHandler<E[K]>): void;
}

/** The emitting side, kept inside the kit. */
export interface EventEmitter<E extends object> extends EventBus<E> {
  /** Runs the handlers without making the caller wait; errors go to the logger. */
  emit<K extends keyof E & string>(name: K, payload: E[K]): void;
  /** Resolves when every handler started so far has finished (tests, graceful shutdown). */
  settled(): Promise<void>;
}

/**
 * Makes an event bus whose handlers never block or break the operation that emitted: a
 * handler's failure is logged, not thrown into a voucher activation.
 */
export function createEventBus<E extends object>(logger: Logger): EventEmitter<E> {
  const handlers = new Map<string, Set<EventHandler<never>>>();
  const pending = new Set<Promise<void>>();

  return {
    on(name, handler) {
      let set = handlers.get(name);
      if (!set) {
        set = new Set();
        handlers.set(name, set);
      }
      set.add(handler as EventHandler<never>);
      return () => set.delete(handler as EventHandler<never>);
    },
    off(name, handler) {
      handlers.get(name)?.delete(handler as EventHandler<never>);
    },
    emit(name, payload) {
      const set = handlers.get(name);
      if (!set) return;
      for (const handler of set) {
        const run = (async () => {
          try {
            await (handler as EventHandler<typeof payload>)(payload);
          } catch (error) {
            logger.error(`event handler for '${name}' failed`, { error: describeError(error) });
          }
        })();
        pending.add(run);
        void run.finally(() => pending.delete(run));
      }
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
