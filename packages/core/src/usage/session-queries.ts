import { z } from 'zod';
import type { SessionRecord } from '../domain/usage.js';
import { dateInputSchema, idSchema, requireId } from '../kit/input-schemas.js';
import type { KitContext } from '../kit/kit-context.js';
import type { UsageService } from '../kit/services.js';
import { parseOrThrow } from '../validation.js';

const EPOCH = new Date(0);
const DEFAULT_NAS_LIMIT = 10_000;

const filterSchema = z.union(
  [
    z.object({ voucherId: idSchema }).strict(),
    z.object({ nasId: idSchema, limit: z.number().int().min(1).max(100_000).optional() }).strict(),
  ],
  { error: 'must be { voucherId } or { nasId, limit? }' },
);

/**
 * The session reads and the NAS-restart close of `kit.usage`: what a RADIUS integration needs
 * to disconnect a voucher's devices and to honour Accounting-On / Off.
 */
export function createSessionQueries(ctx: KitContext): Pick<UsageService, 'openSessions' | 'closeNasSessions'> {
  const { store } = ctx;
  return {
    async openSessions(filter) {
      const parsed = parseOrThrow(filterSchema, filter, 'session filter');
      if ('voucherId' in parsed) return store.usage.openSessions([parsed.voucherId], EPOCH);
      return store.usage.openSessionsByNas(parsed.nasId, parsed.limit ?? DEFAULT_NAS_LIMIT);
    },
    async closeNasSessions(nasId, at) {
      const id = requireId(nasId, 'nasId');
      const when = at === undefined ? ctx.clock() : parseOrThrow(dateInputSchema, at, 'at');
      const closed: SessionRecord[] = await store.usage.closeNasSessions(id, when);
      const now = ctx.clock();
      for (const session of closed) ctx.events.emit('session.closed', { session, reason: 'nas-restart', at: now });
      if (closed.length > 0) ctx.logger.info('NAS restart closed its sessions', { nasId: id, sessions: closed.length });
      return closed;
    },
  };
}
