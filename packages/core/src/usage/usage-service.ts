import { z } from 'zod';
import type { AccountingEvent, DailyUsage, SessionRecord, UsageTotals } from '../domain/usage.js';
import type { Voucher, VoucherRecord } from '../domain/voucher.js';
import { HotspotKitError } from '../errors.js';
import { dateInputSchema, idSchema, notFound, requireId } from '../kit/input-schemas.js';
import type { KitContext } from '../kit/kit-context.js';
import type { RecordManyResult, RecordUsageResult, UsageService, UsageSummary } from '../kit/services.js';
import { checkMac } from '../mac/parse-mac.js';
import { casBackoff, casExhausted, MAX_CAS_ATTEMPTS } from '../store/cas-retry.js';
import { parseOrThrow } from '../validation.js';
import { createVoucherLifecycle } from '../vouchers/voucher-lifecycle.js';
import { createAccountingQueue } from './accounting-queue.js';
import { dayKey } from './day-key.js';
import { createSessionQueries } from './session-queries.js';

/** Longest `history` range, in days. */
export const MAX_HISTORY_DAYS = 3_660;

// Gigawords above 2^21 would take byte counts past Number.MAX_SAFE_INTEGER (8 PiB).
const counter = z.number().int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER);
const gigawords = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(2 ** 21 - 1);

/** The schema of an {@link AccountingEvent}; errors name the field. */
export const accountingEventSchema = z
  .object({
    type: z.enum(['start', 'interim', 'stop'], { error: "must be 'start', 'interim' or 'stop'" }),
    sessionId: idSchema,
    voucherId: idSchema,
    mac: z.string().max(64).optional(),
    nasId: z.string().max(200).optional(),
    inputOctets: counter,
    outputOctets: counter,
    inputGigawords: gigawords.optional(),
    outputGigawords: gigawords.optional(),
    sessionTime: z
      .number()
      .min(0, 'must not be negative')
      .max(10 * 365 * 86_400)
      .transform(Math.floor),
    /** Defaults to the kit clock: better pass the NAS's Event-Timestamp so day buckets follow it. */
    eventTime: dateInputSchema.optional(),
  })
  .strict();

const dayString = z.iso.date('must be a date YYYY-MM-DD');
const rangeSchema = z.object({ from: z.union([z.date(), dayString]), to: z.union([z.date(), dayString]) }).strict();

const ZERO: UsageTotals = { downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 };

function percent(used: number, limit: number): number {
  return Math.min(100, (used / limit) * 100);
}

/** Most events one `recordMany` call takes. */
export const MAX_RECORD_MANY = 10_000;

/**
 * `kit.usage`: accounting ingestion (start / interim / stop, idempotent, gigaword-aware),
 * stale-session closing, and the portal's read models (summary, per-day history). Events go
 * through the group-commit queue (see `createAccountingQueue`): concurrent events share one
 * transaction, each session written by a guarded upsert together with the voucher's totals
 * and day bucket. `idle` resolves when no event is queued or in flight (`kit.close()`).
 */
