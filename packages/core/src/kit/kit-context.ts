import type { SmsSender } from '../domain/sms.js';
import type { EventEmitter } from '../events/event-bus.js';
import type { HotspotEvents } from '../events/hotspot-events.js';
import type { Logger } from '../logger.js';
import type { HotspotStore } from '../store/hotspot-store.js';
import type { ResolvedKitOptions } from './options.js';

/** What every service of the kit is built from. Internal: not exported from the package. */
export interface KitContext {
  store: HotspotStore;
  sms: SmsSender | undefined;
  /** First signs, all verify. */
  secrets: readonly string[];
  clock: () => Date;
  events: EventEmitter<HotspotEvents>;
  logger: Logger;
  options: ResolvedKitOptions;
}
