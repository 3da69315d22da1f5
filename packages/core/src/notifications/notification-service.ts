import type { Customer } from '../domain/customer.js';
import type { Location } from '../domain/location.js';
import type { NotificationKind, NotificationRecord } from '../domain/notification.js';
import type { SmsLogEntry } from '../domain/sms.js';
import type { Voucher } from '../domain/voucher.js';
import { HotspotKitError } from '../errors.js';
import type { HotspotEvents } from '../events/hotspot-events.js';
import type { KitContext } from '../kit/kit-context.js';
import type { NotificationPreview, NotificationPreviewSample, NotificationService } from '../kit/services.js';
import { createTokenService } from '../tokens/token-service.js';
import {
  type LoadedNotificationPolicies,
  loadNotificationPolicies,
  parseNotificationOptions,
} from './parse-notification-options.js';
import { createPortalLink, samplePortalLink } from './portal-link.js';
import { countSmsSegments } from './sms-segments.js';
import { compileTemplate, renderTemplate } from './template.js';
import { templateValues, type UsageThresholdKind, usageFigures } from './template-values.js';
import { NOTIFICATION_TEMPLATE_VARIABLES } from './template-variables.js';

/** How many due records one `retryFailed` call works through at most. */
const RETRY_BATCH = 100;
const RETRY_MAX_RECORDS = 1000;
const RETRY_CONCURRENCY = 4;
/** SMS log statuses that mean the provider took the message. */
const SENT_STATUSES = new Set(['sent', 'delivered', 'queued', 'sending']);

/**
 * `kit.notifications`: the `statusPageLink` and `usageThreshold` policies. It listens to the
 * kit's `voucher.activated` and `usage.updated` events; each decision to notify is claimed in
 * the store (insert-if-absent on a key such as `status-page-link:customer:<id>`) before the
 * SMS goes out, so concurrent events, replays and several app instances send it once. A send
 * whose gateways all fail is kept `failed` and retried by `retryFailed()` with backoff, then
 * `abandoned`. See `docs/notifications.md` for the keys, variables and the guarantee's limits.
 */
