import { z } from 'zod';
import { idSchema, notFound, requireId } from '../kit/input-schemas.js';
import type { KitContext } from '../kit/kit-context.js';
import { createPhoneService } from '../phone/phone-service.js';
import { randomToken } from '../platform/crypto.js';
import { parseOrThrow } from '../validation.js';

const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_AGE_SECONDS = 90 * 86_400;

/** What {@link PortalSessionService.start} records. */
export interface PortalSessionStartInput {
  /** The E.164 phone the visitor signed in as. */
  phone: string;
  /** How long the session may last at most (the portal's absolute session lifetime). */
  maxAgeSeconds: number;
  /**
   * Also end every earlier session of this phone. The portal sets it for a login proved by
   * an SMS code: a phone-only login must not sign its owner out elsewhere.
   */
  revokeOthers?: boolean;
}

/** Who "sign out everywhere" applies to: a customer, or any phone (customer or not). */
export type PortalSessionTarget = { customerId: string } | { phone: string };

/**
 * `kit.portalSessions`: signed-in portal sessions kept in the store, so that ending one holds
 * on every app instance at once (a copied cookie is worthless after logout). The portal
 * records a session at login, checks it on every signed-in request and revokes it at logout;
 * operators call {@link PortalSessionService.revokeAll} to sign a customer out everywhere.
 *
 * @example
 * ```ts
 * // An operator's "sign out everywhere" button:
 * const ended = await kit.portalSessions.revokeAll({ customerId })
 * ```
 */
export interface PortalSessionService {
  /** Records a new signed-in session and returns its random id and absolute end. */
  start(input: PortalSessionStartInput): Promise<{ id: string; expiresAt: Date }>;
  /** Whether session `id` is signed in as `phone` now: recorded, not revoked, not past its end. */
  isActive(id: string, phone: string): Promise<boolean>;
  /** Ends one session (logout). `true` if it was still open. */
  revoke(id: string): Promise<boolean>;
  /**
   * Signs a customer (or a phone) out everywhere: every open session ends at once, on every
   * app instance. Returns how many ended. Throws `NOT_FOUND` for an unknown customer id and
   * `INVALID_PHONE` for a phone the kit's phone rules refuse.
   */
  revokeAll(target: PortalSessionTarget): Promise<number>;
}

const startSchema = z
  .object({
    phone: z.string().regex(E164, 'must be an E.164 phone number, e.g. +14155552671'),
    maxAgeSeconds: z.number().int('must be a whole number').min(60).max(MAX_AGE_SECONDS),
    revokeOthers: z.boolean().optional(),
  })
  .strict();

const targetSchema = z.union(
  [z.object({ customerId: idSchema }).strict(), z.object({ phone: z.string().min(1).max(40) }).strict()],
  { error: 'must be { customerId } or { phone }' },
);

/** Makes `kit.portalSessions` over `store.portalSessions`. */
export function createPortalSessionService(ctx: KitContext): PortalSessionService {
  const { store } = ctx;
  const phones = createPhoneService(ctx);

  async function phoneOf(target: PortalSessionTarget): Promise<string> {
    const parsed = parseOrThrow(targetSchema, target, 'portalSessions.revokeAll target');
    if ('phone' in parsed) return phones.normalize(parsed.phone);
    const customer = await store.customers.get(parsed.customerId);
    if (!customer) throw notFound('customer', parsed.customerId, 'customerId');
    return customer.phone;
  }

  return {
    async start(input) {
      const parsed = parseOrThrow(startSchema, input, 'portalSessions.start input');
      const now = ctx.clock();
      // Earlier sessions end before this one exists: two logins racing both survive (neither
      // existed before the other), which beats both being revoked.
      if (parsed.revokeOthers) await store.portalSessions.revokeAll(parsed.phone, now);
      const record = {
        id: randomToken(18),
        phone: parsed.phone,
        createdAt: now,
        expiresAt: new Date(now.getTime() + parsed.maxAgeSeconds * 1000),
      };
      await store.portalSessions.insert(record);
      return { id: record.id, expiresAt: record.expiresAt };
    },

    async isActive(id, phone) {
      // Every signed-in page view asks: no schema parsing on this path, a bad id is simply not active.
      if (typeof id !== 'string' || id.length === 0 || id.length > 200) return false;
      const record = await store.portalSessions.get(id);
      return (
        record !== null &&
        !record.revokedAt &&
        record.phone === phone &&
        record.expiresAt.getTime() > ctx.clock().getTime()
      );
    },

    async revoke(id) {
      return store.portalSessions.revoke(requireId(id, 'id'), ctx.clock());
    },

    async revokeAll(target) {
      const phone = await phoneOf(target);
      const revoked = await store.portalSessions.revokeAll(phone, ctx.clock());
      if (revoked > 0) ctx.logger.info('portal: sessions revoked', { revoked });
      return revoked;
    },
  };
}
