import { z } from 'zod';

// Owned by the notifications engine (issue 6).
export const notificationOptionsSchema = z
  .object({
    statusPageLink: z
      .object({
        enabled: z.boolean().default(false),
        frequency: z.enum(['once', 'every-activation']).default('once'),
        template: z.string().default('Your WiFi status page: {{ .link }}'),
        portalUrl: z.string().url().optional(),
      })
      .strict()
      .default({ enabled: false, frequency: 'once', template: 'Your WiFi status page: {{ .link }}' }),
    usageThreshold: z
      .object({
        enabled: z.boolean().default(false),
        trafficPercent: z.number().int().min(0).max(100).default(0),
        timePercent: z.number().int().min(0).max(100).default(0),
        template: z.string().default('You have used {{ .usage.percent }}% of your {{ .plan.name }} plan.'),
      })
      .strict()
      .default({
        enabled: false,
        trafficPercent: 0,
        timePercent: 0,
        template: 'You have used {{ .usage.percent }}% of your {{ .plan.name }} plan.',
      }),
  })
  .strict();

export type NotificationOptions = z.input<typeof notificationOptionsSchema>;
export type ResolvedNotificationOptions = z.output<typeof notificationOptionsSchema>;