export function createNotificationService(ctx: KitContext): NotificationService {
  let active = loadNotificationPolicies(ctx.options.notifications, 'notifications.');
  const tokens = createTokenService(ctx);
  const log = ctx.logger;

  ctx.events.on('voucher.activated', (event) => onVoucherActivated(event));
  ctx.events.on('usage.updated', (event) => onUsageUpdated(event));

  async function onVoucherActivated(event: HotspotEvents['voucher.activated']): Promise<void> {
    const { options } = active;
    const template = active.templates['status-page-link'];
    const policy = options.statusPageLink;
    if (!policy.enabled) return;
    const { voucher } = event;
    const customer = event.customer ?? (voucher.customerId ? await ctx.store.customers.get(voucher.customerId) : null);
    if (!customer) {
      log.debug('status-page-link: voucher has no customer, nothing to send', { voucherId: voucher.id });
      return;
    }
    // Activation happens once per voucher, so its time tells a replayed event from a new one.
    const activatedAt = voucher.activatedAt ?? event.at;
    const key =
      policy.frequency === 'once'
        ? `status-page-link:customer:${customer.id}`
        : `status-page-link:voucher:${voucher.id}:${new Date(activatedAt).toISOString()}`;
    // Cheap early exit for replays; the claim below is what actually guarantees once.
    if (await ctx.store.notifications.get(key)) return;

    const location = await findLocation(voucher.locationId ?? customer.locationId);
    const portalUrl = policy.portalUrl;
    const link =
      portalUrl && template.variables.includes('link')
        ? await createPortalLink(tokens, portalUrl, customer.phone, policy.linkTtlSeconds)
        : undefined;
    const text = renderTemplate(template, templateValues({ link, customer, voucher, location }));
    await claimAndSend({ key, kind: 'status-page-link', text, customer, voucher, location });
  }

  async function onUsageUpdated(event: HotspotEvents['usage.updated']): Promise<void> {
    const { options } = active;
    const template = active.templates['usage-threshold'];
    const policy = options.usageThreshold;
    if (!policy.enabled) return;
    const { voucher } = event;
    const thresholds: Array<[UsageThresholdKind, number]> = [
      ['traffic', policy.trafficPercent],
      ['time', policy.timePercent],
    ];
    const crossed = thresholds
      .filter(([, threshold]) => threshold > 0)
      .map(([kind, threshold]) => ({ kind, threshold, figures: usageFigures(voucher, kind) }))
      .filter((t) => t.figures !== null && t.figures.percent >= t.threshold);
    if (crossed.length === 0) return;
    if (!voucher.customerId) {
      log.debug('usage-threshold: voucher has no customer, nothing to send', { voucherId: voucher.id });
      return;
    }

    let customer: Customer | null | undefined;
    let location: Location | null | undefined;
    for (const { kind, threshold, figures } of crossed) {
      const key = `usage-threshold:${voucher.id}:${kind}:${threshold}`;
      if (await ctx.store.notifications.get(key)) continue;
      customer ??= await ctx.store.customers.get(voucher.customerId);
      if (!customer) return;
      location ??= await findLocation(voucher.locationId ?? customer.locationId);
      const portalUrl = policy.portalUrl ?? options.statusPageLink.portalUrl;
      const link =
        portalUrl && template.variables.includes('link')
          ? await createPortalLink(tokens, portalUrl, customer.phone, options.statusPageLink.linkTtlSeconds)
          : undefined;
      const text = renderTemplate(
        template,
        templateValues({ link, customer, voucher, location, usage: { kind, threshold, figures } }),
      );
      await claimAndSend({ key, kind: 'usage-threshold', text, customer, voucher, location });
    }
  }

  async function claimAndSend(input: {
    key: string;
    kind: NotificationKind;
    text: string;
    customer: Customer;
    voucher: Voucher;
    location: Location | null;
  }): Promise<void> {
    const now = ctx.clock();
    const record: NotificationRecord = {
      key: input.key,
      kind: input.kind,
      status: 'claimed',
      to: input.customer.phone,
      text: input.text,
      customerId: input.customer.id,
      voucherId: input.voucher.id,
      ...(input.location ? { locationId: input.location.id } : {}),
      attempts: 1,
      nextAttemptAt: addSeconds(now, active.options.retry.staleClaimSeconds),
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    if (!(await ctx.store.notifications.claim(record))) return;
    await deliver(record, input.location);
  }

  /** Sends a record this instance holds (status `claimed`) and stores the outcome by CAS. */
  async function deliver(
    record: NotificationRecord,
    knownLocation?: Location | null,
  ): Promise<'sent' | 'failed' | 'abandoned'> {
    const location = knownLocation !== undefined ? knownLocation : await findLocation(record.locationId);
    let entry: SmsLogEntry | undefined;
    let error: string | undefined;
    if (!ctx.sms) error = 'no SMS sender configured';
    else {
      try {
        entry = await ctx.sms.send({
          purpose: record.kind,
          to: record.to,
          text: record.text,
          ...(record.locationId ? { locationId: record.locationId } : {}),
          ...(location?.senderId ? { sender: location.senderId } : {}),
          meta: {
            notificationKey: record.key,
            ...(record.voucherId ? { voucherId: record.voucherId } : {}),
            ...(record.customerId ? { customerId: record.customerId } : {}),
          },
        });
      } catch (e) {
        error = `SMS sender threw: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    const now = ctx.clock();
    const retry = active.options.retry;
    const { nextAttemptAt: _next, lastError: _error, ...base } = record;

    if (entry && SENT_STATUSES.has(entry.status)) {
      const sent: NotificationRecord = { ...base, status: 'sent', smsId: entry.id, updatedAt: now };
      await store(sent, record.version);
      ctx.events.emit('notification.sent', { key: record.key, kind: record.kind, smsId: entry.id, at: now });
      return 'sent';
    }

    const reason = error ?? describeFailure(entry);
    const willRetry = record.attempts < retry.maxAttempts;
    const next: NotificationRecord = {
      ...base,
      status: willRetry ? 'failed' : 'abandoned',
      lastError: reason,
      ...(entry ? { smsId: entry.id } : {}),
      ...(willRetry ? { nextAttemptAt: addSeconds(now, backoffSeconds(record.attempts)) } : {}),
      updatedAt: now,
    };
    await store(next, record.version);
    log.warn('notification send failed', { key: record.key, attempts: record.attempts, willRetry, error: reason });
    ctx.events.emit('notification.failed', { key: record.key, kind: record.kind, error: reason, willRetry, at: now });
    return willRetry ? 'failed' : 'abandoned';
  }

  async function store(next: NotificationRecord, expectedVersion: number): Promise<boolean> {
    const ok = await ctx.store.notifications.update(next, expectedVersion);
    // Only a takeover after an expired lease can get here; the taker owns the record now.
    if (!ok) log.warn('notification record changed while this instance was sending it', { key: next.key });
    return ok;
  }

  function backoffSeconds(attempts: number): number {
    const { initialDelaySeconds, maxDelaySeconds } = active.options.retry;
    return Math.min(maxDelaySeconds, initialDelaySeconds * 2 ** Math.max(0, attempts - 1));
  }

  async function findLocation(id: string | undefined): Promise<Location | null> {
    if (!id) return null;
    try {
      return await ctx.store.locations.get(id);
    } catch (e) {
      log.warn('notification: location lookup failed', { locationId: id, error: String(e) });
      return null;
    }
  }

  /**
   * What the SMS log says about an interrupted send: `sent` when it shows the message went
   * out, `in-flight` when a send started but never finished, `none` when nothing is logged.
   * Only conclusive when the SMS sender logs into this kit's store.
   */
  async function checkSmsLog(
    record: NotificationRecord,
  ): Promise<{ state: 'sent'; smsId: string } | { state: 'in-flight' | 'none' }> {
    try {
      const page = await ctx.store.smsLog.list(
        // A margin for clock skew between the instance that claimed and the one that logged.
        { to: record.to, purpose: record.kind, since: new Date(record.createdAt.getTime() - 300_000) },
        { limit: 50 },
      );
      const mine = page.items.filter((e) => e.meta?.notificationKey === record.key);
      const sent = mine.find((e) => e.status === 'sent' || e.status === 'delivered');
      if (sent) return { state: 'sent', smsId: sent.id };
      if (mine.some((e) => e.status === 'queued' || e.status === 'sending')) return { state: 'in-flight' };
    } catch (e) {
      log.debug('notification: SMS log not readable for recovery', { error: String(e) });
    }
    return { state: 'none' };
  }

  async function retryOne(
    record: NotificationRecord,
    counts: { retried: number; sent: number; failed: number; abandoned: number },
  ): Promise<void> {
    const now = ctx.clock();
    const retry = active.options.retry;
    let lastError = record.lastError;
    if (record.status === 'claimed') {
      // The lease ran out: the process that claimed it died between claim and outcome.
      const logged = await checkSmsLog(record);
      if (logged.state === 'sent') {
        const { nextAttemptAt: _n, lastError: _l, ...base } = record;
        if (
          await ctx.store.notifications.update(
            { ...base, status: 'sent', smsId: logged.smsId, updatedAt: now },
            record.version,
          )
        ) {
          ctx.events.emit('notification.sent', { key: record.key, kind: record.kind, smsId: logged.smsId, at: now });
          counts.sent += 1;
        }
        return;
      }
      if (logged.state === 'in-flight') {
        // A gateway may have sent it: never risk a second copy.
        await abandon(record, 'send interrupted mid-way (the message may have been sent); not retried', counts);
        return;
      }
      lastError = `send interrupted: no outcome within ${retry.staleClaimSeconds} s`;
    }
    if (record.attempts >= retry.maxAttempts) {
      await abandon(record, lastError ?? 'retry limit reached', counts);
      return;
    }
    const taken: NotificationRecord = {
      ...record,
      status: 'claimed',
      attempts: record.attempts + 1,
      nextAttemptAt: addSeconds(now, retry.staleClaimSeconds),
      ...(lastError ? { lastError } : {}),
      updatedAt: now,
    };
    // The CAS is the take: of instances retrying at once, one wins and the others skip it.
    if (!(await ctx.store.notifications.update(taken, record.version))) return;
    counts.retried += 1;
    const outcome = await deliver({ ...taken, version: record.version + 1 });
    counts[outcome] += 1;
  }

  async function abandon(record: NotificationRecord, reason: string, counts: { abandoned: number }): Promise<void> {
    const now = ctx.clock();
    const { nextAttemptAt: _n, ...base } = record;
    const next: NotificationRecord = { ...base, status: 'abandoned', lastError: reason, updatedAt: now };
    if (!(await ctx.store.notifications.update(next, record.version))) return;
    counts.abandoned += 1;
    ctx.events.emit('notification.failed', {
      key: record.key,
      kind: record.kind,
      error: reason,
      willRetry: false,
      at: now,
    });
  }

  return {
    preview(policy, sample) {
      return preview(active, policy, sample, ctx.clock());
    },

    reload(input) {
      const options = parseNotificationOptions(input);
      const next = loadNotificationPolicies(options);
      if (!ctx.sms) {
        const needSms = (['statusPageLink', 'usageThreshold'] as const).filter((p) => options[p].enabled);
        if (needSms.length > 0) {
          throw new HotspotKitError(
            'SMS_NOT_CONFIGURED',
            `Invalid notification policies: ${needSms.map((p) => `${p}.enabled`).join(', ')} needs an SMS sender, but the kit has none`,
            { issues: needSms.map((p) => ({ path: `${p}.enabled`, message: 'needs an SMS sender (the sms option)' })) },
          );
        }
      }
      active = next;
      // `kit.options.notifications` shows what is in force.
      ctx.options.notifications = options;
    },

    async retryFailed() {
      const counts = { retried: 0, sent: 0, failed: 0, abandoned: 0 };
      const seen = new Set<string>();
      while (seen.size < RETRY_MAX_RECORDS) {
        const due = (await ctx.store.notifications.listDue(ctx.clock(), RETRY_BATCH)).filter((r) => !seen.has(r.key));
        if (due.length === 0) break;
        for (const r of due) seen.add(r.key);
        await runLimited(due, RETRY_CONCURRENCY, async (r) => {
          try {
            await retryOne(r, counts);
          } catch (e) {
            // One record's store error must not stop the others; it stays due for the next run.
            log.error('notification retry failed', { key: r.key, error: String(e) });
          }
        });
      }
      return counts;
    },

    list(filter) {
      return ctx.store.notifications.list(filter);
    },
  };
}

function preview(
  active: LoadedNotificationPolicies,
  policy: Parameters<NotificationService['preview']>[0],
  sample: NotificationPreviewSample = {},
  now: Date,
): NotificationPreview {
  if (policy === null || typeof policy !== 'object') {
    throw new HotspotKitError('INVALID_INPUT', 'preview needs a policy object with a template', {
      issues: [{ path: 'policy', message: 'must be an object with a template' }],
    });
  }
  const kind = policy.kind ?? inferKind(policy);
  if (!(kind === undefined || kind in NOTIFICATION_TEMPLATE_VARIABLES)) {
    throw new HotspotKitError('INVALID_INPUT', `Invalid policy kind: ${String(kind)}`, {
      issues: [{ path: 'kind', message: "must be 'status-page-link' or 'usage-threshold'" }],
    });
  }
  const template = compileTemplate(policy.template, { ...(kind ? { kind } : {}), field: 'template' });
  const example = (path: string) =>
    NOTIFICATION_TEMPLATE_VARIABLES['usage-threshold'].find((v) => v.path === path)?.example as string;
  const phone = sample.customer?.phone ?? example('customer.phone');
  const options = active.options;
  const givenUrl = typeof policy.portalUrl === 'string' && policy.portalUrl ? policy.portalUrl : undefined;
  const portalUrl =
    givenUrl ??
    (kind === 'usage-threshold' ? options.usageThreshold.portalUrl : undefined) ??
    options.statusPageLink.portalUrl ??
    'https://wifi.example.com/portal';
  const ttl = positiveInt(policy.linkTtlSeconds) ?? options.statusPageLink.linkTtlSeconds;
  const trafficPercent = percentOf(policy.trafficPercent) ?? options.usageThreshold.trafficPercent;
  const timePercent = percentOf(policy.timePercent) ?? options.usageThreshold.timePercent;
  const usageKind = sample.usage?.kind ?? (trafficPercent === 0 && timePercent > 0 ? 'time' : 'traffic');
  const configured = usageKind === 'traffic' ? trafficPercent : timePercent;
  const percent = sample.usage?.percent ?? (configured > 0 ? configured : 90);
  let link: string;
  try {
    link = sample.link ?? samplePortalLink(portalUrl, phone, ttl, now);
  } catch {
    throw new HotspotKitError('INVALID_INPUT', 'Invalid policy portalUrl: must be an http(s) URL', {
      issues: [{ path: 'portalUrl', message: 'must be an http(s) URL' }],
    });
  }
  const values = {
    ...templateValues({
      link,
      customer: {
        name: sample.customer?.name ?? example('customer.name'),
        phone,
        email: sample.customer?.email ?? example('customer.email'),
      },
      voucher: { code: sample.voucher?.code ?? example('voucher.code'), shortCode: example('voucher.shortCode') },
      location: { name: sample.location?.name ?? example('location.name') },
      usage: {
        kind: usageKind,
        threshold: percent,
        figures:
          usageKind === 'traffic'
            ? { percent, used: 2e9 * (percent / 100), limit: 2e9, unit: 'bytes' }
            : { percent, used: 3 * 3600 * (percent / 100), limit: 3 * 3600, unit: 'seconds' },
      },
    }),
    'voucher.expiresAt': example('voucher.expiresAt'),
    'plan.name': sample.plan?.name ?? example('plan.name'),
  };
  const text = renderTemplate(template, values);
  const count = countSmsSegments(text);
  return { text, encoding: count.encoding, segments: count.segments, characters: count.characters };
}

function inferKind(policy: Record<string, unknown>): NotificationKind | undefined {
  if ('trafficPercent' in policy || 'timePercent' in policy) return 'usage-threshold';
  if ('frequency' in policy) return 'status-page-link';
  return undefined;
}

function percentOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100 ? value : undefined;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function describeFailure(entry: SmsLogEntry | undefined): string {
  if (!entry) return 'SMS not sent';
  const last = entry.attempts.at(-1);
  if (!last) return `SMS ${entry.status}: no gateway attempted it`;
  const detail = [last.outcome, last.httpStatus ? `HTTP ${last.httpStatus}` : undefined, last.error]
    .filter(Boolean)
    .join(', ');
  const tried = entry.attempts.length > 1 ? ` after ${entry.attempts.length} attempts` : '';
  return `SMS ${entry.status}${tried}: ${last.gatewayId}: ${detail}`.slice(0, 500);
}

function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
