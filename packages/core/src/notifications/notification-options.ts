import { z } from 'zod';
import { parseTemplate } from './template.js';
import { allowedVariablePaths } from './template-variables.js';

/** The status-page-link template used when the policy gives none. */
export const DEFAULT_STATUS_PAGE_LINK_TEMPLATE = 'Your WiFi status page: {{ .link }}';
/** The usage-threshold template used when the policy gives none. */
export const DEFAULT_USAGE_THRESHOLD_TEMPLATE =
  'You have used {{ .usage.percent }}% of your {{ .plan.name }} {{ .usage.kind }}.';

const template = z.string().min(1, 'must not be empty').max(1600, 'must be at most 1600 characters (10 SMS segments)');

const portalUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL, e.g. https://wifi.example.com/portal',
});

const percent = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be 0 (off) to 100')
  .max(100, 'must be 0 (off) to 100');

/** The `statusPageLink` policy: an SMS with the portal link when a voucher is activated. */
export const statusPageLinkPolicySchema = z
  .object({
    enabled: z.boolean().default(false),
    /** `once`: one SMS per customer, ever. `every-activation`: one per voucher activation. */
    frequency: z.enum(['once', 'every-activation']).default('once'),
    template: template.default(DEFAULT_STATUS_PAGE_LINK_TEMPLATE),
    /** The portal's URL, e.g. `https://wifi.example.com/portal`; `{{ .link }}` adds the token to it. */
    portalUrl: portalUrl.optional(),
    /** How long the link's phone pre-fill token is valid (default 7 days). */
    linkTtlSeconds: z
      .number()
      .int()
      .min(60)
      .max(90 * 86_400)
      .default(7 * 86_400),
  })
  .strict();

/** The `usageThreshold` policy: an SMS when a voucher's usage crosses a percentage of its limit. */
export const usageThresholdPolicySchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Percent of the traffic limit (0 = off). */
    trafficPercent: percent.default(0),
    /** Percent of the online-time limit (0 = off). */
    timePercent: percent.default(0),
    template: template.default(DEFAULT_USAGE_THRESHOLD_TEMPLATE),
    /** For `{{ .link }}` in this template; defaults to `statusPageLink.portalUrl`. */
    portalUrl: portalUrl.optional(),
  })
  .strict();

/** How failed notification sends are retried by `kit.notifications.retryFailed()`. */
export const notificationRetrySchema = z
  .object({
    /** Sends per notification in all, the first included (default 5); then it is `abandoned`. */
    maxAttempts: z.number().int().min(1).max(20).default(5),
    /** Wait before the first retry; doubles with every failure (default 60 s). */
    initialDelaySeconds: z.number().int().min(1).max(86_400).default(60),
    /** Cap of the doubling wait (default 1 h). */
    maxDelaySeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(3600),
    /**
     * A send still `claimed` after this long was interrupted (the process died); the next
     * `retryFailed` recovers it (default 10 min: far longer than any gateway timeout).
     */
    staleClaimSeconds: z.number().int().min(60).max(86_400).default(600),
  })
  .strict();

/**
 * Notification policies: plain JSON that a host's admin UI stores, validated here. Every
 * section is optional and defaults to off; `kit.notifications.reload(json)` replaces the whole
 * set at runtime. Templates are checked too (unknown variables and malformed tags are refused
 * with `INVALID_TEMPLATE`) when the kit or a reload loads them.
 *
 * @example
 * ```ts
 * const notifications = {
 *   statusPageLink: { enabled: true, frequency: 'once', portalUrl: 'https://wifi.example.com/portal',
 *     template: 'Hi {{ .customer.name | default "there" }}, your WiFi status: {{ .link }}' },
 *   usageThreshold: { enabled: true, trafficPercent: 90, timePercent: 0,
 *     template: '{{ .usage.percent }}% of your {{ .plan.name }} data is used.' },
 * }
 * ```
 */
export const notificationOptionsSchema = z
  .object({
    statusPageLink: statusPageLinkPolicySchema.prefault({}),
    usageThreshold: usageThresholdPolicySchema.prefault({}),
    retry: notificationRetrySchema.prefault({}),
  })
  .strict()
  .superRefine((options, ctx) => {
    // `{{ .link }}` needs somewhere to point; said at load time, not when the first SMS fails.
    const link = options.statusPageLink;
    if (link.enabled && !link.portalUrl && usesLink(link.template, 'status-page-link')) {
      ctx.addIssue({
        code: 'custom',
        path: ['statusPageLink', 'portalUrl'],
        message: 'is required when statusPageLink is enabled and its template uses {{ .link }}',
      });
    }
    const usage = options.usageThreshold;
    if (usage.enabled && !usage.portalUrl && !link.portalUrl && usesLink(usage.template, 'usage-threshold')) {
      ctx.addIssue({
        code: 'custom',
        path: ['usageThreshold', 'portalUrl'],
        message: 'is required (or statusPageLink.portalUrl) when its template uses {{ .link }}',
      });
    }
  });

function usesLink(source: string, kind: 'status-page-link' | 'usage-threshold'): boolean {
  return parseTemplate(source, allowedVariablePaths(kind)).template?.variables.includes('link') ?? false;
}

export type NotificationOptions = z.input<typeof notificationOptionsSchema>;
export type ResolvedNotificationOptions = z.output<typeof notificationOptionsSchema>;
export type StatusPageLinkPolicy = z.output<typeof statusPageLinkPolicySchema>;
export type UsageThresholdPolicy = z.output<typeof usageThresholdPolicySchema>;
export type NotificationRetryOptions = z.output<typeof notificationRetrySchema>;
