import type { ExpiryRule, PlanLimits } from '@hotspot-kit/core';
import type { SqlCodec } from '../sql/codec.js';
import { compact, readJson } from '../sql/codec.js';

type StoredExpiry =
  | { kind: 'fixed'; validUntil: string }
  | { kind: 'after-activation'; seconds: number }
  | { kind: 'after-creation'; seconds: number };

/** Plan limits as a JSON document (the `fixed` expiry's date as an ISO string). */
export function writeLimits(codec: SqlCodec, limits: PlanLimits): string {
  const expiry: StoredExpiry =
    limits.expiry.kind === 'fixed'
      ? { kind: 'fixed', validUntil: limits.expiry.validUntil.toISOString() }
      : { ...limits.expiry };
  return codec.json(
    compact({
      downloadKbps: limits.downloadKbps,
      uploadKbps: limits.uploadKbps,
      trafficLimit: limits.trafficLimit,
      onlineTimeSeconds: limits.onlineTimeSeconds,
      simultaneousDevices: limits.simultaneousDevices,
      expiry,
    }),
  );
}

/** Reads what {@link writeLimits} wrote, with the expiry date as a `Date` again. */
export function readLimits(value: unknown): PlanLimits {
  const stored = readJson<Omit<PlanLimits, 'expiry'> & { expiry: StoredExpiry }>(value);
  const expiry: ExpiryRule =
    stored.expiry.kind === 'fixed' ? { kind: 'fixed', validUntil: new Date(stored.expiry.validUntil) } : stored.expiry;
  return { ...stored, expiry };
}