export function createUsageService(ctx: KitContext): { service: UsageService; idle(): Promise<void> } {
  const { store } = ctx;
  const lifecycle = createVoucherLifecycle(ctx);
  const queue = createAccountingQueue(ctx, lifecycle);

  async function timeZoneOf(locationId: string | undefined): Promise<string> {
    if (locationId === undefined) return 'UTC';
    const location = await store.locations.get(locationId);
    return location?.timezone ?? 'UTC';
  }

  function normalizeEventMac(mac: string | undefined): string | undefined {
    if (mac === undefined || mac.trim() === '') return undefined;
    // Accounting must never be lost over a Calling-Station-Id format: keep it as sent when odd.
    const check = checkMac(mac);
    return check.ok ? check.mac : mac.trim();
  }

  /** Validates one event (errors name the field) and fills in the defaults. */
  function normalize(input: AccountingEvent): AccountingEvent {
    const parsed = parseOrThrow(accountingEventSchema, input, 'accounting event');
    const event: AccountingEvent = { ...parsed, eventTime: parsed.eventTime ?? ctx.clock() } as AccountingEvent;
    const mac = normalizeEventMac(parsed.mac);
    if (mac === undefined) delete event.mac;
    else event.mac = mac;
    if (event.nasId === undefined) delete event.nasId;
    return event;
  }

  async function record(input: AccountingEvent): Promise<RecordUsageResult> {
    return queue.submit(normalize(input));
  }

  async function recordMany(inputs: readonly AccountingEvent[]): Promise<RecordManyResult[]> {
    if (!Array.isArray(inputs)) {
      throw new HotspotKitError('INVALID_INPUT', 'Invalid accounting events: must be an array', {
        issues: [{ path: 'events', message: 'must be an array of accounting events' }],
      });
    }
    if (inputs.length > MAX_RECORD_MANY) {
      throw new HotspotKitError(
        'INVALID_INPUT',
        `Invalid accounting events: ${inputs.length}, at most ${MAX_RECORD_MANY}`,
        {
          issues: [
            { path: 'events', message: `at most ${MAX_RECORD_MANY} events per call; send the rest in further calls` },
          ],
        },
      );
    }
    const settled = await Promise.allSettled(
      inputs.map((input) => {
        try {
          return queue.submit(normalize(input));
        } catch (error) {
          return Promise.reject(error);
        }
      }),
    );
    return settled.map(
      (s): RecordManyResult =>
        s.status === 'fulfilled' ? { ok: true, ...s.value } : { ok: false, error: asKitError(s.reason) },
    );
  }

  async function summary(voucherId: string): Promise<UsageSummary> {
    const id = requireId(voucherId, 'voucherId');
    const voucher = await lifecycle.load(id);
    if (!voucher) throw notFound('voucher', id, 'voucherId');
    return summarize(voucher);
  }

  async function history(customerId: string, range: { from: Date | string; to: Date | string }): Promise<DailyUsage[]> {
    const id = requireId(customerId, 'customerId');
    const parsed = parseOrThrow(rangeSchema, range, 'history range');
    const customer = await store.customers.get(id);
    if (!customer) throw notFound('customer', id, 'customerId');
    const timeZone = await timeZoneOf(customer.locationId);
    const from = typeof parsed.from === 'string' ? parsed.from : dayKey(parsed.from, timeZone);
    const to = typeof parsed.to === 'string' ? parsed.to : dayKey(parsed.to, timeZone);
    if (from > to) {
      throw new HotspotKitError('INVALID_INPUT', `Invalid history range: from (${from}) is after to (${to})`, {
        issues: [{ path: 'from', message: 'must not be after to' }],
      });
    }
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days > MAX_HISTORY_DAYS) {
      throw new HotspotKitError('INVALID_INPUT', `Invalid history range: ${days} days, at most ${MAX_HISTORY_DAYS}`, {
        issues: [{ path: 'to', message: `the range may span at most ${MAX_HISTORY_DAYS} days` }],
      });
    }
    const vouchers: VoucherRecord[] = await store.vouchers.listByCustomer(id);
    if (vouchers.length === 0) return [];
    return store.usage.dailyHistory(
      vouchers.map((v) => v.id),
      from,
      to,
    );
  }

  async function closeStaleSessions(): Promise<number> {
    const now = ctx.clock();
    const cutoff = new Date(now.getTime() - ctx.options.usage.staleSessionSeconds * 1000);
    const batchSize = 500;
    const tried = new Set<string>();
    let closed = 0;
    for (;;) {
      const batch = (await store.usage.staleSessions(cutoff, batchSize)).filter((s) => !tried.has(s.sessionId));
      if (batch.length === 0) return closed;
      for (const stale of batch) {
        tried.add(stale.sessionId);
        const session = await closeOne(stale, cutoff, now);
        if (session) {
          closed += 1;
          ctx.events.emit('session.closed', { session, reason: 'stale', at: now });
        }
      }
    }
  }

  /** Closes one silent session by compare-and-set; `null` if it spoke again or was closed meanwhile. */
  async function closeOne(stale: SessionRecord, cutoff: Date, now: Date): Promise<SessionRecord | null> {
    let current: SessionRecord | null = stale;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      if (!current || current.closedAt || current.lastEventAt > cutoff) return null;
      const next: SessionRecord = { ...current, closedAt: now, closedReason: 'stale', version: current.version + 1 };
      const applied = await store.usage.applySessionUpdate({
        session: next,
        expectedVersion: current.version,
        delta: { ...ZERO },
        day: dayKey(now),
      });
      if (applied) return next;
      await casBackoff(attempt);
      current = await store.usage.getSession(stale.sessionId);
    }
    throw casExhausted(`session ${stale.sessionId}`);
  }

  return {
    service: { record, recordMany, summary, history, closeStaleSessions, ...createSessionQueries(ctx) },
    idle: () => queue.idle(),
  };
}

/** A store error as a {@link HotspotKitError} (`STORE_ERROR`, the original as `cause`); ours as they are. */
function asKitError(error: unknown): HotspotKitError {
  if (error instanceof HotspotKitError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HotspotKitError('STORE_ERROR', `The store failed to record the event: ${message}`, { cause: error });
}

/** The portal's usage summary of a voucher read model. */
export function summarize(voucher: Voucher): UsageSummary {
  const { usage, limits } = voucher;
  const totalBytes = usage.downloadBytes + usage.uploadBytes;
  let trafficPercent: number | null = null;
  const t = limits.trafficLimit;
  if (t && 'totalBytes' in t) trafficPercent = percent(totalBytes, t.totalBytes);
  else if (t)
    trafficPercent = Math.max(percent(usage.downloadBytes, t.downloadBytes), percent(usage.uploadBytes, t.uploadBytes));
  const out: UsageSummary = {
    voucherId: voucher.id,
    used: { ...usage, totalBytes },
    remaining: { ...voucher.remaining },
    trafficPercent,
    onlineTimePercent:
      limits.onlineTimeSeconds === undefined ? null : percent(usage.onlineSeconds, limits.onlineTimeSeconds),
    status: voucher.status,
  };
  if (voucher.expiresAt) out.expiresAt = voucher.expiresAt;
  return out;
}
