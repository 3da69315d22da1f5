import { z } from 'zod';
import type { Customer } from '../domain/customer.js';
import type { Plan, PlanLimits } from '../domain/plan.js';
import type { Device, Voucher, VoucherRecord } from '../domain/voucher.js';
import { HotspotKitError, isHotspotKitError } from '../errors.js';
import { idSchema, notFound, requireId } from '../kit/input-schemas.js';
import type { KitContext } from '../kit/kit-context.js';
import type { DeviceInput, VoucherInput, VoucherSeriesInput, VoucherService } from '../kit/services.js';
import { normalizeMac } from '../mac/parse-mac.js';
import { randomId } from '../platform/crypto.js';
import { casBackoff, casExhausted, MAX_CAS_ATTEMPTS } from '../store/cas-retry.js';
import { parseOrThrow } from '../validation.js';
import {
  codeSpace,
  generateShortCode,
  type ResolvedCodeOptions,
  randomString,
  resolveCodeOptions,
} from './voucher-code.js';
import { createVoucherLifecycle } from './voucher-lifecycle.js';
import { createVoucherLookup } from './voucher-lookup.js';
import { createVoucherPages } from './voucher-pages.js';
import { computeExpiresAt, statusRank } from './voucher-status.js';

/** Most vouchers one `generateSeries` call makes. */
export const MAX_SERIES_SIZE = 1_000_000;

const codeOptionsSchema = z
  .object({
    length: z.number().int().min(4).max(32).optional(),
    alphabet: z.string().min(8).optional(),
    prefix: z.string().max(16).optional(),
    shortCodeLength: z.number().int().min(4).max(12).optional(),
  })
  .strict();

const voucherInputSchema = z
  .object({
    planId: idSchema,
    customerId: idSchema.optional(),
    locationId: idSchema.optional(),
    code: codeOptionsSchema.optional(),
  })
  .strict();

const seriesInputSchema = voucherInputSchema.extend({
  count: z.number().int('must be a whole number').min(1).max(MAX_SERIES_SIZE),
});

const labelSchema = z.string().trim().max(64, 'must be at most 64 characters');

const deviceInputSchema = z
  .object({
    mac: z.string({ error: 'must be a MAC address string' }),
    label: labelSchema.optional(),
    addedBy: z.enum(['customer', 'operator', 'login']).optional(),
  })
  .strict();

const activateOptionsSchema = z.object({ mac: z.string().optional(), customerId: idSchema.optional() }).strict();

const devicePatchSchema = z.object({ label: labelSchema.optional() }).strict();

// A series may use at most this share of the code space, so that random codes rarely
// collide and a few insert rounds always finish.
const MAX_SPACE_SHARE = 0.1;
const INSERT_ROUNDS = 12;

/** Normalizes a MAC from a public input, naming the field in the error. */
function macAt(value: string, path: string): string {
  try {
    return normalizeMac(value);
  } catch (error) {
    if (isHotspotKitError(error)) {
      throw new HotspotKitError('INVALID_MAC', `Invalid ${path}: ${error.message}`, {
        details: error.details,
        issues: [{ path, message: error.message }],
      });
    }
    throw error;
  }
}

function snapshot(plan: Plan): PlanLimits {
  const limits: PlanLimits = { simultaneousDevices: plan.simultaneousDevices, expiry: plan.expiry };
  if (plan.downloadKbps !== undefined) limits.downloadKbps = plan.downloadKbps;
  if (plan.uploadKbps !== undefined) limits.uploadKbps = plan.uploadKbps;
  if (plan.trafficLimit !== undefined) limits.trafficLimit = plan.trafficLimit;
  if (plan.onlineTimeSeconds !== undefined) limits.onlineTimeSeconds = plan.onlineTimeSeconds;
  return limits;
}

function notUsable(record: VoucherRecord): HotspotKitError {
  return new HotspotKitError(
    'VOUCHER_NOT_USABLE',
    record.state === 'expired' ? 'This voucher has expired' : 'This voucher is used up',
    { details: { voucherId: record.id, state: record.state, reason: record.endReason } },
  );
}

/**
 * `kit.vouchers`: making vouchers (single or series), activation, devices and the read
 * model. Every change is a compare-and-set on the voucher's version, retried on a lost race,
 * so parallel activations emit `voucher.activated` once and parallel device adds never pass
 * the plan's device limit.
 */
