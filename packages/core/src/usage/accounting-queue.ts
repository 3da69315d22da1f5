import type { AccountingEvent, SessionRecord, UsageTotals } from '../domain/usage.js';
import type { Voucher } from '../domain/voucher.js';
import { HotspotKitError } from '../errors.js';
import { notFound } from '../kit/input-schemas.js';
import type { KitContext } from '../kit/kit-context.js';
import type { RecordUsageResult } from '../kit/services.js';
import { casBackoffMs, casExhausted, MAX_CAS_ATTEMPTS } from '../store/cas-retry.js';
import type { AccountingVoucher, EventsBatchResult, SessionEventsWrite } from '../store/hotspot-store.js';
import { clone } from '../store/memory/clone.js';
import type { VoucherLifecycle } from '../vouchers/voucher-lifecycle.js';
import { createAccountingCache } from './accounting-cache.js';
import { dayKey } from './day-key.js';
import { applyAccountingEvent } from './session-accounting.js';

/** The most events one transaction takes; the rest wait for the next one. */
export const MAX_BATCH_EVENTS = 500;

/** Group commit of accounting events. Internal to the usage service. */
export interface AccountingQueue {
  /** Queues a validated event; resolves once it is stored (committed), or rejects for it alone. */
  submit(event: AccountingEvent): Promise<RecordUsageResult>;
  /** Resolves when nothing is queued, in flight or waiting for a retry. */
  idle(): Promise<void>;
}

interface Pending {
  event: AccountingEvent;
  attempts: number;
  /** Answered already (resolved or rejected). */
  answered: boolean;
  resolve(result: RecordUsageResult): void;
  reject(error: unknown): void;
  /** Set while its batch runs. */
  delta: UsageTotals;
  /** The session as this event closed it (a stop), for `session.closed`. */
  closed: SessionRecord | null;
}

const zero = (): UsageTotals => ({ downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 });
const isZero = (t: UsageTotals) => t.downloadBytes === 0 && t.uploadBytes === 0 && t.onlineSeconds === 0;

function addInto(days: Map<string, UsageTotals>, day: string, delta: UsageTotals): void {
  const bucket = days.get(day);
  if (!bucket) {
    days.set(day, { ...delta });
    return;
  }
  bucket.downloadBytes += delta.downloadBytes;
  bucket.uploadBytes += delta.uploadBytes;
  bucket.onlineSeconds += delta.onlineSeconds;
}

function otherVoucher(sessionId: string): HotspotKitError {
  return new HotspotKitError('CONFLICT', `Session '${sessionId}' belongs to another voucher`, {
    details: { sessionId },
    issues: [{ path: 'sessionId', message: 'belongs to another voucher; prefix session ids with the NAS id' }],
  });
}

/**
 * Group commit for `kit.usage.record`: events that arrive while a transaction is in flight
 * wait and go into the next one together (at most {@link MAX_BATCH_EVENTS}). Per batch the
 * store is asked at most twice, whatever its size: `usage.loadForEvents` for the sessions and
 * vouchers the cache does not know (see `createAccountingCache`), then `usage.applyEvents`,
 * which writes every session by a guarded statement with its totals and day buckets in one
 * transaction and reads the vouchers back (their limits are checked against that).
 * A session's events in one batch are folded into one write, in arrival order. Each caller
 * gets its own result or error: an unknown voucher or a foreign session fails that event
 * only; a lost guard (another app instance wrote the session) retries that session's events
 * in a later batch; a batch the store refuses is split, each session written alone, so one
 * bad event cannot fail the others. Nothing resolves before its transaction is committed.
 */
