import type { NotificationKind } from '../domain/notification.js';
import { HotspotKitError } from '../errors.js';
import { parseOrThrow } from '../validation.js';
import { notificationOptionsSchema, type ResolvedNotificationOptions } from './notification-options.js';
import { type CompiledTemplate, compileTemplate } from './template.js';

/** Options after validation, with each policy's template compiled. */
export interface LoadedNotificationPolicies {
  options: ResolvedNotificationOptions;
  templates: Record<NotificationKind, CompiledTemplate>;
}

/**
 * Validates policies and compiles their templates. `prefix` is put before field names in
 * errors (`'notifications.'` when they came in the kit options).
 */
export function loadNotificationPolicies(
  options: ResolvedNotificationOptions,
  prefix = '',
): LoadedNotificationPolicies {
  return {
    options,
    templates: {
      'status-page-link': compileTemplate(options.statusPageLink.template, {
        kind: 'status-page-link',
        field: `${prefix}statusPageLink.template`,
      }),
      'usage-threshold': compileTemplate(options.usageThreshold.template, {
        kind: 'usage-threshold',
        field: `${prefix}usageThreshold.template`,
      }),
    },
  };
}

/**
 * Checks notification policies the way `kit.notifications.reload` does, without a kit: for an
 * admin UI that validates before it saves. Takes the JSON text or the parsed object; returns
 * the policies with defaults filled in, or throws `INVALID_CONFIG` (a bad field, named) or
 * `INVALID_TEMPLATE` (an unknown variable or malformed tag, named with the field).
 *
 * @example
 * ```ts
 * try { parseNotificationOptions(req.body) } catch (e) {
 *   if (isHotspotKitError(e)) return res.status(400).json({ error: e.message, issues: e.issues })
 * }
 * ```
 */
export function parseNotificationOptions(input: unknown): ResolvedNotificationOptions {
  const raw = typeof input === 'string' ? parseJson(input) : input;
  const options = parseOrThrow(notificationOptionsSchema, raw, 'notification policies', 'INVALID_CONFIG');
  return loadNotificationPolicies(options).options;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HotspotKitError('INVALID_CONFIG', `Invalid notification policies: not JSON (${(e as Error).message})`, {
      issues: [{ path: '(root)', message: 'must be JSON' }],
      cause: e,
    });
  }
}
