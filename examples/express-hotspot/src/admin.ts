import { timingSafeEqual } from 'node:crypto';
import type { HotspotStore, SmsLogFilter, SmsStatus } from '@hotspot-kit/core';
import { isHotspotKitError } from '@hotspot-kit/core';
import { isSmsError, maskGatewayConfig, type SmsRouter } from '@hotspot-kit/sms';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

type GatewayConfig = Record<string, unknown> & { id: string; enabled?: boolean };

/** What the admin API needs from the app. */
export interface AdminOptions {
  token: string;
  store: HotspotStore;
  router: Pick<SmsRouter, 'reload' | 'testSend' | 'checkBalance'>;
  /**
   * The gateway list as the host keeps it (here: memory, seeded from the config file; a
   * real host keeps it in its database). Admin changes replace it and reload the router.
   */
  gateways: { get(): GatewayConfig[]; set(next: GatewayConfig[]): void };
}

function bearerOk(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const STATUSES: SmsStatus[] = ['queued', 'sending', 'sent', 'failed', 'delivered', 'undelivered'];

/**
 * The operator's admin API, behind a bearer token: the gateway list (order, enable, disable:
 * each change is a `router.reload`), a test send, balances, the SMS log and balance alerts.
 * It is JSON only; an operator's own admin UI calls it.
 */
export function adminRouter(options: AdminOptions): Router {
  const { store, router: sms, gateways } = options;
  const router = express.Router();
  router.use(express.json({ limit: '256kb' }));
  router.use((req, res, next) => {
    if (bearerOk(req.get('authorization'), options.token)) return next();
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="hotspot admin"')
      .json({ error: 'UNAUTHORIZED', message: 'Send the admin token: Authorization: Bearer <ADMIN_TOKEN>' });
  });

  // Secret fields as the gateway schema declares them (apiSecret, authToken, secrets, header
  // values, URL credentials) are masked.
  const listing = () => gateways.get().map((g, i) => ({ position: i + 1, ...maskGatewayConfig(g) }));

  /** Applies a new list: the router validates it; on refusal nothing changes. */
  async function apply(next: GatewayConfig[], res: Response) {
    await sms.reload(next);
    gateways.set(next);
    res.json({ gateways: listing() });
  }

  const find = (id: string) => gateways.get().find((g) => g.id === id);

  router.get('/', (_req, res) => {
    res.json({
      endpoints: [
        'GET  /admin/gateways',
        'PUT  /admin/gateways/order        {"order": ["id1", "id2", ...]}',
        'POST /admin/gateways/:id/enable',
        'POST /admin/gateways/:id/disable',
        'POST /admin/gateways/:id/test     {"to": "+14155552671"}',
        'GET  /admin/gateways/:id/balance',
        'GET  /admin/sms-log?to=&status=&purpose=&gatewayId=&limit=&cursor=',
        'GET  /admin/sms-log/:id',
        'GET  /admin/balance-alerts[?all=1]',
        'POST /admin/balance-alerts/:id/dismiss',
      ],
    });
  });

  router.get('/gateways', (_req, res) => {
    res.json({ gateways: listing() });
  });

  router.put('/gateways/order', async (req, res, next) => {
    try {
      const order = (req.body as { order?: unknown })?.order;
      const current = gateways.get();
      const ids = current.map((g) => g.id);
      if (
        !Array.isArray(order) ||
        order.length !== ids.length ||
        new Set(order).size !== ids.length ||
        !order.every((id) => typeof id === 'string' && ids.includes(id))
      ) {
        res.status(400).json({
          error: 'INVALID_INPUT',
          message: `order: must list every gateway id exactly once (${ids.join(', ')})`,
        });
        return;
      }
      await apply(
        (order as string[]).map((id) => current.find((g) => g.id === id)!),
        res,
      );
    } catch (error) {
      next(error);
    }
  });

  for (const action of ['enable', 'disable'] as const) {
    router.post(`/gateways/:id/${action}`, async (req, res, next) => {
      try {
        const id = String(req.params.id);
        if (!find(id)) return notFound(res, id);
        await apply(
          gateways.get().map((g) => (g.id === id ? { ...g, enabled: action === 'enable' } : g)),
          res,
        );
      } catch (error) {
        next(error);
      }
    });
  }

  router.post('/gateways/:id/test', async (req, res, next) => {
    try {
      const id = String(req.params.id);
      if (!find(id)) return notFound(res, id);
      const to = (req.body as { to?: unknown })?.to;
      if (typeof to !== 'string' || to.trim() === '') {
        res.status(400).json({ error: 'INVALID_INPUT', message: 'to: the phone number to send the test SMS to' });
        return;
      }
      res.json(await sms.testSend(id, to));
    } catch (error) {
      next(error);
    }
  });

  router.get('/gateways/:id/balance', async (req, res, next) => {
    try {
      const id = String(req.params.id);
      if (!find(id)) return notFound(res, id);
      res.json(await sms.checkBalance(id));
    } catch (error) {
      next(error);
    }
  });

  router.get('/sms-log', async (req, res, next) => {
    try {
      const q = req.query as Record<string, string | undefined>;
      const filter: SmsLogFilter = {};
      if (q.to) filter.to = q.to;
      if (q.status) {
        if (!STATUSES.includes(q.status as SmsStatus)) {
          res.status(400).json({ error: 'INVALID_INPUT', message: `status: one of ${STATUSES.join(', ')}` });
          return;
        }
        filter.status = q.status as SmsStatus;
      }
      if (q.purpose) filter.purpose = q.purpose;
      if (q.gatewayId) filter.gatewayId = q.gatewayId;
      if (q.locationId) filter.locationId = q.locationId;
      const limit = q.limit ? Math.min(Math.max(Number.parseInt(q.limit, 10) || 50, 1), 500) : 50;
      res.json(await store.smsLog.list(filter, { limit, ...(q.cursor ? { cursor: q.cursor } : {}) }));
    } catch (error) {
      next(error);
    }
  });

  router.get('/sms-log/:id', async (req, res, next) => {
    try {
      const entry = await store.smsLog.get(String(req.params.id));
      if (!entry) return notFound(res, String(req.params.id));
      res.json(entry);
    } catch (error) {
      next(error);
    }
  });

  router.get('/balance-alerts', async (req, res, next) => {
    try {
      const all = req.query.all === '1' || req.query.all === 'true';
      res.json({ alerts: await store.alerts.list({ includeDismissed: all }) });
    } catch (error) {
      next(error);
    }
  });

  router.post('/balance-alerts/:id/dismiss', async (req, res, next) => {
    try {
      const ok = await store.alerts.dismiss(String(req.params.id), new Date());
      if (!ok) {
        res.status(404).json({ error: 'NOT_FOUND', message: 'no such alert, or it was dismissed already' });
        return;
      }
      res.json({ dismissed: true });
    } catch (error) {
      next(error);
    }
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (isSmsError(error) || isHotspotKitError(error)) {
      const issues = 'issues' in error ? error.issues : [];
      res.status(error.httpStatus).json({ error: error.code, message: error.message, issues });
      return;
    }
    next(error);
  });

  return router;
}

function notFound(res: Response, id: string): void {
  res.status(404).json({ error: 'NOT_FOUND', message: `no gateway or entry with id '${id}'` });
}