export function createAccountingQueue(ctx: KitContext, lifecycle: VoucherLifecycle): AccountingQueue {
  const cache = createAccountingCache();
  let queue: Pending[] = [];
  /** Sessions of a batch the store refused, each to be written in a transaction of its own. */
  const isolated: Pending[][] = [];
  let running = false;
  let retryTimers = 0;
  let idleWaiters: Array<() => void> = [];

  const isIdle = () => !running && queue.length === 0 && isolated.length === 0 && retryTimers === 0;

  function schedule(): void {
    if (running) return;
    running = true;
    // A microtask later, so that callers submitting in the same tick share the first transaction.
    queueMicrotask(() => void pump());
  }

  async function pump(): Promise<void> {
    try {
      for (;;) {
        const batch = isolated.shift() ?? take();
        if (batch.length === 0) break;
        await runBatch(batch);
      }
    } finally {
      running = false;
      if (queue.length > 0 || isolated.length > 0) schedule();
      else if (isIdle()) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  function take(): Pending[] {
    if (queue.length <= MAX_BATCH_EVENTS) {
      const all = queue;
      queue = [];
      return all;
    }
    return queue.splice(0, MAX_BATCH_EVENTS);
  }

  function bySession(batch: readonly Pending[]): Map<string, Pending[]> {
    const groups = new Map<string, Pending[]>();
    for (const p of batch) {
      const group = groups.get(p.event.sessionId);
      if (group) group.push(p);
      else groups.set(p.event.sessionId, [p]);
    }
    return groups;
  }

  async function runBatch(batch: Pending[]): Promise<void> {
    const groups = bySession(batch);
    let written: { done: Pending[]; result: EventsBatchResult } | null;
    try {
      written = await write(groups);
    } catch (error) {
      // Nothing of the batch was stored. Write each session on its own, so that an event the
      // store cannot take fails alone; with a single session left the error is its answer.
      if (groups.size > 1) {
        for (const group of groups.values()) {
          const open = group.filter((p) => !p.answered);
          if (open.length > 0) isolated.push(open);
        }
      } else for (const p of batch) p.reject(error);
      return;
    }
    if (written) await finish(batch, written.done, written.result);
  }

  /** Folds each session's events, writes the batch; `null` when every event was refused. */
  async function write(groups: Map<string, Pending[]>): Promise<{ done: Pending[]; result: EventsBatchResult } | null> {
    // Only what the cache does not know is read (usually nothing: interims of known sessions).
    // What the cache knows is taken now: an entry may expire while the read is in flight.
    const known = new Map<string, SessionRecord>();
    const unknownSessions: string[] = [];
    for (const sessionId of groups.keys()) {
      const cached = cache.session(sessionId);
      if (cached) known.set(sessionId, cached);
      else unknownSessions.push(sessionId);
    }
    const metas = new Map<string, AccountingVoucher>();
    const unknownVouchers = new Set<string>();
    for (const group of groups.values()) {
      for (const { event } of group) {
        if (metas.has(event.voucherId) || unknownVouchers.has(event.voucherId)) continue;
        const cached = cache.voucher(event.voucherId);
        if (cached) metas.set(event.voucherId, cached);
        else unknownVouchers.add(event.voucherId);
      }
    }
    if (unknownSessions.length > 0 || unknownVouchers.size > 0) {
      const loaded = await ctx.store.usage.loadForEvents(unknownSessions, [...unknownVouchers]);
      for (const [id, session] of loaded.sessions) known.set(id, session);
      for (const [id, meta] of loaded.vouchers) {
        metas.set(id, meta);
        cache.loaded(id, meta);
      }
    }

    const writes: SessionEventsWrite[] = [];
    const writeGroups: Pending[][] = [];
    const unwritten: Pending[] = [];
    const accepted = new Set<string>();
    for (const [sessionId, group] of groups) {
      const stored = known.get(sessionId) ?? null;
      let state = stored;
      let changed = false;
      const days = new Map<string, UsageTotals>();
      const kept: Pending[] = [];
      for (const p of group) {
        const voucher = metas.get(p.event.voucherId);
        if (!voucher) {
          p.reject(notFound('voucher', p.event.voucherId, 'voucherId'));
          continue;
        }
        if (state && state.voucherId !== p.event.voucherId) {
          p.reject(otherVoucher(sessionId));
          continue;
        }
        const step = applyAccountingEvent(
          state,
          p.event,
          voucher.customerId === undefined ? {} : { customerId: voucher.customerId },
        );
        p.delta = zero();
        p.closed = null;
        if (step.changed) {
          state = step.session;
          changed = true;
          p.delta = step.delta;
          if (step.closed) p.closed = { ...step.session };
          if (!isZero(step.delta)) addInto(days, dayKey(p.event.eventTime, voucher.timeZone), step.delta);
        }
        kept.push(p);
        accepted.add(p.event.voucherId);
      }
      if (changed && state) {
        const daysList = [...days].map(([day, delta]) => ({ day, delta }));
        writes.push({ session: state, expectedVersion: stored ? stored.version : null, days: daysList });
        writeGroups.push(kept);
      } else unwritten.push(...kept);
    }
    if (accepted.size === 0) return null;

    const onlineAfter = new Date(ctx.clock().getTime() - ctx.options.usage.staleSessionSeconds * 1000);
    const result = await ctx.store.usage.applyEvents({ writes, voucherIds: [...accepted], onlineAfter });
    const done = unwritten;
    for (const [i, applied] of result.applied.entries()) {
      const group = writeGroups[i] as Pending[];
      const w = writes[i] as SessionEventsWrite;
      if (!applied) {
        cache.forget(w.session.sessionId);
        retry(group);
        continue;
      }
      const version = w.expectedVersion === null ? 0 : w.expectedVersion + 1;
      cache.stored({ ...w.session, version });
      for (const p of group) if (p.closed) p.closed.version = version;
      done.push(...group);
    }
    for (const state of result.vouchers.values()) cache.readBack(state);
    return { done, result };
  }

  /** A lost guard: the session's events go into a later batch, which reads it again. */
  function retry(group: Pending[]): void {
    let attempts = 0;
    for (const p of group) {
      p.attempts += 1;
      attempts = Math.max(attempts, p.attempts);
    }
    if (attempts >= MAX_CAS_ATTEMPTS) {
      const error = casExhausted(`session ${(group[0] as Pending).event.sessionId}`);
      for (const p of group) p.reject(error);
      return;
    }
    const ms = casBackoffMs(attempts);
    if (ms === 0) {
      queue.unshift(...group);
      return;
    }
    // Many instances on one session: spread out, without holding up the other sessions.
    retryTimers += 1;
    setTimeout(() => {
      retryTimers -= 1;
      queue.unshift(...group);
      schedule();
    }, ms);
  }

  /** After the commit: limits (once per voucher), events and answers, in arrival order. */
  async function finish(batch: readonly Pending[], done: readonly Pending[], result: EventsBatchResult): Promise<void> {
    const views = new Map<string, Promise<Voucher>>();
    for (const p of done) {
      const id = p.event.voucherId;
      if (views.has(id)) continue;
      const state = result.vouchers.get(id);
      views.set(
        id,
        state
          ? lifecycle.present(state.voucher, state.totals, state.onlineSessions)
          : Promise.reject(notFound('voucher', id, 'voucherId')),
      );
    }
    const ready = new Map<string, Voucher | { error: unknown }>();
    await Promise.all(
      [...views].map(async ([id, view]) => {
        try {
          ready.set(id, await view);
        } catch (error) {
          ready.set(id, { error });
        }
      }),
    );
    const finished = new Set(done);
    const handedOut = new Set<string>();
    const at = ctx.clock();
    for (const p of batch) {
      if (!finished.has(p)) continue;
      const view = ready.get(p.event.voucherId);
      if (!view || 'error' in view) {
        p.reject(view ? view.error : notFound('voucher', p.event.voucherId, 'voucherId'));
        continue;
      }
      // Every caller gets a voucher of its own (callers may change what they get).
      const voucher = handedOut.has(view.id) ? clone(view) : view;
      handedOut.add(view.id);
      if (p.closed) ctx.events.emit('session.closed', { session: p.closed, reason: 'stop', at });
      if (!isZero(p.delta)) ctx.events.emit('usage.updated', { voucher, delta: { ...p.delta }, at });
      p.resolve({ delta: { ...p.delta }, voucher });
    }
  }

  return {
    submit(event) {
      return new Promise<RecordUsageResult>((resolve, reject) => {
        const p: Pending = {
          event,
          attempts: 0,
          answered: false,
          resolve: (result) => {
            p.answered = true;
            resolve(result);
          },
          reject: (error) => {
            p.answered = true;
            reject(error);
          },
          delta: zero(),
          closed: null,
        };
        queue.push(p);
        schedule();
      });
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
