import { z } from 'zod';
import type { Customer } from '../domain/customer.js';
import { HotspotKitError, isHotspotKitError } from '../errors.js';
import { idSchema, notFound, requireId } from '../kit/input-schemas.js';
import type { KitContext } from '../kit/kit-context.js';
import type { CustomerInput, CustomerService } from '../kit/services.js';
import { createPhoneService } from '../phone/phone-service.js';
import { randomId } from '../platform/crypto.js';
import { parseOrThrow } from '../validation.js';

const E164 = /^\+[1-9]\d{6,14}$/;
const nameSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const emailSchema = z.string().trim().pipe(z.email('must be an email address').max(254));

/** The schema of {@link CustomerInput} (the phone is normalized separately). */
export const customerInputSchema = z
  .object({
    phone: z.string({ error: 'must be a phone number string' }),
    name: nameSchema.optional(),
    email: emailSchema.optional(),
    locationId: idSchema.optional(),
  })
  .strict();

const customerPatchSchema = customerInputSchema.omit({ phone: true });

/**
 * `kit.customers`. Phones go through the kit's phone rules (`kit.phone.normalize`: E.164,
 * SMS-capable types, allowed countries) before anything is stored or looked up, so one
 * person written two ways is one customer.
 */
export function createCustomerService(ctx: KitContext): CustomerService {
  const { store } = ctx;
  const phones = createPhoneService(ctx);

  function phoneAt(value: string): string {
    try {
      return phones.normalize(value);
    } catch (error) {
      if (isHotspotKitError(error)) {
        throw new HotspotKitError('INVALID_PHONE', `Invalid phone: ${error.message}`, {
          details: error.details,
          issues: [{ path: 'phone', message: error.message }],
        });
      }
      throw error;
    }
  }

  async function requireLocation(locationId: string | undefined): Promise<void> {
    if (locationId !== undefined && !(await store.locations.get(locationId))) {
      throw notFound('location', locationId, 'locationId');
    }
  }

  async function build(input: CustomerInput): Promise<Customer> {
    const parsed = parseOrThrow(customerInputSchema, input, 'customer');
    const phone = phoneAt(parsed.phone);
    await requireLocation(parsed.locationId);
    const customer: Customer = { id: randomId(), phone, createdAt: ctx.clock() };
    if (parsed.name !== undefined) customer.name = parsed.name;
    if (parsed.email !== undefined) customer.email = parsed.email;
    if (parsed.locationId !== undefined) customer.locationId = parsed.locationId;
    return customer;
  }

  return {
    async create(input) {
      const customer = await build(input);
      if (!(await store.customers.insert(customer))) {
        throw new HotspotKitError('CONFLICT', 'A customer with this phone number exists already', {
          issues: [{ path: 'phone', message: 'a customer with this phone exists already' }],
        });
      }
      return customer;
    },
    async ensure(input) {
      const customer = await build(input);
      const existing = await store.customers.findByPhone(customer.phone);
      if (existing) return existing;
      if (await store.customers.insert(customer)) return customer;
      // Lost a race with another insert of this phone: the winner's record is the customer.
      const winner = await store.customers.findByPhone(customer.phone);
      if (!winner)
        throw new HotspotKitError('STORE_ERROR', 'Customer insert was refused but no customer has this phone');
      return winner;
    },
    async get(id) {
      return store.customers.get(requireId(id, 'customerId'));
    },
    async findByPhone(phone) {
      // A number in E.164 already (what the portal's session holds) is looked up as it is
      // first: normalizing it on every status-page view costs more than the lookup.
      if (typeof phone === 'string' && E164.test(phone)) {
        const found = await store.customers.findByPhone(phone);
        if (found) return found;
      }
      return store.customers.findByPhone(phoneAt(phone));
    },
    async update(id, patch) {
      const customerId = requireId(id, 'customerId');
      const parsed = parseOrThrow(customerPatchSchema, patch ?? {}, 'customer patch');
      await requireLocation(parsed.locationId);
      const current = await store.customers.get(customerId);
      if (!current) throw notFound('customer', customerId, 'customerId');
      const next: Customer = { ...current };
      if (parsed.name !== undefined) next.name = parsed.name;
      if (parsed.email !== undefined) next.email = parsed.email;
      if (parsed.locationId !== undefined) next.locationId = parsed.locationId;
      if (!(await store.customers.update(next))) throw notFound('customer', customerId, 'customerId');
      return next;
    },
  };
}
