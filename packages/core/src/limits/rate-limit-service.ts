import { z } from 'zod';
import type { KitContext } from '../kit/kit-context.js';
import { clientNetwork } from '../otp/ip-address.js';
import { parseOrThrow } from '../validation.js';

/** One per-client limit: at most `limit` attempts per fixed window of `windowSeconds`. */
export interface ClientLimitRule {
  limit: number;
  windowSeconds: number;
}

/** What {@link RateLimitService.consume} answers. */
export type ClientLimitResult =
  | { allowed: true; remaining: number }
  | { allowed: false; remaining: 0; retryAfterSeconds: number };

/**
 * `kit.rateLimits`: per-client attempt limits for the host's (and the portal's) own
 * endpoints, counted atomically in the store, so every app instance shares them. Clients
 * are keyed the way the OTP send limits key them: an IPv4 address as it is, an IPv6 address
 * by its /64, since one subscriber gets a whole /64 and can rotate through it at will.
 *
 * @example
 * ```ts
 * const r = await kit.rateLimits.consume('signup', req.ip, { limit: 10, windowSeconds: 900 })
 * if (!r.allowed) return res.status(429).set('retry-after', String(r.retryAfterSeconds)).end()
 * ```
 */
export interface RateLimitService {
  /**
   * Counts one attempt of `name` by the client at `ip` and answers whether it is within
   * `rule`; a refused attempt adds nothing. `name` separates limits (e.g. `'portal:login'`).
   */
  consume(name: string, ip: string, rule: ClientLimitRule): Promise<ClientLimitResult>;
}

const nameSchema = z.string().regex(/^[\w:.-]{1,64}$/, 'must be 1 to 64 letters, digits, _ : . or -');
const ruleSchema = z
  .object({
    limit: z.number().int().min(1),
    windowSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400),
  })
  .strict();
const ipSchema = z.string().trim().min(1, 'must not be empty');

/** Makes `kit.rateLimits` over `store.rateLimits`. */
export function createRateLimitService(ctx: KitContext): RateLimitService {
  return {
    async consume(name, ip, rule) {
      parseOrThrow(nameSchema, name, 'rate limit name');
      parseOrThrow(ruleSchema, rule, 'rate limit rule');
      parseOrThrow(ipSchema, ip, 'client ip');
      const at = ctx.clock();
      const result = await ctx.store.rateLimits.consume(`${name}:ip:${clientNetwork(ip)}`, {
        limit: rule.limit,
        windowSeconds: rule.windowSeconds,
        at,
      });
      if (result.allowed) return { allowed: true, remaining: rule.limit - result.count };
      const retryAfterSeconds = Math.max(1, Math.ceil((result.resetAt.getTime() - at.getTime()) / 1000));
      return { allowed: false, remaining: 0, retryAfterSeconds };
    },
  };
}
