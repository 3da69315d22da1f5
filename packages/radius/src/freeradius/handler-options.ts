import { isTimeZone, type Logger } from '@hotspot-kit/core';
import { z } from 'zod';
import type { RejectMessages } from './reject-messages.js';

/** The vendor families whose limit attributes the handler sends. */
export type VendorFamily = 'mikrotik' | 'wispr' | 'chillispot';

/** Options of `createFreeradiusHandler`. */
export interface FreeradiusHandlerOptions {
  /** Which vendors' attributes go into an Access-Accept (default: all three). */
  vendors?: VendorFamily[];
  /** `Acct-Interim-Interval` sent on accept, in seconds (default 300). */
  interimIntervalSeconds?: number;
  /** Language of refusals where no location language applies (default `en`). */
  locale?: string;
  /** Operator texts for refusals, by language, e.g. `{ en: { used: 'Buy a new voucher at the bar' } }`. */
  messages?: Record<string, Partial<RejectMessages>>;
  /** The location of each NAS (NAS-Identifier or NAS-IP-Address → location id): its language for refusals of unknown codes. */
  nasLocations?: Record<string, string>;
  /** IANA time zone of the FreeRADIUS host, for Event-Timestamps in a zone the handler cannot place. */
  timeZone?: string;
  /** Largest request body accepted, in bytes (default 65,536). */
  maxBodyBytes?: number;
  /** Default: silent. Never receives passwords. */
  logger?: Logger;
}

const localeSchema = z
  .string()
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as de or pt-BR');
const messageSchema = z.string().trim().min(1).max(253);

export const handlerOptionsSchema = z
  .object({
    vendors: z
      .array(z.enum(['mikrotik', 'wispr', 'chillispot'], { error: "must be 'mikrotik', 'wispr' or 'chillispot'" }))
      .default(['mikrotik', 'wispr', 'chillispot']),
    interimIntervalSeconds: z.number().int('must be a whole number').min(10).max(86_400).default(300),
    locale: localeSchema.default('en'),
    messages: z
      .record(
        localeSchema,
        z
          .object({
            unknown: messageSchema,
            'wrong-credential': messageSchema,
            used: messageSchema,
            expired: messageSchema,
            'device-limit': messageSchema,
          })
          .partial()
          .strict(),
      )
      .default({}),
    nasLocations: z.record(z.string().min(1).max(253), z.string().min(1).max(200)).default({}),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Riga').optional(),
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(10 * 1024 * 1024)
      .default(65_536),
  })
  .strict();

/** The options after defaults. */
export type ResolvedHandlerOptions = z.output<typeof handlerOptionsSchema> & { logger: Logger };
