import type { Logger, SmsSenderEvent } from '@hotspot-kit/core';

/** The router's events (`sms.balance.low`): listeners, and a way to tell them. */
export interface SmsEvents {
  subscribe(listener: (event: SmsSenderEvent) => void): () => void;
  /** Tells every listener; one that throws is logged and does not stop the others. */
  emit(event: SmsSenderEvent): void;
}

/** Makes the event hub of one router. */
export function createSmsEvents(logger: Logger): SmsEvents {
  const listeners = new Set<(event: SmsSenderEvent) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          logger.error('sms event listener threw', { type: event.type, error: String(error) });
        }
      }
    },
  };
}
