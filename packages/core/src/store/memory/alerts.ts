import type { BalanceAlert } from '../../domain/sms.js';
import { HotspotKitError } from '../../errors.js';
import type { AlertRepository } from '../hotspot-store.js';
import { clone } from './clone.js';

/** Low-balance alerts in memory; `dismiss` is a compare-and-set on `dismissedAt`. */
export function createMemoryAlertsRepository(): AlertRepository {
  const alerts = new Map<string, BalanceAlert>();
  return {
    async insert(alert) {
      if (alerts.has(alert.id)) throw new HotspotKitError('CONFLICT', `Alert ${alert.id} exists already`);
      alerts.set(alert.id, clone(alert));
    },

    async list(options = {}) {
      const out: BalanceAlert[] = [];
      for (const alert of alerts.values()) {
        if (alert.dismissedAt === undefined || options.includeDismissed === true) out.push(clone(alert));
      }
      return out.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    },

    async dismiss(id, at) {
      const alert = alerts.get(id);
      if (alert === undefined || alert.dismissedAt !== undefined) return false;
      alert.dismissedAt = new Date(at.getTime());
      return true;
    },
  };
}
