import { z } from 'zod';
import type { Plan } from '../domain/plan.js';
import { dateInputSchema, positiveInt, requireId } from '../kit/input-schemas.js';
import type { KitContext } from '../kit/kit-context.js';
import type { PlanInput, PlanService } from '../kit/services.js';
import { randomId } from '../platform/crypto.js';
import { parseOrThrow } from '../validation.js';

/** The most devices one voucher may have bound at once. */
export const MAX_SIMULTANEOUS_DEVICES = 100;

const trafficLimitSchema = z.union(
  [
    z.object({ totalBytes: positiveInt }).strict(),
    z.object({ downloadBytes: positiveInt, uploadBytes: positiveInt }).strict(),
  ],
  { error: 'must be { totalBytes } or { downloadBytes, uploadBytes } (whole numbers of bytes > 0)' },
);

const expirySchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('fixed'), validUntil: dateInputSchema }).strict(),
    z.object({ kind: z.literal('after-activation'), seconds: positiveInt }).strict(),
    z.object({ kind: z.literal('after-creation'), seconds: positiveInt }).strict(),
  ],
  { error: "kind must be 'fixed', 'after-activation' or 'after-creation'" },
);

/** The schema of {@link PlanInput}; errors name the field (`trafficLimit`, `expiry.seconds`, ...). */
export const planInputSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    downloadKbps: positiveInt.optional(),
    uploadKbps: positiveInt.optional(),
    trafficLimit: trafficLimitSchema.optional(),
    onlineTimeSeconds: positiveInt.optional(),
    simultaneousDevices: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_SIMULTANEOUS_DEVICES, `must be at most ${MAX_SIMULTANEOUS_DEVICES}`),
    expiry: expirySchema,
  })
  .strict();

/** `kit.plans`: data plans, the templates vouchers copy their limits from. */
export function createPlanService(ctx: KitContext): PlanService {
  return {
    async create(input: PlanInput) {
      const parsed = parseOrThrow(planInputSchema, input, 'plan');
      const plan: Plan = { id: randomId(), createdAt: ctx.clock(), ...stripUndefined(parsed) } as Plan;
      await ctx.store.plans.insert(plan);
      return plan;
    },
    async get(id) {
      return ctx.store.plans.get(requireId(id, 'planId'));
    },
    async list() {
      return ctx.store.plans.list();
    },
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
