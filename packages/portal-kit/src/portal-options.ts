import type { LocationBranding } from '@hotspot-kit/core';
import { z } from 'zod';
import type { MessageOverrides } from './i18n/i18n.js';

const secret = z.string().min(16, 'must be at least 16 characters (use 32 random bytes)');
const windowLimit = z
  .object({
    limit: z.number().int().min(1),
    windowSeconds: z.number().int().min(1).max(86_400),
  })
  .strict();
const color = z
  .string()
  .regex(
    /^(?:#[0-9a-fA-F]{3,4}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}|[a-zA-Z]{3,20})$/,
    'must be a #hex colour or a CSS colour name',
  );
const fn = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', { message: `must be a function (${what})` });

/** The schema of {@link PortalConfig}; `createPortal` validates its options with it. */
export const portalConfigSchema = z
  .object({
    /**
     * Where the portal is mounted when the caller does not say (the Express adapter says,
     * from `req.baseUrl`). Links and forms use it. Default `/portal`; `''` for the root.
     */
    basePath: z
      .string()
      .regex(/^(?:\/[^\s?#]*[^\s?#/])?$/, "must be '' or start with '/' and not end with '/'")
      .default('/portal'),
    /** Signs session cookies and CSRF tokens. Default: the kit's `secret` (first signs, all verify). */
    secret: z.union([secret, z.array(secret).min(1)]).optional(),
    cookieName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, _ or -')
      .default('hotspot_portal'),
    /** `'auto'`: `Secure` when the request URL is `https:` (behind a proxy, let the adapter see the right protocol). */
    secureCookies: z.union([z.literal('auto'), z.boolean()]).default('auto'),
    /** How long a signed-in session lasts without activity; renewed while used. Default 1 hour. */
    sessionTtlSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(3600),
    /** A signed-in session ends this long after login however much it is used. Default 12 hours. */
    sessionMaxAgeSeconds: z
      .number()
      .int()
      .min(60)
      .max(90 * 86_400)
      .default(12 * 3600),
    /** Languages offered (default: every built-in one plus any in `messages`). */
    locales: z.array(z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag')).optional(),
    defaultLocale: z.string().optional(),
    /** Per language, any message to replace, e.g. `{ en: { 'login.title': 'Cafe Net WiFi' } }`. */
    messages: z.record(z.string(), z.record(z.string(), z.any())).optional(),
    /**
     * The location this portal serves when the request names none (from the adapter's
     * per-request `locationId`, or a signed location link): its SMS gateway, sender id and
     * texts send the login codes, and its branding shows.
     */
    locationId: z.string().optional(),
    /**
     * Locations a visitor may pick with `?location=<id>` (e.g. a venue chooser). Default:
     * none; only the host (the `locationId` option, the adapter's per-request `locationId`)
     * or a signed link (`portal.locationLink`) sets the location, since it decides whose SMS
     * gateway sends the codes.
     */
    visitorLocations: z
      .array(z.string().regex(/^[\w.:-]{1,100}$/, 'must be a location id'))
      .max(1000)
      .optional(),
    /**
     * A login proved by an SMS code ends the phone's other portal sessions (on every device).
     * Default `true`; set `false` to let a customer stay signed in on several devices.
     */
    signOutOthersAtLogin: z.boolean().default(true),
    /** Branding when no location has any (operator name, logo URL, colours). */
    branding: z
      .object({
        operatorName: z.string().max(100).optional(),
        logoUrl: z.string().max(2048).optional(),
        primaryColor: color.optional(),
        accentColor: color.optional(),
      })
      .strict()
      .optional(),
    /** Per-client limits (`kit.rateLimits`: IPv6 clients per /64; shared by every app instance). */
    rateLimits: z
      .object({
        /** Phone submissions (each may send an SMS). Default 10 per 15 minutes. */
        login: windowLimit.default({ limit: 10, windowSeconds: 900 }),
        /** Code submissions. Default 30 per 15 minutes. */
        verify: windowLimit.default({ limit: 30, windowSeconds: 900 }),
      })
      .strict()
      .default({ login: { limit: 10, windowSeconds: 900 }, verify: { limit: 30, windowSeconds: 900 } }),
    /** Days in the usage chart. Default 14. */
    historyDays: z.number().int().min(1).max(92).default(14),
    /** The client IP when no adapter passes one (e.g. `(req) => req.headers.get('cf-connecting-ip')`). */
    clientIp: fn<(request: Request) => string | null | undefined>('request => ip').optional(),
    /** Called with every unexpected error (the browser only sees a friendly page). */
    onError: fn<(error: unknown, request: Request) => void>('(error, request) => void').optional(),
  })
  .strict();

/**
 * Options of `createPortal`. Everything is optional: a portal with defaults mounts at
 * `/portal`, signs with the kit secret and speaks English, Spanish, Russian and German.
 */
export interface PortalConfig {
  basePath?: string;
  secret?: string | string[];
  cookieName?: string;
  secureCookies?: 'auto' | boolean;
  sessionTtlSeconds?: number;
  sessionMaxAgeSeconds?: number;
  locales?: string[];
  defaultLocale?: string;
  messages?: MessageOverrides;
  locationId?: string;
  visitorLocations?: string[];
  signOutOthersAtLogin?: boolean;
  branding?: LocationBranding;
  rateLimits?: {
    login?: { limit: number; windowSeconds: number };
    verify?: { limit: number; windowSeconds: number };
  };
  historyDays?: number;
  clientIp?: (request: Request) => string | null | undefined;
  onError?: (error: unknown, request: Request) => void;
}

export type ResolvedPortalConfig = z.output<typeof portalConfigSchema>;
