import type { NotificationKind } from '../domain/notification.js';

/** One variable a notification template may use, e.g. `{{ .customer.name }}`. */
export interface TemplateVariable {
  /** Written in a template with a leading dot: `{{ .customer.name }}`. */
  path: string;
  description: string;
  /** What a sample value looks like (used by `preview` when no sample is given). */
  example: string;
}

const COMMON: readonly TemplateVariable[] = [
  {
    path: 'link',
    description:
      "The customer portal URL with a signed, expiring token that pre-fills the customer's phone (never skips the portal's OTP).",
    example:
      'https://wifi.example.com/portal?t=eyJwIjoiKzE0MTU1NTUyNjcxIiwicHVycG9zZSI6InBvcnRhbC1wcmVmaWxsIn0.tbkrs0.Qm9Lq0x3cXz1T5y8ZpR2aA',
  },
  { path: 'customer.name', description: "The customer's name (empty when unknown).", example: 'Alex' },
  { path: 'customer.phone', description: "The customer's phone, E.164.", example: '+14155552671' },
  { path: 'customer.email', description: "The customer's e-mail (empty when unknown).", example: 'alex@example.com' },
  { path: 'voucher.code', description: 'The voucher code.', example: 'K7M4QX9PHD' },
  {
    path: 'voucher.shortCode',
    description: 'The short numeric code (empty when the voucher has none).',
    example: '482913',
  },
  {
    path: 'voucher.expiresAt',
    description:
      "When the voucher stops being valid, `YYYY-MM-DD HH:mm` in the location's time zone (empty when open).",
    example: '2026-01-31 18:00',
  },
  { path: 'plan.name', description: "The voucher's plan.", example: 'Day pass' },
  { path: 'location.name', description: "The voucher's (else the customer's) location.", example: 'Main Street Cafe' },
];

const USAGE: readonly TemplateVariable[] = [
  { path: 'usage.percent', description: 'The threshold that was crossed, e.g. `90`.', example: '90' },
  {
    path: 'usage.kind',
    description: 'What crossed it: `data` (traffic threshold) or `online time` (time threshold).',
    example: 'data',
  },
  { path: 'usage.used', description: 'Used so far, e.g. `1.8 GB` or `2h 15m`.', example: '1.8 GB' },
  { path: 'usage.limit', description: 'The limit, e.g. `2 GB` or `3h`.', example: '2 GB' },
  { path: 'usage.remaining', description: 'What is left, e.g. `200 MB` or `45m`.', example: '200 MB' },
];

/**
 * Every variable each notification policy's template may use. A template naming anything
 * else is refused when the policy is loaded (`INVALID_TEMPLATE`).
 */
export const NOTIFICATION_TEMPLATE_VARIABLES: Readonly<Record<NotificationKind, readonly TemplateVariable[]>> = {
  'status-page-link': COMMON,
  'usage-threshold': [...COMMON, ...USAGE],
};

/** The variable paths allowed for `kind`; without a kind, those of every policy. */
export function allowedVariablePaths(kind?: NotificationKind): Set<string> {
  const lists = kind ? [NOTIFICATION_TEMPLATE_VARIABLES[kind]] : Object.values(NOTIFICATION_TEMPLATE_VARIABLES);
  return new Set(lists.flat().map((v) => v.path));
}
