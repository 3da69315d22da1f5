import { z } from 'zod';
import type { Location, LocationBranding } from '../domain/location.js';
import { idSchema, requireId } from '../kit/input-schemas.js';
import type { KitContext } from '../kit/kit-context.js';
import type { LocationInput, LocationService } from '../kit/services.js';
import { randomId } from '../platform/crypto.js';
import { isTimeZone } from '../usage/day-key.js';
import { parseOrThrow } from '../validation.js';

// Colours end up in the portal's CSS: only forms that cannot break out of a declaration.
const colorSchema = z
  .string()
  .trim()
  .regex(
    /^(#[0-9a-fA-F]{3,4}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}|[a-zA-Z]{3,20})$/,
    'must be a #hex colour or a CSS colour name',
  );

const brandingSchema = z
  .object({
    operatorName: z.string().trim().min(1).max(100).optional(),
    logoUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2000)
      .optional(),
    primaryColor: colorSchema.optional(),
    accentColor: colorSchema.optional(),
  })
  .strict();

/** The schema of {@link LocationInput}. */
export const locationInputSchema = z
  .object({
    id: idSchema.optional(),
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    timezone: z.string().trim().refine(isTimeZone, 'must be an IANA time zone such as Europe/Riga or UTC').optional(),
    // GSM alphanumeric sender ids are at most 11 characters; numeric ones are phone numbers.
    senderId: z
      .string()
      .trim()
      .regex(/^(?:[A-Za-z0-9 .\-_&]{1,11}|\+?\d{3,15})$/, 'must be 1..11 letters/digits or a phone number')
      .optional(),
    branding: brandingSchema.optional(),
    locale: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as de or pt-BR')
      .optional(),
  })
  .strict();

/** `kit.locations`: hotspot sites (time zone for day buckets, SMS sender id, portal branding). */
export function createLocationService(ctx: KitContext): LocationService {
  return {
    async save(input: LocationInput) {
      const parsed = parseOrThrow(locationInputSchema, input, 'location');
      const existing = parsed.id === undefined ? null : await ctx.store.locations.get(parsed.id);
      const location: Location = {
        id: parsed.id ?? randomId(),
        name: parsed.name,
        timezone: parsed.timezone ?? 'UTC',
        createdAt: existing?.createdAt ?? ctx.clock(),
      };
      if (parsed.senderId !== undefined) location.senderId = parsed.senderId;
      if (parsed.locale !== undefined) location.locale = parsed.locale;
      if (parsed.branding !== undefined) {
        location.branding = Object.fromEntries(
          Object.entries(parsed.branding).filter(([, v]) => v !== undefined),
        ) as LocationBranding;
      }
      await ctx.store.locations.upsert(location);
      return location;
    },
    async get(id) {
      return ctx.store.locations.get(requireId(id, 'locationId'));
    },
    async list() {
      return ctx.store.locations.list();
    },
  };
}
