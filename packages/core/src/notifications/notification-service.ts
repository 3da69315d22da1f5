import type { KitContext } from '../kit/kit-context.js';
import type { NotificationService } from '../kit/services.js';

// PLACEHOLDER: being implemented (see the issue that owns this file).
export function createNotificationService(_ctx: KitContext): NotificationService {
  throw new Error('createNotificationService is not implemented yet');
}