export function createVoucherService(ctx: KitContext): VoucherService {
  const { store } = ctx;
  const lifecycle = createVoucherLifecycle(ctx);

  /**
   * Re-reads, settles due changes, applies `step` and writes by compare-and-set until it
   * wins. `step` returns `null` when nothing needs writing, or throws to refuse.
   */
  async function change(
    voucherId: string,
    step: (current: VoucherRecord, at: Date) => VoucherRecord | null,
  ): Promise<{ before: VoucherRecord; after: VoucherRecord; changed: boolean; at: Date }> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const stored = await store.vouchers.get(voucherId);
      if (!stored) throw notFound('voucher', voucherId, 'voucherId');
      const current = await lifecycle.settleRecord(stored);
      const at = ctx.clock();
      const next = step(current, at);
      if (next === null) return { before: current, after: current, changed: false, at };
      if (await store.vouchers.update(next, current.version)) {
        return { before: current, after: { ...next, version: current.version + 1 }, changed: true, at };
      }
      await casBackoff(attempt);
    }
    throw casExhausted(`voucher ${voucherId}`);
  }

  async function resolveRefs(input: { planId: string; customerId?: string; locationId?: string }): Promise<{
    plan: Plan;
    customer: Customer | null;
    locationId?: string;
  }> {
    const plan = await store.plans.get(input.planId);
    if (!plan) throw notFound('plan', input.planId, 'planId');
    let customer: Customer | null = null;
    if (input.customerId !== undefined) {
      customer = await store.customers.get(input.customerId);
      if (!customer) throw notFound('customer', input.customerId, 'customerId');
    }
    const locationId = input.locationId ?? customer?.locationId;
    if (input.locationId !== undefined && !(await store.locations.get(input.locationId))) {
      throw notFound('location', input.locationId, 'locationId');
    }
    if (plan.expiry.kind === 'fixed' && plan.expiry.validUntil <= ctx.clock()) {
      throw new HotspotKitError(
        'INVALID_INPUT',
        `Plan '${plan.name}' was valid until ${plan.expiry.validUntil.toISOString()}`,
        {
          issues: [{ path: 'planId', message: 'the plan’s fixed validity is over' }],
        },
      );
    }
    return locationId === undefined ? { plan, customer } : { plan, customer, locationId };
  }

  function codeOptions(input: VoucherInput['code']): ResolvedCodeOptions {
    const kit = ctx.options.vouchers.code;
    return resolveCodeOptions({
      length: input?.length ?? kit.length,
      alphabet: input?.alphabet ?? kit.alphabet,
      prefix: input?.prefix ?? kit.prefix,
      shortCodeLength: input?.shortCodeLength ?? kit.shortCodeLength,
    });
  }

  function checkSpace(options: ResolvedCodeOptions, count: number): void {
    const space = codeSpace(options);
    if (count > space.codes * MAX_SPACE_SHARE) {
      const message = `${count} codes need a larger code space than ${options.alphabet.length}^${options.length}; use a longer code`;
      throw new HotspotKitError('INVALID_INPUT', `Invalid voucher series: code.length: ${message}`, {
        issues: [{ path: 'code.length', message }],
      });
    }
    if (space.shortCodes !== null && count > space.shortCodes * MAX_SPACE_SHARE) {
      const message = `${count} short codes need more than ${options.shortCodeLength} digits`;
      throw new HotspotKitError('INVALID_INPUT', `Invalid voucher series: code.shortCodeLength: ${message}`, {
        issues: [{ path: 'code.shortCodeLength', message }],
      });
    }
  }

  /** Makes and stores `count` vouchers, replacing codes the store already holds. */
  async function make(input: VoucherInput, count: number): Promise<Voucher[]> {
    const refs = await resolveRefs(input);
    const options = codeOptions(input.code);
    checkSpace(options, count);
    const createdAt = ctx.clock();
    const limits = snapshot(refs.plan);
    const expiresAt = computeExpiresAt(limits.expiry, { createdAt });
    const codes = new Set<string>();
    const shortCodes = new Set<string>();
    const fresh = (set: Set<string>, make: () => string): string => {
      for (;;) {
        const value = make();
        if (!set.has(value)) {
          set.add(value);
          return value;
        }
      }
    };
    const newCode = () => fresh(codes, () => options.prefix + randomString(options.alphabet, options.length));
    const newShortCode = (n: number) => fresh(shortCodes, () => generateShortCode(n));
    const withCodes = (record: VoucherRecord): VoucherRecord => {
      const next: VoucherRecord = { ...record, code: newCode() };
      if (options.shortCodeLength !== undefined) next.shortCode = newShortCode(options.shortCodeLength);
      return next;
    };
    const base: Omit<VoucherRecord, 'id' | 'code'> = {
      planId: refs.plan.id,
      planName: refs.plan.name,
      limits,
      state: 'new',
      createdAt,
      devices: [],
      version: 0,
    };
    if (refs.customer) base.customerId = refs.customer.id;
    if (refs.locationId !== undefined) base.locationId = refs.locationId;
    if (expiresAt) base.expiresAt = expiresAt;

    const records: VoucherRecord[] = [];
    for (let i = 0; i < count; i++) records.push(withCodes({ id: randomId(), code: '', ...base }));
    let pending = records;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= INSERT_ROUNDS) {
        throw new HotspotKitError(
          'CONFLICT',
          'Could not find unused voucher codes; use longer codes or another prefix',
          {
            details: { unplaced: pending.length },
          },
        );
      }
      let skipped: string[];
      if (pending.length === 1) {
        const only = pending[0] as VoucherRecord;
        skipped = (await store.vouchers.insert(only)) ? [] : [only.id];
      } else skipped = await store.vouchers.insertMany(pending);
      if (skipped.length === 0) break;
      // Codes the store already holds: give those vouchers new codes and insert them again.
      const again = new Set(skipped);
      for (let i = 0; i < records.length; i++) {
        const r = records[i] as VoucherRecord;
        if (again.has(r.id)) records[i] = withCodes(r);
      }
      pending = records.filter((r) => again.has(r.id));
    }

    const vouchers = records.map((r) => lifecycle.view(r, { downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 }, 0));
    for (const voucher of vouchers) ctx.events.emit('voucher.created', { voucher, at: createdAt });
    return vouchers;
  }

  async function activate(voucherId: string, options?: { mac?: string; customerId?: string }): Promise<Voucher> {
    const id = requireId(voucherId, 'voucherId');
    const opts = parseOrThrow(activateOptionsSchema, options ?? {}, 'activation options');
    const mac = opts.mac === undefined ? undefined : macAt(opts.mac, 'mac');
    let customer: Customer | null = null;
    if (opts.customerId !== undefined) {
      customer = await store.customers.get(opts.customerId);
      if (!customer) throw notFound('customer', opts.customerId, 'customerId');
    }
    const result = await change(id, (current, at) => {
      if (current.state === 'used' || current.state === 'expired') throw notUsable(current);
      if (customer && current.customerId !== undefined && current.customerId !== customer.id) {
        throw new HotspotKitError('CONFLICT', 'This voucher belongs to another customer', {
          details: { voucherId: current.id },
          issues: [{ path: 'customerId', message: 'the voucher is assigned to another customer' }],
        });
      }
      let devices = current.devices;
      if (mac && !devices.some((d) => d.mac === mac) && devices.length < current.limits.simultaneousDevices) {
        devices = [...devices, { mac, addedAt: at, addedBy: 'login' }];
      }
      const assign = customer !== null && current.customerId === undefined;
      if (current.state === 'new') {
        const next: VoucherRecord = { ...current, state: 'active', activatedAt: at, devices };
        const expiresAt = computeExpiresAt(current.limits.expiry, { createdAt: current.createdAt, activatedAt: at });
        if (expiresAt) next.expiresAt = expiresAt;
        if (assign) next.customerId = (customer as Customer).id;
        return next;
      }
      if (devices === current.devices && !assign) return null;
      const next: VoucherRecord = { ...current, devices };
      if (assign) next.customerId = (customer as Customer).id;
      return next;
    });
    const voucher = await lifecycle.present(result.after);
    if (result.changed) {
      const added = result.after.devices.find((d) => !result.before.devices.some((b) => b.mac === d.mac));
      if (added) ctx.events.emit('device.added', { voucherId: id, device: added, at: result.at });
      if (result.before.state === 'new') {
        const owner =
          result.after.customerId === undefined
            ? null
            : (customer ?? (await store.customers.get(result.after.customerId)));
        ctx.events.emit('voucher.activated', {
          voucher,
          customer: owner,
          ...(mac ? { mac } : {}),
          at: result.at,
        });
      }
    }
    return voucher;
  }

  async function addDevice(voucherId: string, device: DeviceInput): Promise<Voucher> {
    const id = requireId(voucherId, 'voucherId');
    const input = parseOrThrow(deviceInputSchema, device, 'device');
    const mac = macAt(input.mac, 'mac');
    const result = await change(id, (current, at) => {
      if (current.state === 'used' || current.state === 'expired') throw notUsable(current);
      if (current.devices.some((d) => d.mac === mac)) {
        throw new HotspotKitError('CONFLICT', `The device ${mac} is bound to this voucher already`, {
          details: { voucherId: id, mac },
          issues: [{ path: 'mac', message: 'already bound to this voucher' }],
        });
      }
      const limit = current.limits.simultaneousDevices;
      if (current.devices.length >= limit) {
        throw new HotspotKitError(
          'DEVICE_LIMIT_REACHED',
          `This voucher allows ${limit} device${limit === 1 ? '' : 's'}; remove one first`,
          { details: { voucherId: id, limit } },
        );
      }
      const added: Device = { mac, addedAt: at, addedBy: input.addedBy ?? 'operator' };
      if (input.label) added.label = input.label;
      return { ...current, devices: [...current.devices, added] };
    });
    const added = result.after.devices.find((d) => d.mac === mac) as Device;
    ctx.events.emit('device.added', { voucherId: id, device: added, at: result.at });
    return lifecycle.present(result.after);
  }

  async function updateDevice(voucherId: string, macInput: string, patch: { label?: string }): Promise<Voucher> {
    const id = requireId(voucherId, 'voucherId');
    const mac = macAt(macInput, 'mac');
    const input = parseOrThrow(devicePatchSchema, patch ?? {}, 'device patch');
    const result = await change(id, (current) => {
      const index = current.devices.findIndex((d) => d.mac === mac);
      if (index < 0) throw deviceNotFound(id, mac);
      if (input.label === undefined) return null;
      const updated: Device = { ...(current.devices[index] as Device) };
      if (input.label === '') delete updated.label;
      else updated.label = input.label;
      if (updated.label === current.devices[index]?.label) return null;
      const devices = [...current.devices];
      devices[index] = updated;
      return { ...current, devices };
    });
    if (result.changed) {
      const device = result.after.devices.find((d) => d.mac === mac) as Device;
      ctx.events.emit('device.updated', { voucherId: id, device, at: result.at });
    }
    return lifecycle.present(result.after);
  }

  async function removeDevice(voucherId: string, macInput: string): Promise<Voucher> {
    const id = requireId(voucherId, 'voucherId');
    const mac = macAt(macInput, 'mac');
    const result = await change(id, (current) => {
      if (!current.devices.some((d) => d.mac === mac)) throw deviceNotFound(id, mac);
      return { ...current, devices: current.devices.filter((d) => d.mac !== mac) };
    });
    const removed = result.before.devices.find((d) => d.mac === mac) as Device;
    ctx.events.emit('device.removed', { voucherId: id, device: removed, at: result.at });
    return lifecycle.present(result.after);
  }

  async function listForCustomer(customerId: string): Promise<Voucher[]> {
    const id = requireId(customerId, 'customerId');
    const records = await store.vouchers.listByCustomer(id);
    const vouchers = await lifecycle.presentMany(records);
    return vouchers.sort(
      (a, b) =>
        statusRank(a.status) - statusRank(b.status) ||
        b.createdAt.getTime() - a.createdAt.getTime() ||
        (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
  }

  async function expireDue(): Promise<number> {
    let expired = 0;
    const seen = new Set<string>();
    for (;;) {
      const batch = (await store.vouchers.listExpiringBefore(ctx.clock(), 500)).filter((v) => !seen.has(v.id));
      if (batch.length === 0) return expired;
      for (const record of batch) {
        seen.add(record.id);
        const settled = await lifecycle.settleRecord(record);
        if (settled.state === 'expired' && settled.version !== record.version) expired += 1;
      }
    }
  }

  return {
    async create(input) {
      const parsed = parseOrThrow(voucherInputSchema, input, 'voucher');
      const [voucher] = await make(parsed as VoucherInput, 1);
      return voucher as Voucher;
    },
    async generateSeries(input: VoucherSeriesInput) {
      const { count, ...rest } = parseOrThrow(seriesInputSchema, input, 'voucher series');
      return make(rest as VoucherInput, count);
    },
    activate,
    async get(id) {
      return lifecycle.load(requireId(id, 'voucherId'));
    },
    ...createVoucherLookup(ctx, lifecycle),
    listForCustomer,
    pageForCustomer: createVoucherPages(ctx, lifecycle),
    addDevice,
    updateDevice,
    removeDevice,
    expireDue,
  };
}

function deviceNotFound(voucherId: string, mac: string): HotspotKitError {
  return new HotspotKitError('NOT_FOUND', `The device ${mac} is not bound to this voucher`, {
    details: { voucherId, mac },
    issues: [{ path: 'mac', message: 'not bound to this voucher' }],
  });
}
