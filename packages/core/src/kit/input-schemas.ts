import { z } from 'zod';
import { HotspotKitError } from '../errors.js';

// Building blocks for validating the kit's public inputs (internal).

/** A record id as the kit and stores use it. */
export const idSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** A `Date`, or an ISO 8601 date-time string with an offset (`2026-05-01T00:00:00Z`). */
export const dateInputSchema = z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))], {
  error: 'must be a Date or an ISO 8601 date-time with an offset',
});

/** A whole number of bytes, seconds or kbit/s greater than zero (and a safe integer). */
export const positiveInt = z
  .number()
  .int('must be a whole number')
  .positive('must be greater than 0')
  .max(Number.MAX_SAFE_INTEGER);

/** Throws `INVALID_INPUT` naming `name` unless `value` is a non-empty id; returns it trimmed. */
export function requireId(value: unknown, name: string): string {
  // Fast path for the common, already-clean id (every portal page reads by id); zod for the rest.
  if (typeof value === 'string' && value.length > 0 && value.length <= 200 && value.trim() === value) return value;
  const result = idSchema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? 'must be a non-empty string';
  throw new HotspotKitError('INVALID_INPUT', `Invalid ${name}: ${message}`, { issues: [{ path: name, message }] });
}

/** A `NOT_FOUND` error for a record of `kind` with this id, naming the field it came from. */
export function notFound(kind: string, id: string, field?: string): HotspotKitError {
  return new HotspotKitError('NOT_FOUND', `No ${kind} with id '${id}'`, {
    details: { kind, id },
    ...(field ? { issues: [{ path: field, message: `no ${kind} with this id` }] } : {}),
  });
}
